import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { encryptedDataConverter, failureConverterPath } from '../platform/codec';
import type { CeilingPlan } from './ceiling-workflow';
import { cpuPerCase, cpuSnapshot } from './cpu';
import { countHistories, type HistoryTotals } from './history';
import type { BenchContext, IntakeResult } from './intake';
import { benchConfig, type Endpoints } from './workers';
import { now, round, say, sleep } from './util';

const quiet = { trace() {}, debug() {}, info() {}, log() {}, warn: console.warn, error: console.error };

let bundle: Promise<{ code: string }> | undefined;
/** Bundled once per run: the scale phase's memory control reuses it, and a second webpack run would only add heap. */
const ceilingBundle = () =>
  (bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('./ceiling-workflow'), failureConverterPath, logger: quiet }));

let signalBundle: Promise<{ code: string }> | undefined;
/** The signal ceiling (bench/signal-ceiling-workflow.ts), bundled on its own in the same way. */
const signalCeilingBundle = () =>
  (signalBundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('./signal-ceiling-workflow'), failureConverterPath, logger: quiet }));

/**
 * A worker for a no-op workflow with the pipeline worker's concurrency, cache and encrypted data
 * converter; `stop` shuts it down and closes its connection.
 */
async function noopWorker(
  endpoints: Endpoints,
  taskQueue: string,
  overrides: Record<string, string>,
  workflowBundle: { code: string },
  activities: Record<string, (...args: never[]) => Promise<void>>,
): Promise<{ worker: Worker; stop(): Promise<void> }> {
  const { config } = benchConfig(endpoints, taskQueue, overrides);
  const { env } = config;
  const connection = await NativeConnection.connect(config.temporal.connection);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowBundle,
    dataConverter: encryptedDataConverter(config.encryption),
    activities,
    maxConcurrentActivityTaskExecutions: env.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    ...(env.WORKER_MAX_CACHED_WORKFLOWS !== undefined ? { maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS } : {}),
  });
  const running = worker.run();
  return {
    worker,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

export interface CeilingWorker {
  worker: Worker;
  /** Cases whose last activity has run, and when the latest of them did (bench clock). */
  progress(): { finished: number; lastDoneAt: number };
  /** Starts one no-op case per plan, all at once; returns their workflow IDs. */
  start(ctx: BenchContext, plans: CeilingPlan[]): Promise<string[]>;
  stop(): Promise<void>;
}

/** A worker for the no-op workflow with the pipeline worker's concurrency, cache and encrypted data converter. */
export async function startCeilingWorker(endpoints: Endpoints, taskQueue: string, overrides: Record<string, string>): Promise<CeilingWorker> {
  let finished = 0;
  let lastDoneAt = 0;
  const { worker, stop } = await noopWorker(endpoints, taskQueue, overrides, await ceilingBundle(), {
    async noop(last: boolean): Promise<void> {
      if (!last) return;
      finished += 1;
      lastDoneAt = now();
    },
  });
  const tag = Math.random().toString(36).slice(2, 8);
  return {
    worker,
    progress: () => ({ finished, lastDoneAt }),
    start: (ctx, plans) =>
      Promise.all(
        plans.map(async (plan, i) => {
          const handle = await ctx.client.workflow.start('ceilingWorkflow', { taskQueue, workflowId: `ceiling-${taskQueue}-${tag}-${i}`, args: [plan] });
          return handle.workflowId;
        }),
      ),
    stop,
  };
}

/** The activity type whose completion is the signal ceiling's "row" moment (bench/signal-ceiling-workflow.ts). */
export const SIGNAL_CEILING_ACTIVITY = 'ceilingSync';

export interface SignalCeilingWorker {
  /** Resolves with the bench-clock time at which the no-op activity for `requestId` ran. */
  ran(requestId: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A worker for the signal ceiling. Its activity notes, in this process, the moment it runs: the
 * analogue of the product's `syncCase` committing its transaction. See `runLatency` for why
 * that moment and not a row written with pg.
 */
export async function startSignalCeilingWorker(endpoints: Endpoints, taskQueue: string, overrides: Record<string, string>): Promise<SignalCeilingWorker> {
  const waiters = new Map<string, (at: number) => void>();
  const early = new Map<string, number>();
  const { stop } = await noopWorker(endpoints, taskQueue, overrides, await signalCeilingBundle(), {
    async [SIGNAL_CEILING_ACTIVITY](requestId: string): Promise<void> {
      const at = now();
      const waiter = waiters.get(requestId);
      if (waiter) {
        waiters.delete(requestId);
        waiter(at);
      } else early.set(requestId, at);
    },
  });
  return {
    ran: (requestId) =>
      new Promise((resolve) => {
        const at = early.get(requestId);
        if (at !== undefined) {
          early.delete(requestId);
          resolve(at);
        } else waiters.set(requestId, resolve);
      }),
    stop,
  };
}

/** Waits until `count` cases have run their last activity. */
export async function waitForCeiling(c: CeilingWorker, count: number, label: string): Promise<void> {
  let lastPrint = now();
  while (c.progress().finished < count) {
    await sleep(50);
    if (now() - lastPrint > 5000) {
      lastPrint = now();
      say(`${label}: ${c.progress().finished}/${count} cases done`);
    }
  }
}

export interface CeilingResult {
  cases: number;
  seconds: number;
  appsPerSecond: number;
  activitiesPerSecond: number;
  workflowTasksPerSecond: number;
  cpuMsPerCase: ReturnType<typeof cpuPerCase>;
  history: HistoryTotals;
  /** Pipeline throughput over ceiling throughput, both in cases per second: the headline. */
  ratio: number;
  /**
   * Ceiling CPU per case over pipeline CPU per case (worker process, Temporal and PostgreSQL
   * together). On a CPU-bound 2-core machine this is what the time ratio tends to, and unlike
   * the time ratio it does not move when other people's jobs come and go between the rounds.
   */
  cpuRatio: number;
}

/** Spreads a total over n cases as evenly as whole numbers allow, so the ceiling does exactly the pipeline's total work. */
const share = (total: number, n: number, i: number) => Math.floor(total / n) + (i < total % n ? 1 : 0);

/**
 * Measurement 2: the same number of cases, each with the pipeline's average activities and
 * timers, on a worker configured like the pipeline's.
 */
export async function runCeiling(ctx: BenchContext, endpoints: Endpoints, overrides: Record<string, string>, pipeline: IntakeResult): Promise<CeilingResult> {
  say('ceiling: bundling the no-op workflow');
  const ceiling = await startCeilingWorker(endpoints, 'bench-ceiling', overrides);
  try {
    const n = pipeline.cases;
    const { activities, timers } = pipeline.history;
    say(`ceiling: ${n} no-op cases with ${round(activities / n, 2)} activities and ${round(timers / n, 2)} timers each on average`);
    const plans = Array.from({ length: n }, (_, i): CeilingPlan => ({ activities: share(activities, n, i), timers: share(timers, n, i) }));
    const cpuBefore = cpuSnapshot(ctx.workDir);
    const t0 = now();
    const ids = await ceiling.start(ctx, plans);
    await waitForCeiling(ceiling, plans.filter((p) => p.activities > 0).length, 'ceiling');
    const seconds = (ceiling.progress().lastDoneAt - t0) / 1000;
    const cpu = cpuPerCase(cpuBefore, cpuSnapshot(ctx.workDir), n);
    say(`ceiling: ${n} cases in ${round(seconds, 2)} s; reading histories`);
    const history = await countHistories(ctx.client, ids);
    const appsPerSecond = n / seconds;
    return {
      cases: n,
      seconds: round(seconds, 2),
      appsPerSecond: round(appsPerSecond, 2),
      activitiesPerSecond: round(history.activities / seconds),
      workflowTasksPerSecond: round(history.workflowTasks / seconds),
      cpuMsPerCase: cpu,
      history,
      ratio: round(pipeline.cases / pipeline.seconds / appsPerSecond, 3),
      cpuRatio: round(cpu.total / pipeline.cpuMsPerCase.total, 3),
    };
  } finally {
    await ceiling.stop();
  }
}
