import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { awaitRequest, sendAction } from '../client/operations';
import { requirementEmailKeyPrefix } from '../domain/case-core/emails';
import { actionSignals } from '../workflows/messages';
import { SIGNAL_CEILING_ACTIVITY, type SignalCeilingWorker, startSignalCeilingWorker } from './ceiling';
import { type CriticalPath, criticalPaths, countHistories, lastEventIds, type PathSegments, type SentSignal } from './history';
import type { BenchContext } from './intake';
import { ceilingActionSignal, ceilingDoneSignal } from './signal-ceiling-workflow';
import type { Endpoints } from './workers';
import { distribution, type Distribution, now, pool, round, say, sleep } from './util';

/** The notification channel of the bench's trigger on "Requirement". */
const CHANNEL = 'bench_requirement_received';
const OP_TIMEOUT_MS = 60_000;

interface Target {
  caseId: string;
  key: string;
}

/**
 * Requirements an action can receive with an email to the broker (vendor or broker items), in
 * rounds: round k holds the (k+1)-th such requirement of every case that has one. The last such requirement of every case stays open, so the case
 * stays in REQUIREMENTS on its follow-up timer for the scale phase.
 */
async function targets(pg: Pool, caseIds: string[]): Promise<Target[][]> {
  const { rows } = await pg.query<{ caseId: string; key: string }>(
    `SELECT "caseId", key FROM "Requirement"
      WHERE "caseId" = ANY($1::text[]) AND status IN ('OUTSTANDING', 'ORDERED', 'SCHEDULED')
        AND ("vendorCode" IS NOT NULL OR fulfiller = 'BROKER')
      ORDER BY "caseId", key`,
    [caseIds],
  );
  const byCase = new Map<string, string[]>();
  for (const r of rows) byCase.set(r.caseId, [...(byCase.get(r.caseId) ?? []), r.key]);
  const rounds: Target[][] = [];
  for (const [caseId, keys] of byCase) {
    keys.slice(0, -1).forEach((key, i) => (rounds[i] ??= []).push({ caseId, key }));
  }
  return rounds;
}

/**
 * Sees each awaited `Requirement` row turn RECEIVED the moment its transaction commits: a
 * trigger the bench puts on its own database (never the product's migrations) sends a
 * notification, which PostgreSQL delivers only on commit. Unlike a poll, it adds no lag of its
 * own to the product's figure beyond the notification's delivery on a local connection.
 */
class ReceivedWatcher {
  private readonly pending = new Map<string, (at: number) => void>();
  private constructor(private readonly listener: PoolClient) {}

  static async start(pg: Pool): Promise<ReceivedWatcher> {
    await pg.query(`
      CREATE OR REPLACE FUNCTION bench_requirement_received() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'RECEIVED' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status) THEN
          PERFORM pg_notify('${CHANNEL}', NEW."caseId" || E'\\n' || NEW.key);
        END IF;
        RETURN NEW;
      END $$`);
    await pg.query(`DROP TRIGGER IF EXISTS bench_requirement_received ON "Requirement"`);
    await pg.query(`CREATE TRIGGER bench_requirement_received AFTER INSERT OR UPDATE OF status ON "Requirement" FOR EACH ROW EXECUTE FUNCTION bench_requirement_received()`);
    const listener = await pg.connect();
    const watcher = new ReceivedWatcher(listener);
    listener.on('notification', (n) => {
      const at = now();
      if (n.channel !== CHANNEL || !n.payload) return;
      watcher.pending.get(n.payload)?.(at);
      watcher.pending.delete(n.payload);
    });
    await listener.query(`LISTEN ${CHANNEL}`);
    return watcher;
  }

  wait(target: Target): Promise<number> {
    return new Promise((resolve) => this.pending.set(`${target.caseId}\n${target.key}`, resolve));
  }

  async stop(pg: Pool): Promise<void> {
    await this.listener.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
    this.listener.release();
    await pg.query(`DROP TRIGGER IF EXISTS bench_requirement_received ON "Requirement"`);
  }
}

/** The action measured, its signal's name as the history shows it, and the activity that writes its row. */
const ACTION = 'receive-requirement';
const ACTION_SIGNAL = actionSignals[ACTION].name;
/** `EffectPorts.syncCase` in workflows/effects.ts, bound to the `syncCase` activity of activities/records.ts. */
const SYNC_ACTIVITY = 'syncCase';

