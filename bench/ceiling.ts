import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { encryptedDataConverter, failureConverterPath } from '../platform/codec';
import type { CeilingPlan } from './ceiling-workflow';
import { countHistories, type HistoryTotals } from './history';
import type { BenchContext, IntakeResult } from './intake';
import { benchConfig, type Endpoints } from './workers';
import { now, round, say, sleep } from './util';

export interface CeilingResult {
  cases: number;
  seconds: number;
  appsPerSecond: number;
  activitiesPerSecond: number;
  workflowTasksPerSecond: number;
  history: HistoryTotals;
  /** Pipeline throughput over ceiling throughput, both in cases per second: the headline. */
  ratio: number;
}

/** Spreads a total over n cases as evenly as whole numbers allow, so the ceiling does exactly the pipeline's total work. */
const share = (total: number, n: number, i: number) => Math.floor(total / n) + (i < total % n ? 1 : 0);

const quiet = { trace() {}, debug() {}, info() {}, log() {}, warn: console.warn, error: console.error };

/**
 * Measurement 2: the same number of cases, each with the pipeline's average activities and
 * timers, on a worker with the same concurrency, cache and encrypted data converter.
 */
export async function runCeiling(ctx: BenchContext, endpoints: Endpoints, pipeline: IntakeResult): Promise<CeilingResult> {
  const taskQueue = 'bench-ceiling';
  const { config } = benchConfig(endpoints, taskQueue);
  const { env } = config;
  say('ceiling: bundling the no-op workflow');
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./ceiling-workflow'), failureConverterPath, logger: quiet });
  let finished = 0;
  let lastDoneAt = 0;
  const connection = await NativeConnection.connect(config.temporal.connection);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowBundle: bundle,
    dataConverter: encryptedDataConverter(config.encryption),
    activities: {
      async noop(last: boolean): Promise<void> {
        if (!last) return;
        finished += 1;
        lastDoneAt = now();
      },
    },
    maxConcurrentActivityTaskExecutions: env.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    ...(env.WORKER_MAX_CACHED_WORKFLOWS !== undefined ? { maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS } : {}),
  });
  const running = worker.run();
  try {
    const n = pipeline.cases;
    const { activities, timers } = pipeline.history;
    say(`ceiling: ${n} no-op cases with ${round(activities / n, 2)} activities and ${round(timers / n, 2)} timers each on average`);
    const tag = Math.random().toString(36).slice(2, 8);
    const t0 = now();
    const ids = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const plan: CeilingPlan = { activities: share(activities, n, i), timers: share(timers, n, i) };
        const handle = await ctx.client.workflow.start('ceilingWorkflow', { taskQueue, workflowId: `ceiling-${tag}-${i}`, args: [plan] });
        return handle.workflowId;
      }),
    );
    const withActivities = Array.from({ length: n }, (_, i) => share(activities, n, i)).filter((a) => a > 0).length;
    let lastPrint = now();
    while (finished < withActivities) {
      await sleep(50);
      if (now() - lastPrint > 5000) {
        lastPrint = now();
        say(`ceiling: ${finished}/${withActivities} cases done`);
      }
    }
    const seconds = (lastDoneAt - t0) / 1000;
    say(`ceiling: ${n} cases in ${round(seconds, 2)} s; reading histories`);
    const history = await countHistories(ctx.client, ids);
    const appsPerSecond = n / seconds;
    return {
      cases: n,
      seconds: round(seconds, 2),
      appsPerSecond: round(appsPerSecond, 2),
      activitiesPerSecond: round(history.activities / seconds),
      workflowTasksPerSecond: round(history.workflowTasks / seconds),
      history,
      ratio: round(pipeline.cases / pipeline.seconds / appsPerSecond, 3),
    };
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
  }
}
