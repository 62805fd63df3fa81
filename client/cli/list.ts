import type { Command } from 'commander';
import { daysBetween, STAGES, type Stage } from '../../domain/case';
import { type CaseFilter, type CaseSummary, listCases, visibilityQuery } from '../operations';
import { examples, type JsonOption, nonNegativeInt, oneOf, upper, withJson } from './options';
import { dollars, print, printJson, table } from './output';
import { inSession } from './session';

interface ListOptions extends JsonOption {
  stage?: Stage;
  carrier?: string;
  broker?: string;
  outstanding?: string;
  olderThan?: number;
  all?: boolean;
}

function filterFrom(o: ListOptions): CaseFilter {
  return {
    ...(o.stage ? { stage: o.stage } : {}),
    ...(o.carrier ? { carrier: o.carrier } : {}),
    ...(o.broker ? { brokerNpn: o.broker } : {}),
    ...(o.outstanding ? { outstanding: o.outstanding } : {}),
    ...(o.olderThan !== undefined ? { olderThanDays: o.olderThan } : {}),
    ...(o.all ? { all: true } : {}),
  };
}

function renderList(cases: CaseSummary[], filter: CaseFilter, now: Date): string {
  if (!cases.length) return `No cases match (${visibilityQuery(filter, now)}).`;
  const rows = cases.map((c) => [
    c.caseId,
    c.outcome ? `${c.stage} (${c.outcome})` : c.stage,
    c.stageEnteredAt ? daysBetween(c.stageEnteredAt, now.toISOString()) : '—',
    c.carrier,
    c.brokerNpn,
    dollars(c.faceAmount),
    c.outstandingCodes.length ? `${c.outstanding}: ${c.outstandingCodes.join(' ')}` : c.outstanding,
    c.startedAt.slice(0, 10),
  ]);
  const head = ['Case', 'Stage', 'Days in stage', 'Carrier', 'Broker NPN', 'Face amount', 'Outstanding', 'Received'];
  return `${table(head, rows)}\n${cases.length} ${cases.length === 1 ? 'case' : 'cases'}.`;
}

export function registerListCommand(program: Command): void {
  const list = withJson(
    program
      .command('list')
      .description('find cases (open ones unless --all)')
      .option('--stage <stage>', `only cases in this stage: ${STAGES.join(', ')}`, oneOf(STAGES))
      .option('--carrier <code>', 'only cases with this carrier, e.g. SUMMIT', upper)
      .option('--broker <npn>', "only this broker's cases")
      .option('--outstanding <code>', 'only cases with this requirement still open, e.g. PHYSSTMT', upper)
      .option('--older-than <days>', 'only cases received at least this many days ago', nonNegativeInt)
      .option('--all', 'include closed cases'),
  ).action(async (opts: ListOptions) => {
    const filter = filterFrom(opts);
    await inSession(async (session) => {
      const cases = await listCases(await session.client(), filter);
      if (opts.json) printJson(cases);
      else print(renderList(cases, filter, new Date()));
    });
  });
  examples(list, [
    'bga list',
    'bga list --carrier SUMMIT --outstanding PHYSSTMT --older-than 21',
    'bga list --broker 17654321 --all --json',
  ]);
  list.addHelpText('after', '\nThe same filter works in the Temporal Web UI; an empty result prints the query used.');
}