/** One action at a time before the steady rate: the latency of one action on an otherwise idle pipeline. */
const ONE_AT_A_TIME = 20;
/**
 * Sent before them and not recorded, on the product and on the ceiling alike, so that neither
 * pays for the worker's first run of its code paths. Each case still pays for its own first
 * action (workflow modules are evaluated per workflow, and a case loads the action schemas on
 * its first action: domain/case-core/deciders.ts); the second round on the same cases shows how much.
 */
const WARM_UP = 3;
/**
 * Quiet before each one-at-a-time send, so that what the previous one still does after its
 * effects are in (the product's sync of EMAIL_SENT, the ceiling's closing workflow task) is not
 * on the next one's path.
 */
const PAUSE_MS = 500;
const SIGNAL_CEILING_QUEUE = 'bench-signal-ceiling';

/** Issue 11: an action's critical path, signal to its row, takes at most this many workflow tasks and activities. */
export const PATH_TARGET = { workflowTasks: 2, activities: 1 };

interface Timings {
  /** Send → `sendAction` returned (the server has the signal). */
  signalled: Distribution;
  /** Send → the `Requirement` row RECEIVED in PostgreSQL. */
  database: Distribution;
  /** Send → the broker's email accepted by the SMTP sink. */
  email: Distribution;
  /** Send → `awaitRequest` returned the case with the action taken. */
  answered: Distribution;
}

export interface CeilingTimings {
  signalled: Distribution;
  /** Send → the no-op activity ran in the worker: the ceiling's "row" moment. */
  row: Distribution;
}

export interface PathSummary {
  /** Sends whose path was found in the history. */
  n: number;
  /** How many sends had 1, 2, … workflow tasks on the path. */
  workflowTasks: { max: number; mean: number; counts: Record<string, number> };
  activities: { max: number; mean: number; counts: Record<string, number> };
  /** The activities that ended on the path, by type, over all sends. */
  activityTypes: Record<string, number>;
  /** Sends within PATH_TARGET. */
  withinTarget: number;
  /** Workflow tasks on the paths that went to the sticky queue, of all workflow tasks on them. */
  stickyTasks: string;
  /** Events written between the signal and the activity's scheduling, by type, over all sends. */
  eventTypes: Record<string, number>;
  /** Median encoded bytes of the row-writing activity's input. */
  inputBytesP50: number;
  /** Median of each segment, ms. */
  segmentsP50: PathSegments;
}

/** One action at a time, interleaved with one signal at a time to the ceiling. */
export interface OneAtATime {
  product: Timings & { failed: number };
  /** The signal ceiling: a signal whose handler runs one no-op activity. */
  ceiling: CeilingTimings & { failed: number };
  /** Product over ceiling, send → row. Issue 11: p50 at most 1.5. */
  ratio: { p50: number; p95: number };
  /** Per send, from the histories: signal → the row-writing activity's completion. */
  criticalPath: { product: PathSummary; ceiling: PathSummary };
}

export interface LatencyResult extends Timings {
  targetRate: number;
  seconds: number;
  sent: number;
  completed: number;
  failed: number;
  achievedRate: number;
  /**
   * One action at a time, each the first on its case since intake (as every case's first action
   * is): the floor under the steady-rate figures, without queueing. The targets are judged here.
   */
  oneAtATime: OneAtATime;
  /** The same again, a second action on each of those cases, and a second signal to each ceiling workflow. */
  secondOnCase: OneAtATime;
  /** What one action costs the server, from the histories before and after: the rate the box can sustain follows from it. */
  perAction: { activities: number; workflowTasks: number; events: number };
}

const withTimeout = <T>(p: Promise<T>): Promise<T> =>
  Promise.race([p, sleep(OP_TIMEOUT_MS).then(() => Promise.reject(new Error(`no effect within ${OP_TIMEOUT_MS / 1000} s`)))]);

const roundAll = (d: Distribution): Distribution => ({
  n: d.n,
  p50: round(d.p50),
  p95: round(d.p95),
  p99: round(d.p99),
  max: round(d.max),
  mean: round(d.mean),
});

/** Collects, per action, the time from sending its signal to the server's receipt, the row in PostgreSQL, the email and the answer. */
class ActionRecorder {
  readonly signalled: number[] = [];
  readonly database: number[] = [];
  readonly email: number[] = [];
  readonly answered: number[] = [];
  readonly sentSignals: SentSignal[] = [];
  failed = 0;

  constructor(
    private readonly ctx: BenchContext,
    private readonly watcher: ReceivedWatcher,
  ) {}

