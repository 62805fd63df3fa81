import { OPEN_STATUSES, STAGES, type Stage } from '../../domain/case';
import type { Db } from '../../platform/db';
import { wholeDaysSince } from './days';

/*
 * The manager's view of the whole pipeline, read from the system of record. Percentiles are
 * PostgreSQL's percentile_cont (linear interpolation between neighbours, as a spreadsheet's
 * PERCENTILE.INC), so the numbers can be checked by hand.
 */

export const AGEING_BUCKETS = ['0-15', '16-30', '31-45', '46-60', '61-90', '90+'] as const;
export type AgeingBucket = (typeof AGEING_BUCKETS)[number];

export const NIGO_WINDOW_DAYS = 90;

export interface CaseTotals {
  cases: number;
  /** Face amount in dollars. */
  faceAmount: number;
}

export interface Durations {
  count: number;
  /** Days to 0.01; null when there is nothing to measure. */
  medianDays: number | null;
  p90Days: number | null;
}

export interface OpenRequirements {
  open: number;
  /** Whole days since the oldest of them was requested. */
  oldestOpenDays: number;
}

export interface DaysToAppointment {
  carrierCode: string;
  /** Contracting requests that ended in an appointment with this carrier. */
  appointed: number;
  /** Calendar days from the request opening to the appointment date, to 0.01. */
  medianDays: number | null;
}

export interface PipelineReport {
  asOf: string;
  open: CaseTotals;
  /** Every open stage in pipeline order, including those with no cases. */
  openByStage: (CaseTotals & { stage: string })[];
  /** Open cases by whole days since receipt; "90+" is 91 days and more. */
  ageing: (CaseTotals & { bucket: AgeingBucket })[];
  /** Cases received in the last 90 days, and how many of them were found not in good order. */
  nigo: { since: string; received: number; nigo: number; rate: number | null };
  cycleTimes: {
    /** Finished visits of each stage (left, whatever came next), in pipeline order. */
    byStage: (Durations & { stage: string })[];
    /** Closed cases, whatever the outcome, from receipt to close. */
    receiptToClose: Durations;
  };
  /** Requirements outstanding, ordered or scheduled: the largest groups first, then the longest waiting. */
  outstandingRequirements: {
    byCode: (OpenRequirements & { code: string })[];
    /** vendorCode null: fulfilled by the broker, client or carrier, with no vendor order. */
    byVendor: (OpenRequirements & { vendorCode: string | null })[];
  };
  /** Per carrier with at least one appointment: how long contracting took, over every appointed request. */
  daysToAppointment: DaysToAppointment[];
}

const DAY_MS = 86_400_000;
const OPEN_STAGES: readonly string[] = STAGES.filter((s) => s !== 'CLOSED');
const openCase = { stage: { not: 'CLOSED' } };
const openRequirement = { status: { in: [...OPEN_STATUSES] } };

