import type { Command } from 'commander';
// The stage names alone, not the core's index: that would load its zod schemas into every report.
import { type ContractingStage, STAGE_LABELS } from '../../domain/contracting-core/state';
import {
  DEFAULT_QUIET_DAYS,
  getPipelineReport,
  getWorklist,
  type PendingCaseReportsResult,
  type PipelineReport,
  sendPendingReportsNow,
  type Worklist,
} from '../reports';
import { UsageError } from './errors';
import { examples, type JsonOption, withJson } from './options';
import { clip, dollars, print, printJson, table } from './output';
import { inSession } from './session';

/*
 * The manager's reports: the pipeline as PostgreSQL records it, and the brokers' pending-case
 * emails sent on demand instead of waiting for the weekly schedule.
 */

const days = (d: number | null) => (d === null ? '—' : d.toFixed(2));
const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;
const contractingStage = (stage: string) => STAGE_LABELS[stage as ContractingStage] ?? stage;

type Durations = PipelineReport['cycleTimes']['receiptToClose'];
const durationRow = (label: string, d: Durations) => [label, d.count, days(d.medianDays), days(d.p90Days)];

function renderNigo({ nigo }: PipelineReport): string {
  const since = nigo.since.slice(0, 10);
  if (nigo.rate === null) return `NIGO rate: — (no cases received since ${since})`;
  return `NIGO rate: ${percent(nigo.rate)} (${nigo.nigo} of ${nigo.received} cases received since ${since} not in good order)`;
}

function renderRequirements({ outstandingRequirements: o }: PipelineReport): string {
  if (!o.byCode.length) return 'Outstanding requirements: none';
  const head = (name: string) => [name, 'Open', 'Oldest open (days)'];
  return [
    `Outstanding requirements by code:\n${table(head('Code'), o.byCode.map((r) => [r.code, r.open, r.oldestOpenDays]))}`,
    // No vendor: the broker, the client or the carrier owes it.
    `By vendor:\n${table(head('Vendor'), o.byVendor.map((r) => [r.vendorCode ?? '(none: broker, client or carrier)', r.open, r.oldestOpenDays]))}`,
  ].join('\n\n');
}

function renderAppointments({ daysToAppointment: rows }: PipelineReport): string {
  if (!rows.length) return 'Days to appointment: none appointed yet';
  return `Days to appointment (contracting request opened → appointed):\n${table(
    ['Carrier', 'Appointed', 'Median days'],
    rows.map((r) => [r.carrierCode, r.appointed, days(r.medianDays)]),
  )}`;
}

function renderPipeline(r: PipelineReport): string {
  const totals = ['Cases', 'Face amount'];
  const cycles = r.cycleTimes;
  return [
    `Pipeline as of ${r.asOf.slice(0, 16).replace('T', ' ')}Z: ${r.open.cases} open ${r.open.cases === 1 ? 'case' : 'cases'}, ${dollars(r.open.faceAmount)} face amount`,
    `Open by stage:\n${table(['Stage', ...totals], r.openByStage.map((s) => [s.stage, s.cases, dollars(s.faceAmount)]))}`,
    `Ageing of open cases (days since receipt):\n${table(['Days', ...totals], r.ageing.map((a) => [a.bucket, a.cases, dollars(a.faceAmount)]))}`,
    renderNigo(r),
    `Cycle times (days; stages count finished visits, receipt → close counts closed cases):\n${table(
      ['Stage', 'Count', 'Median', 'P90'],
      [...cycles.byStage.map((s) => durationRow(s.stage, s)), durationRow('Receipt → close', cycles.receiptToClose)],
    )}`,
    renderRequirements(r),
    renderAppointments(r),
  ].join('\n\n');
}

function renderWorklist(w: Worklist): string {
  const caseRows = (cases: Worklist['contractingHolds'], days: 'daysInStage' | 'daysSinceActivity') =>
    cases.map((c) => [c.caseId, c.stage, c.carrierCode, `${c.brokerName} (${c.brokerNpn})`, c[days]]);
  const section = (title: string, rows: (string | number)[][], head: string[]) => (rows.length ? `${title} (${rows.length}):\n${table(head, rows)}` : `${title}: none`);
  const parts = [
    `Worklist as of ${w.asOf.slice(0, 16).replace('T', ' ')}Z`,
    section(
      'Emails to check (UNCONFIRMED: may or may not have reached the server; FAILED: refused or still retrying; STALLED: claimed over an hour ago, never sent, no attempt since)',
      w.emails.map((e) => [e.key, e.status, e.to, e.subject, e.attempts, e.lastError ?? '']),
      ['Key (bga email confirm|resend <key>)', 'Status', 'To', 'Subject', 'Attempts', 'Last error'],
    ),
    section('Held for contracting', caseRows(w.contractingHolds, 'daysInStage'), ['Case', 'Stage', 'Carrier', 'Broker', 'Days held']),
    section("Counter-offers awaiting the client's answer", caseRows(w.offersAwaitingAnswer, 'daysInStage'), ['Case', 'Stage', 'Carrier', 'Broker', 'Days waiting']),
    section(
      'Requirements chased to the limit, still open',
      w.escalatedRequirements.map((r) => [r.caseId, r.description, r.status, r.waitingOn, r.followUps, r.daysOpen]),
      ['Case', 'Requirement', 'Status', 'Waiting on', 'Follow-ups', 'Days open'],
    ),
    section(`Quiet cases (no activity for ${w.quietDays}+ days)`, caseRows(w.quietCases, 'daysSinceActivity'), ['Case', 'Stage', 'Carrier', 'Broker', 'Days quiet']),
    section(
      'Orders a vendor refused (order by hand and record it, or waive the requirement)',
      w.refusedOrders.map((o) => [o.caseId, o.key, o.description, o.vendorCode, o.reason, o.refusedAt.slice(0, 10)]),
      ['Case', 'Key', 'Requirement', 'Vendor', 'Vendor said', 'Refused on'],
    ),
    section(
      'Submissions a carrier refused (fix what it objected to, then bga resubmit)',
      w.refusedSubmissions.map((s) => [s.caseId, s.carrierCode, s.applicationNumber, s.reason, s.refusedAt.slice(0, 10)]),
      ['Case', 'Carrier', 'Application', 'Carrier said', 'Refused on'],
    ),
    section(
      'Documents to review (bga document accept|reject <case> <file>)',
      w.documentsToReview.map((d) => [d.caseId, d.fileName, d.forWhat ?? '(not said)', `${d.sender} (${d.source.toLowerCase()})`, d.daysWaiting]),
      ['Case', 'File', 'For', 'From', 'Days waiting'],
    ),
    section(
      'Mail that matched no case (bga mail assign <mail> <case>)',
      w.unmatchedMail.map((m) => [m.mailId, m.from, m.subject, m.receivedAt.slice(0, 10)]),
      ['Mail', 'From', 'Subject', 'Received'],
    ),
    section(
      'Contracting under way (bga contracting status <npn> <carrier>)',
      w.contracting.map((c) => [
        c.npn,
        clip(c.brokerName, 24),
        c.carrierCode,
        contractingStage(c.stage),
        c.waitingOn ?? '—',
        c.missing.length ? clip(c.missing.join('; '), 70) : '—',
        c.casesWaiting,
        c.daysInStage,
      ]),
      ['NPN', 'Broker', 'Carrier', 'Stage', 'Waiting on', 'Missing', 'Cases', 'Days'],
    ),
  ];
  return parts.join('\n\n');
}

