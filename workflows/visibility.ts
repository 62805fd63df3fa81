import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { type CaseState, documentsToReview, oldestOpenApsOrderedOn, openRequirements, waitingOn } from '../domain/case';
import * as sa from './search-attributes';

/** What the Web UI filters on; no PII, only codes, counts, amounts and dates. */
export function searchAttributesFor(s: CaseState): SearchAttributeUpdatePair[] {
  const open = openRequirements(s);
  const aps = oldestOpenApsOrderedOn(s);
  return [
    { key: sa.StageKey, value: s.stage },
    { key: sa.CarrierKey, value: s.carrierCode },
    { key: sa.BrokerNpnKey, value: s.broker.npn },
    { key: sa.ProductTypeKey, value: s.productType },
    { key: sa.FaceAmountKey, value: s.faceAmount },
    { key: sa.OutstandingCountKey, value: open.length + s.nigo.items.filter((i) => !i.resolved).length },
    { key: sa.OutstandingCodesKey, value: [...new Set(open.map((r) => r.code))].sort() },
    { key: sa.WaitingOnKey, value: waitingOn(s) },
    { key: sa.OldestApsOrderedAtKey, value: aps ? new Date(`${aps}T00:00:00Z`) : null },
    { key: sa.StageEnteredAtKey, value: new Date(s.stageEnteredAt) },
    { key: sa.LastActivityAtKey, value: new Date(s.lastActivityAt) },
    { key: sa.OutcomeKey, value: s.outcome?.outcome ?? null },
  ];
}

const money = (n: number) => `$${n.toLocaleString('en-US')}`;

/**
 * The "current details" a manager reads on the workflow page, in Markdown. The Web UI's renderer
 * needs a blank line before a list or table and between paragraphs, so every block is separated.
 */
export function describeCase(s: CaseState): string {
  const blocks = [
    `**${s.carrierName} ${s.productType} ${s.plan} ${money(s.faceAmount)}** — application ${s.applicationNumber}, broker NPN ${s.broker.npn}`,
    `**Stage:** ${s.stage}${s.outcome ? ` — ${s.outcome.outcome}: ${s.outcome.reason}` : ''} (since ${s.stageEnteredAt.slice(0, 10)})`,
  ];
  if (s.decision) blocks.push(`**Decision:** ${s.decision.decision}${s.decision.riskClass ? ` (${s.decision.riskClass})` : ''}`);
  const nigo = s.nigo.items.filter((i) => !i.resolved);
  if (nigo.length) blocks.push('**Not in good order:**', nigo.map((i) => `- ${cell(i.message)}`).join('\n'));
  const open = openRequirements(s);
  if (open.length) {
    blocks.push(
      [
        '| Requirement | Status | Waiting on | Next follow-up |',
        '|---|---|---|---|',
        ...open.map((r) => `| ${cell(r.description)} | ${r.status} | ${r.vendorCode ?? r.fulfiller} | ${r.nextFollowUpOn ?? '—'} |`),
      ].join('\n'),
    );
  }
  const toReview = documentsToReview(s);
  if (toReview.length) {
    blocks.push(`**Documents to review (${toReview.length}):**`, toReview.map((d) => `- ${cell(d.fileName)} (${d.source.toLowerCase()}, ${d.receivedAt.slice(0, 10)})`).join('\n'));
  }
  return blocks.join('\n\n');
}

/** Keeps free text on one line and out of the table's column separators. */
const cell = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