  /** Sends one action and resolves when its effects are in (or it timed out). */
  send(target: Target): Promise<void> {
    const requestId = randomUUID();
    // The waiters are set before the clock starts; the send itself is the signal RPC.
    const dbAt = this.watcher.wait(target);
    const emailAt = this.ctx.smtp.waitForPrefix(`${target.caseId}:${requirementEmailKeyPrefix(target.key, 'RECEIVED')}`);
    this.sentSignals.push({ workflowId: target.caseId, signalName: ACTION_SIGNAL, sentAtWallMs: Date.now() });
    const sent = now();
    const signalled = sendAction(this.ctx.client, target.caseId, ACTION, { actor: 'bench', key: target.key }, requestId).then(() => now());
    const answered = signalled.then(() => awaitRequest(this.ctx.client, target.caseId, requestId, OP_TIMEOUT_MS)).then(() => now());
    return withTimeout(Promise.all([signalled, dbAt, emailAt, answered])).then(
      ([s, d, e, a]) => {
        this.signalled.push(s - sent);
        this.database.push(d - sent);
        this.email.push(e - sent);
        this.answered.push(a - sent);
      },
      (err: Error) => {
        this.failed += 1;
        if (this.failed <= 3) say(`latency: action on ${target.caseId} ${target.key} failed: ${err.message}`);
      },
    );
  }

  timings(): Timings {
    return {
      signalled: roundAll(distribution(this.signalled)),
      database: roundAll(distribution(this.database)),
      email: roundAll(distribution(this.email)),
      answered: roundAll(distribution(this.answered)),
    };
  }
}

/** The same for the signal ceiling: send → signal taken by the server, and → the no-op activity ran. */
class CeilingRecorder {
  readonly signalled: number[] = [];
  readonly row: number[] = [];
  readonly sentSignals: SentSignal[] = [];
  failed = 0;

  constructor(
    private readonly ctx: BenchContext,
    private readonly worker: SignalCeilingWorker,
  ) {}

  send(workflowId: string, key: string): Promise<void> {
    const requestId = randomUUID();
    const ranAt = this.worker.ran(requestId);
    this.sentSignals.push({ workflowId, signalName: ceilingActionSignal.name, sentAtWallMs: Date.now() });
    const sent = now();
    const signalled = this.ctx.client.workflow.getHandle(workflowId).signal(ceilingActionSignal, { requestId, input: { actor: 'bench', key } }).then(() => now());
    return withTimeout(Promise.all([signalled, ranAt])).then(
      ([s, r]) => {
        this.signalled.push(s - sent);
        this.row.push(r - sent);
      },
      (err: Error) => {
        this.failed += 1;
        if (this.failed <= 3) say(`latency: ceiling signal to ${workflowId} failed: ${err.message}`);
      },
    );
  }

  timings(): CeilingTimings {
    return { signalled: roundAll(distribution(this.signalled)), row: roundAll(distribution(this.row)) };
  }
}

/** Starts `n` signal-ceiling workflows and waits until each has run its first workflow task, so that, like a case, it sits idle in the cache. */
async function startCeilingCases(ctx: BenchContext, n: number): Promise<string[]> {
  const tag = Math.random().toString(36).slice(2, 8);
  const ids = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const handle = await ctx.client.workflow.start('signalCeilingWorkflow', { taskQueue: SIGNAL_CEILING_QUEUE, workflowId: `signal-ceiling-${tag}-${i}`, args: [] });
      return handle.workflowId;
    }),
  );
  await pool(ids, 8, async (id) => {
    // Started, task scheduled, task started, task completed.
    while ((await ctx.client.workflow.getHandle(id).describe()).historyLength < 4) await sleep(50);
  });
  return ids;
}

async function endCeilingCases(ctx: BenchContext, ids: string[]): Promise<void> {
  await pool(ids, 8, async (id) => {
    const handle = ctx.client.workflow.getHandle(id);
    await handle.signal(ceilingDoneSignal);
    await Promise.race([handle.result(), sleep(10_000)]);
  });
}

const median = (xs: number[]) => round(distribution(xs).p50);