function renderPending(result: PendingCaseReportsResult): string {
  if (!result.reports.length) return `No broker has an open case; no pending-case reports for the week of ${result.weekOf}.`;
  const rows = result.reports.map((b) => [b.npn, b.status, b.error ?? '']);
  return `Pending-case reports for the week of ${result.weekOf}:\n${table(['Broker NPN', 'Status', 'Error'], rows)}`;
}

function registerPipeline(report: Command): void {
  const cmd = withJson(report.command('pipeline').description('open cases by stage and age, NIGO rate, cycle times, outstanding requirements, days to appointment')).action(
    async (opts: JsonOption) => {
      await inSession(async (session) => {
        const result = await getPipelineReport(await session.db());
        if (opts.json) printJson(result);
        else print(renderPipeline(result));
      });
    },
  );
  examples(cmd, ['bga report pipeline', 'bga report pipeline --json | jq .nigo.rate']);
  cmd.addHelpText('after', '\nRead from PostgreSQL (DATABASE_URL); Temporal is not needed. Days are to the hundredth; P90 is the 90th percentile.');
}

function registerPending(report: Command): void {
  const cmd = withJson(
    report
      .command('pending')
      .description("email each broker with open cases their pending-case report now, and show each broker's outcome")
      .option('--send-now', 'confirm: send the reports now rather than wait for the weekly schedule'),
  ).action(async (opts: JsonOption & { sendNow?: boolean }) => {
    // Emails go to every broker with open cases, so the flag is required as a confirmation.
    if (!opts.sendNow) throw new UsageError('`bga report pending` emails every broker with open cases; add --send-now to send the reports now.');
    await inSession(async (session) => {
      const result = await sendPendingReportsNow(await session.client(), session.config.temporal.taskQueue);
      if (opts.json) printJson(result);
      else print(renderPending(result));
      const failed = result.reports.filter((b) => b.status === 'FAILED');
      // Printed first, so the brokers that did get their report are not lost with the error.
      if (failed.length) throw new Error(`${failed.length} of ${result.reports.length} pending-case reports were not delivered: NPN ${failed.map((b) => b.npn).join(', ')}.`);
    });
  });
  examples(cmd, ['bga report pending --send-now', 'bga report pending --send-now --json']);
  cmd.addHelpText(
    'after',
    '\nEach broker gets one report a day: run again the same day and they show ALREADY_SENT, nothing is sent twice.' +
      '\nExit code 1 when any broker\'s report could not be delivered (status FAILED, with the reason).',
  );
}

function quietDays(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 365) throw new UsageError(`--quiet-days: expected whole days from 1 to 365; got ${JSON.stringify(value)}`);
  return n;
}

function registerWorklist(report: Command): void {
  const cmd = withJson(
    report
      .command('worklist')
      .description('what needs a person now: emails to check, contracting holds, counter-offers, requirements chased to the limit, quiet cases, contracting under way')
      .option('--quiet-days <days>', `a case with no activity for this many days is listed (default ${DEFAULT_QUIET_DAYS})`, quietDays),
  ).action(async (opts: JsonOption & { quietDays?: number }) => {
    await inSession(async (session) => {
      const result = await getWorklist(await session.db(), opts.quietDays);
      if (opts.json) printJson(result);
      else print(renderWorklist(result));
    });
  });
  examples(cmd, ['bga report worklist', 'bga report worklist --quiet-days 7 --json | jq .escalatedRequirements']);
  cmd.addHelpText('after', '\nRead from PostgreSQL (DATABASE_URL); Temporal is not needed. Follow-up limits are the current carrier rules.');
}

export function registerReportCommands(program: Command): void {
  const report = program.command('report').description("the manager's reports: the pipeline, the case managers' worklist, and brokers' pending-case emails");
  registerPipeline(report);
  registerWorklist(report);
  registerPending(report);
}