/** Stages the code no longer knows still hold cases; they go last rather than vanish from the report. */
const byPipelineOrder = (a: string, b: string) => {
  const rank = (s: string) => {
    const i = STAGES.indexOf(s as Stage);
    return i < 0 ? STAGES.length : i;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
};

const toHundredths = (d: number | null) => (d === null ? null : Math.round(d * 100) / 100);

function bucketOf(days: number): AgeingBucket {
  if (days <= 15) return '0-15';
  if (days <= 30) return '16-30';
  if (days <= 45) return '31-45';
  if (days <= 60) return '46-60';
  if (days <= 90) return '61-90';
  return '90+';
}

async function openCases(db: Db, now: Date): Promise<Pick<PipelineReport, 'open' | 'openByStage' | 'ageing'>> {
  const rows = await db.case.findMany({ where: openCase, select: { stage: true, receivedAt: true, faceAmount: true } });
  const totals = () => ({ cases: 0, faceAmount: 0 });
  const add = (t: CaseTotals, face: number) => {
    t.cases += 1;
    t.faceAmount += face;
  };
  const open = totals();
  const stages = new Map(OPEN_STAGES.map((s) => [s, totals()]));
  const ageing = new Map(AGEING_BUCKETS.map((b) => [b, totals()]));
  for (const row of rows) {
    const face = Number(row.faceAmount);
    add(open, face);
    if (!stages.has(row.stage)) stages.set(row.stage, totals());
    add(stages.get(row.stage)!, face);
    add(ageing.get(bucketOf(wholeDaysSince(row.receivedAt, now)))!, face);
  }
  return {
    open,
    openByStage: [...stages].sort(([a], [b]) => byPipelineOrder(a, b)).map(([stage, t]) => ({ stage, ...t })),
    ageing: AGEING_BUCKETS.map((bucket) => ({ bucket, ...ageing.get(bucket)! })),
  };
}

async function nigoRate(db: Db, now: Date): Promise<PipelineReport['nigo']> {
  const since = new Date(now.getTime() - NIGO_WINDOW_DAYS * DAY_MS);
  const received = { receivedAt: { gte: since, lte: now } };
  const [all, nigo] = await Promise.all([
    db.case.count({ where: received }),
    db.case.count({ where: { ...received, events: { some: { type: 'NIGO_FOUND' } } } }),
  ]);
  return { since: since.toISOString(), received: all, nigo, rate: all === 0 ? null : nigo / all };
}

interface DurationRow {
  stage: string;
  count: number;
  median: number | null;
  p90: number | null;
}

const durations = (r: Pick<DurationRow, 'count' | 'median' | 'p90'>): Durations => ({
  count: r.count,
  medianDays: toHundredths(r.median),
  p90Days: toHundredths(r.p90),
});

async function cycleTimes(db: Db): Promise<PipelineReport['cycleTimes']> {
  // The CLOSED visit is the end state; its zero-length "visit" would only dilute the numbers.
  const stageRows = await db.$queryRaw<DurationRow[]>`
    SELECT stage,
           count(*)::int AS count,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90
      FROM (SELECT stage, extract(epoch FROM "leftAt" - "enteredAt")::float8 / 86400 AS days
              FROM "StageVisit"
             WHERE "leftAt" IS NOT NULL AND stage <> 'CLOSED') AS visits
     GROUP BY stage`;
  const [closed] = await db.$queryRaw<Omit<DurationRow, 'stage'>[]>`
    SELECT count(*)::int AS count,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90
      FROM (SELECT extract(epoch FROM "closedAt" - "receivedAt")::float8 / 86400 AS days
              FROM "Case"
             WHERE "closedAt" IS NOT NULL) AS closed`;
  return {
    byStage: stageRows.sort((a, b) => byPipelineOrder(a.stage, b.stage)).map((r) => ({ stage: r.stage, ...durations(r) })),
    receiptToClose: durations(closed ?? { count: 0, median: null, p90: null }),
  };
}

async function daysToAppointment(db: Db): Promise<DaysToAppointment[]> {
  // appointedOn is a date, so the opening counts by its (UTC) date too: appointed the day it opened is 0, never negative.
  const rows = await db.$queryRaw<{ carrierCode: string; appointed: number; median: number | null }[]>`
    SELECT "carrierCode",
           count(*)::int AS appointed,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median
      FROM (SELECT "carrierCode", ("appointedOn" - "openedAt"::date)::float8 AS days
              FROM "ContractingRequest"
             WHERE stage = 'APPOINTED' AND "appointedOn" IS NOT NULL) AS appointed
     GROUP BY "carrierCode"
     ORDER BY "carrierCode"`;
  return rows.map((r) => ({ carrierCode: r.carrierCode, appointed: r.appointed, medianDays: toHundredths(r.median) }));
}

async function outstandingRequirements(db: Db, now: Date): Promise<PipelineReport['outstandingRequirements']> {
  const group = (by: 'code' | 'vendorCode') =>
    db.requirement.groupBy({ by: [by], where: openRequirement, _count: { _all: true }, _min: { requestedAt: true } });
  const [codes, vendors] = await Promise.all([group('code'), group('vendorCode')]);
  const counts = (g: { _count: { _all: number }; _min: { requestedAt: Date | null } }): OpenRequirements => ({
    open: g._count._all,
    oldestOpenDays: g._min.requestedAt ? wholeDaysSince(g._min.requestedAt, now) : 0,
  });
  const largestFirst = <T extends OpenRequirements>(rows: T[], name: (r: T) => string) =>
    rows.sort((a, b) => b.open - a.open || b.oldestOpenDays - a.oldestOpenDays || name(a).localeCompare(name(b)));
  return {
    byCode: largestFirst(
      codes.map((g) => ({ code: g.code, ...counts(g) })),
      (r) => r.code,
    ),
    byVendor: largestFirst(
      vendors.map((g) => ({ vendorCode: g.vendorCode, ...counts(g) })),
      (r) => r.vendorCode ?? '',
    ),
  };
}

/** Reads only; `now` fixes the ageing, the NIGO window and "days open", so a report can be reproduced. */
export async function pipelineReport(db: Db, now: Date): Promise<PipelineReport> {
  const [cases, nigo, cycles, requirements, appointments] = await Promise.all([
    openCases(db, now),
    nigoRate(db, now),
    cycleTimes(db),
    outstandingRequirements(db, now),
    daysToAppointment(db),
  ]);
  return { asOf: now.toISOString(), ...cases, nigo, cycleTimes: cycles, outstandingRequirements: requirements, daysToAppointment: appointments };
}