function summarise(paths: (CriticalPath | undefined)[]): PathSummary {
  const found = paths.filter((p): p is CriticalPath => p !== undefined);
  const tally = (xs: number[]) => {
    const counts: Record<string, number> = {};
    for (const x of xs) counts[x] = (counts[x] ?? 0) + 1;
    return { max: xs.length ? Math.max(...xs) : NaN, mean: xs.length ? round(xs.reduce((a, b) => a + b, 0) / xs.length, 2) : NaN, counts };
  };
  const byName = (lists: string[][]) => {
    const out: Record<string, number> = {};
    for (const list of lists) for (const t of list) out[t] = (out[t] ?? 0) + 1;
    return out;
  };
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const seg = (k: keyof PathSegments) => median(found.map((p) => p.segments[k]));
  return {
    n: found.length,
    workflowTasks: tally(found.map((p) => p.workflowTasks)),
    activities: tally(found.map((p) => p.activities)),
    activityTypes: byName(found.map((p) => p.activityTypes)),
    stickyTasks: `${sum(found.map((p) => p.stickyTasks))}/${sum(found.map((p) => p.workflowTasks))}`,
    eventTypes: byName(found.map((p) => p.eventTypes)),
    inputBytesP50: median(found.map((p) => p.inputBytes)),
    withinTarget: found.filter((p) => p.workflowTasks <= PATH_TARGET.workflowTasks && p.activities <= PATH_TARGET.activities).length,
    segmentsP50: {
      sendToSignaled: seg('sendToSignaled'),
      signaledToTaskStarted: seg('signaledToTaskStarted'),
      taskStartedToScheduled: seg('taskStartedToScheduled'),
      scheduledToStarted: seg('scheduledToStarted'),
      activityRun: seg('activityRun'),
      signaledToCompleted: seg('signaledToCompleted'),
    },
  };
}

/*
 * The ceiling's "row" moment is when its no-op activity runs, noted in this process; it does not
 * write a row with pg. The ceiling is what Temporal alone costs from a signal to an activity
 * running on the worker (one workflow task, one activity dispatch). The product's `syncCase` is
 * that activity plus the product's own work: a transaction over the case, its requirements and
 * events, seen at its commit by the trigger's notification. A pg INSERT in the ceiling would
 * move one PostgreSQL round trip out of the product's account and into the ceiling's, and make
 * the ratio look better than the product is.
 */

/**
 * Product action i, then ceiling signal i, for each i, with a quiet pause before each send;
 * then both sets of paths from the histories.
 */
async function interleaved(
  ctx: BenchContext,
  watcher: ReceivedWatcher,
  ceilingWorker: SignalCeilingWorker,
  label: string,
  product: Target[],
  ceilingIds: string[],
): Promise<OneAtATime> {
  const marks = await lastEventIds(ctx.client, [...new Set(product.map((t) => t.caseId)), ...ceilingIds]);
  say(`latency: ${product.length} actions one at a time (${label}), each followed by one ceiling signal (${PAUSE_MS} ms quiet before each send)`);
  const actions = new ActionRecorder(ctx, watcher);
  const ceiling = new CeilingRecorder(ctx, ceilingWorker);
  for (let i = 0; i < product.length; i++) {
    await sleep(PAUSE_MS);
    await actions.send(product[i]!);
    await sleep(PAUSE_MS);
    await ceiling.send(ceilingIds[i % ceilingIds.length]!, product[i]!.key);
  }
  const criticalPath = {
    product: summarise(await criticalPaths(ctx.client, actions.sentSignals, marks, SYNC_ACTIVITY)),
    ceiling: summarise(await criticalPaths(ctx.client, ceiling.sentSignals, marks, SIGNAL_CEILING_ACTIVITY)),
  };
  const ratioAt = (p: 'p50' | 'p95') => round(distribution(actions.database)[p] / distribution(ceiling.row)[p], 2);
  const ratio = { p50: ratioAt('p50'), p95: ratioAt('p95') };
  say(
    `latency: ${label}: signal → row p50 ${round(distribution(actions.database).p50)} ms, ceiling p50 ${round(distribution(ceiling.row).p50)} ms, ratio ${ratio.p50}; ` +
      `path at most ${criticalPath.product.workflowTasks.max} workflow tasks, ${criticalPath.product.activities.max} activities`,
  );
  return {
    product: { ...actions.timings(), failed: actions.failed },
    ceiling: { ...ceiling.timings(), failed: ceiling.failed },
    ratio,
    criticalPath,
  };
}

/**
 * Measurement 3: "receive requirement" actions, sent as signals (`sendAction`), each timed to
 * the server's receipt, its row in PostgreSQL, its email and its answer (`awaitRequest`).
 * First one at a time, interleaved with the signal ceiling (a first action on each of 20 cases,
 * then a second on the same cases); then at a steady, open-loop rate.
 */
