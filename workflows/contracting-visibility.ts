import type { SearchAttributeUpdatePair } from '@temporalio/common';
// Not the core's index: that loads zod, which workflow modules leave until a workflow needs it.
import { type ContractingState, STAGE_LABELS } from '../domain/contracting-core/state';
import { waitingOn, whatIsMissing } from '../domain/contracting-core/status';
import * as sa from './search-attributes';

/*
 * What a manager sees of a contracting request in the Web UI. The keys are the cases' own, so
 * one filter (`BgaBrokerNpn = "1234567"`) finds a broker's cases and their contracting together;
 * WorkflowType tells the two apart.
 */

export function contractingSearchAttributes(s: ContractingState): SearchAttributeUpdatePair[] {
  const missing = whatIsMissing(s);
  const party = waitingOn(s);
  return [
    { key: sa.StageKey, value: s.stage },
    { key: sa.CarrierKey, value: s.carrierCode },
    { key: sa.BrokerNpnKey, value: s.npn },
    { key: sa.OutstandingCountKey, value: missing.length },
    { key: sa.OutstandingCodesKey, value: [...new Set(missing.map((m) => m.item))].sort() },
    { key: sa.WaitingOnKey, value: party ? [party] : [] },
    { key: sa.StageEnteredAtKey, value: new Date(s.stageEnteredAt) },
    { key: sa.LastActivityAtKey, value: new Date(s.events.at(-1)?.at ?? s.stageEnteredAt) },
    { key: sa.OutcomeKey, value: s.outcome?.stage ?? null },
  ];
}

/** The workflow page's current details, in the Markdown the Web UI renders (blank lines between blocks). */
export function describeContracting(s: ContractingState, reference: string): string {
  const blocks = [
    `**Contracting: ${s.brokerName} (NPN ${s.npn}) with ${s.carrierName}** — ${reference}`,
    `**Stage:** ${STAGE_LABELS[s.stage]} (${s.stage}) since ${s.stageEnteredAt.slice(0, 10)}${waitingOn(s) ? `; waiting on ${waitingOn(s)}` : ''}`,
  ];
  const o = s.outcome;
  if (o) blocks.push(o.stage === 'APPOINTED' ? `**Appointed** on ${o.appointedOn}` : `**${STAGE_LABELS[o.stage]}** on ${o.on}: ${cell(o.reason)}`);
  const missing = whatIsMissing(s);
  if (missing.length) {
    blocks.push(
      ['| Missing | Waiting on | Problem |', '|---|---|---|', ...missing.map((m) => `| ${cell(m.description)} | ${m.waitingOn} | ${m.problem ? cell(m.problem) : '—'} |`)].join('\n'),
    );
  }
  if (s.cases.length) blocks.push(`**Cases waiting:** ${s.cases.map((c) => `${c.caseId} (${c.state}${c.releasedOn ? `, released ${c.releasedOn}` : ''})`).join(', ')}`);
  return blocks.join('\n\n');
}

const cell = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
