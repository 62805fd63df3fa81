import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { benchApplication } from './applications';
import { submitApplication } from '../client/cases';
import { cpuPerCase, cpuSnapshot } from './cpu';
import { countHistories, type HistoryTotals } from './history';
import type { SmtpSink } from './smtp-sink';
import { now, pool, round, say, sleep } from './util';

export interface BenchContext {
  client: Client;
  pg: Pool;
  smtp: SmtpSink;
  /** The stack's private folder; it names the bench's own server processes for the CPU account. */
  workDir: string;
}

const POLL_MS = 250;
const STALL_MS = 180_000;

/**
 * The cases among `pending` that are through intake: stage REQUIREMENTS, every vendor
 * requirement ORDERED, and the acknowledgement, exam instructions and one order per vendor
 * requirement accepted by the SMTP sink.
 */
async function readyCases(ctx: BenchContext, pending: Set<string>): Promise<string[]> {
  const { rows } = await ctx.pg.query<{ id: string; stage: string; key: string | null; vendorCode: string | null; status: string | null }>(
    `SELECT c.id, c.stage, r.key, r."vendorCode", r.status
       FROM "Case" c LEFT JOIN "Requirement" r ON r."caseId" = c.id AND r."vendorCode" IS NOT NULL
      WHERE c.id = ANY($1::text[])`,
    [[...pending]],
  );
  const cases = new Map<string, { stage: string; orders: { key: string; status: string }[] }>();
  for (const r of rows) {
    const c = cases.get(r.id) ?? { stage: r.stage, orders: [] };
    if (r.key && r.status) c.orders.push({ key: r.key, status: r.status });
    cases.set(r.id, c);
  }
  const ready: string[] = [];
  for (const [id, c] of cases) {
    const ok =
      c.stage === 'REQUIREMENTS' &&
      c.orders.length > 0 &&
      c.orders.every((o) => o.status === 'ORDERED' && ctx.smtp.has(`${id}:order:${o.key}`)) &&
      ctx.smtp.has(`${id}:acknowledgement`) &&
      ctx.smtp.has(`${id}:exam-instructions`);
    if (ok) ready.push(id);
  }
  return ready;
}

async function stagesOf(ctx: BenchContext, ids: string[]): Promise<string> {
  const { rows } = await ctx.pg.query<{ stage: string; n: string }>(
    `SELECT stage, count(*) AS n FROM "Case" WHERE id = ANY($1::text[]) GROUP BY stage`,
    [ids],
  );
  const missing = ids.length - rows.reduce((a, r) => a + Number(r.n), 0);
  return [...rows.map((r) => `${r.stage} ${r.n}`), ...(missing ? [`no row yet ${missing}`] : [])].join(', ');
}

export interface CarryResult {
  caseIds: string[];
  seconds: number;
  submitSeconds: number;
}

/**
 * Submits `n` applications (at most `inFlight` starts at a time) and waits until every case is
 * through intake. The clock runs from the first submission to the last case found ready.
 * Once `stop()` says so, no further application is submitted and only those already in are awaited.
 */
export async function carryThroughIntake(
  ctx: BenchContext,
  label: string,
  taskQueue: string,
  n: number,
  inFlight: number,
  stop: () => boolean = () => false,
): Promise<CarryResult> {
  const tag = Math.random().toString(36).slice(2, 8).toUpperCase();
  const apps = Array.from({ length: n }, (_, i) => benchApplication(tag, i));
  const caseIds: string[] = [];
  const pending = new Set<string>();
  const t0 = now();
  let submitSeconds = 0;
  let submitted = false;
  let submitError: unknown;
  const submitting = pool(apps, inFlight, async (app) => {
    if (stop()) return;
    const { caseId } = await submitApplication(ctx.client, taskQueue, app);
    caseIds.push(caseId);
    pending.add(caseId);
  }).then(
    () => {
      submitSeconds = (now() - t0) / 1000;
      submitted = true;
    },
    (err: unknown) => void (submitError = err),
  );
  let ready = 0;
  let lastProgress = now();
  let lastPrint = now();
  while (!submitted || pending.size > 0) {
    await sleep(POLL_MS);
    if (submitError) throw submitError;
    const done = pending.size ? await readyCases(ctx, pending) : [];
    for (const id of done) pending.delete(id);
    if (done.length) lastProgress = now();
    ready += done.length;
    if (now() - lastPrint > 5000 || (submitted && pending.size === 0)) {
      lastPrint = now();
      const s = (now() - t0) / 1000;
      say(`${label}: ${ready}/${n} through intake, ${caseIds.length} submitted, ${ctx.smtp.accepted.size} emails in the sink, ${round(ready / s)} cases/s`);
    }
    if (now() - lastProgress > STALL_MS) {
      throw new Error(`${label}: no case got through intake for ${STALL_MS / 1000} s; pending cases: ${await stagesOf(ctx, [...pending])}`);
    }
  }
  const seconds = (now() - t0) / 1000;
  await submitting;
  return { caseIds, seconds, submitSeconds };
}

export interface IntakeResult {
  label: string;
  taskQueue: string;
  settings: Record<string, string | number | undefined>;
  cases: number;
  seconds: number;
  submitSeconds: number;
  appsPerSecond: number;
  activitiesPerSecond: number;
  workflowTasksPerSecond: number;
  perCase: { activities: number; workflowTasks: number; timers: number; events: number; historyKiB: number };
  /** Where the CPU went, in milliseconds per case: this process (worker, client, sink), Temporal, PostgreSQL. */
  cpuMsPerCase: ReturnType<typeof cpuPerCase>;
  history: HistoryTotals;
  caseIds: string[];
}

/** Measurement 1: N applications at once through intake, with the server's counts of what it took. */
export async function runIntake(
  ctx: BenchContext,
  label: string,
  taskQueue: string,
  n: number,
  settings: IntakeResult['settings'],
): Promise<IntakeResult> {
  say(`${label}: submitting ${n} applications at once on task queue ${taskQueue}`);
  const cpuBefore = cpuSnapshot(ctx.workDir);
  const carried = await carryThroughIntake(ctx, label, taskQueue, n, n);
  const cpu = cpuPerCase(cpuBefore, cpuSnapshot(ctx.workDir), n);
  say(`${label}: reading ${n} histories to count activities, workflow tasks and timers`);
  const history = await countHistories(ctx.client, carried.caseIds);
  const per = (x: number) => round(x / n, 2);
  return {
    label,
    taskQueue,
    settings,
    cases: n,
    seconds: round(carried.seconds, 2),
    submitSeconds: round(carried.submitSeconds, 2),
    appsPerSecond: round(n / carried.seconds, 2),
    activitiesPerSecond: round(history.activities / carried.seconds),
    workflowTasksPerSecond: round(history.workflowTasks / carried.seconds),
    perCase: {
      activities: per(history.activities),
      workflowTasks: per(history.workflowTasks),
      timers: per(history.timers),
      events: per(history.events),
      historyKiB: per(history.bytes / 1024),
    },
    cpuMsPerCase: cpu,
    history,
    caseIds: carried.caseIds,
  };
}