export async function runLatency(
  ctx: BenchContext,
  endpoints: Endpoints,
  overrides: Record<string, string>,
  caseIds: string[],
  rate: number,
  seconds: number,
): Promise<LatencyResult> {
  const rounds = await targets(ctx.pg, caseIds);
  const first = rounds[0] ?? [];
  const warm = first.slice(0, WARM_UP);
  const firstOnCase = first.slice(WARM_UP, WARM_UP + ONE_AT_A_TIME);
  const chosen = new Set(firstOnCase.map((t) => t.caseId));
  const secondOnCase = (rounds[1] ?? []).filter((t) => chosen.has(t.caseId)).slice(0, ONE_AT_A_TIME);
  const name = (t: Target) => `${t.caseId}\n${t.key}`;
  const used = new Set([...warm, ...firstOnCase, ...secondOnCase].map(name));
  const wanted = rate * seconds;
  const ops = rounds.flat().filter((t) => !used.has(name(t))).slice(0, wanted);
  if (ops.length < wanted) say(`latency: only ${ops.length} open requirements left for ${wanted} actions; the run is shorter (use more --apps)`);
  const touched = [...new Set([...warm, ...firstOnCase, ...secondOnCase, ...ops].map((t) => t.caseId))];
  const historyBefore = await countHistories(ctx.client, touched);
  const watcher = await ReceivedWatcher.start(ctx.pg);
  try {
    say('latency: starting the signal ceiling (a signal whose handler runs one no-op activity)');
    const ceilingWorker = await startSignalCeilingWorker(endpoints, SIGNAL_CEILING_QUEUE, overrides);
    let oneAtATime: OneAtATime;
    let again: OneAtATime;
    try {
      const ceilingIds = await startCeilingCases(ctx, WARM_UP + firstOnCase.length);
      say(`latency: warming up with ${warm.length} actions and ${WARM_UP} ceiling signals, not recorded`);
      const warmProduct = new ActionRecorder(ctx, watcher);
      const warmCeiling = new CeilingRecorder(ctx, ceilingWorker);
      for (let i = 0; i < WARM_UP; i++) {
        if (warm[i]) await warmProduct.send(warm[i]!);
        await warmCeiling.send(ceilingIds[i]!, `warm-${i}`);
      }
      const measuredCeiling = ceilingIds.slice(WARM_UP);
      oneAtATime = await interleaved(ctx, watcher, ceilingWorker, 'first action on each case', firstOnCase, measuredCeiling);
      again = await interleaved(ctx, watcher, ceilingWorker, 'second action on the same cases', secondOnCase, measuredCeiling);
      await endCeilingCases(ctx, ceilingIds);
    } finally {
      await ceilingWorker.stop();
    }

    say(`latency: ${ops.length} actions at ${rate}/s on ${caseIds.length} cases`);
    const steady = new ActionRecorder(ctx, watcher);
    const t0 = now();
    const inFlight: Promise<void>[] = [];
    let lastPrint = now();
    for (let i = 0; i < ops.length; i++) {
      // Open loop: each action goes at its scheduled time whether or not earlier ones have finished.
      const due = t0 + (i * 1000) / rate;
      if (due > now()) await sleep(due - now());
      inFlight.push(steady.send(ops[i]!));
      if (now() - lastPrint > 5000) {
        lastPrint = now();
        say(`latency: ${i + 1}/${ops.length} sent, ${steady.database.length} done, p50 to PostgreSQL so far ${round(distribution(steady.database).p50)} ms`);
      }
    }
    const sendSeconds = (now() - t0) / 1000;
    await Promise.all(inFlight);
    const historyAfter = await countHistories(ctx.client, touched);
    const actions = warm.length + firstOnCase.length + secondOnCase.length + ops.length;
    const per = (k: 'activities' | 'workflowTasks' | 'events') => round((historyAfter[k] - historyBefore[k]) / actions, 2);
    return {
      targetRate: rate,
      seconds: round(sendSeconds, 2),
      sent: ops.length,
      completed: steady.database.length,
      failed: steady.failed,
      achievedRate: round(ops.length > 1 ? (ops.length - 1) / sendSeconds : rate, 1),
      ...steady.timings(),
      oneAtATime,
      secondOnCase: again,
      perAction: { activities: per('activities'), workflowTasks: per('workflowTasks'), events: per('events') },
    };
  } finally {
    await watcher.stop(ctx.pg);
  }
}
