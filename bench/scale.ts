import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCeilingWorker, waitForCeiling } from './ceiling';
import { countHistories } from './history';
import { type BenchContext, carryThroughIntake } from './intake';
import { MemorySampler } from './memory';
import type { Endpoints, PipelineWorker } from './workers';
import { mib, now, round, say, sleep } from './util';

/** Starts in flight while filling: enough to keep the worker busy, few enough to show steady progress. */
const FILL_IN_FLIGHT = 200;
const TIMER_SAMPLE = 50;
/** No-op cases for the memory control: enough for the per-case cost to stand out of RSS noise. */
const CONTROL_CASES = 500;
/** Other people's jobs share the machine: the fill also stops when this little memory is left. */
const MIN_AVAILABLE_MIB = 1024;

export interface ScaleResult {
  target: number;
  openCases: number;
  addedCases: number;
  /** Set when the fill stopped early: the process passed --max-rss, or the machine ran low on memory. */
  stoppedAtRssMiB?: number;
  fillSeconds: number;
  cachedWorkflows: number;
  /** The worker's WORKER_MAX_CACHED_WORKFLOWS during the phase (undefined: the SDK's default). */
  cacheLimit?: number;
  /** The bench process with the pipeline worker started and no case yet. */
  rssIdleWorkerMiB: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  peakRssMiB: number;
  mainHeapUsedMiB: number;
  /** RSS growth over the added cached workflows: what one more open case costs the worker. */
  kibPerCachedWorkflow: number;
  /** The same for the no-op ceiling workflow on its own worker: the SDK's share of that cost. */
  control: { cases: number; kibPerCachedWorkflow: number };
  databaseMiB: number;
  temporalSqliteMiB: number;
  /** Of a sample spread over the open cases, how many had a timer running when their history was read. */
  timerSample: { sampled: number; withLiveTimer: number };
}

const settledSample = async (sampler: MemorySampler) => {
  await sleep(3000);
  return sampler.sample();
};

function fileMiB(file: string): number {
  const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
  return mib(size(file) + size(`${file}-wal`));
}

/** What a cached no-op workflow waiting on a timer costs, measured the same way on a worker of its own. */
async function controlKiB(ctx: BenchContext, endpoints: Endpoints, overrides: Record<string, string>, cases: number): Promise<number> {
  const control = await startCeilingWorker(endpoints, 'bench-memory-control', overrides);
  try {
    const sampler = new MemorySampler(control.worker);
    try {
      const before = await settledSample(sampler);
      say(`scale: memory control, ${cases} no-op cases waiting on a timer`);
      await control.start(ctx, Array.from({ length: cases }, () => ({ activities: 1, timers: 1 })));
      await waitForCeiling(control, cases, 'scale control');
      const after = await settledSample(sampler);
      return round((after.rss - before.rss) / Math.max(1, after.cached - before.cached) / 1024);
    } finally {
      sampler.stop();
    }
  } finally {
    await control.stop();
  }
}

/**
 * Measurement 4: grows the pipeline worker's open cases (from the intake phase) to `target`,
 * all through the real pipeline, and reads what they cost at rest: worker RSS, PostgreSQL,
 * and the Temporal dev server's store. The fill stops early if the process passes `maxRssMiB`,
 * so a bench on a shared machine never takes all its memory.
 */
export async function runScale(
  ctx: BenchContext,
  worker: PipelineWorker,
  opts: { target: number; maxRssMiB: number; existing: string[]; endpoints: Endpoints; overrides: Record<string, string> },
  at: { workDir: string; idleRss: number },
): Promise<ScaleResult> {
  const sampler = new MemorySampler(worker.worker);
  try {
    const before = await settledSample(sampler);
    const add = Math.max(0, opts.target - opts.existing.length);
    say(`scale: ${opts.existing.length} open cases; adding ${add} through the pipeline to reach ${opts.target} (RSS ${mib(before.rss)} MiB, ${before.cached} cached)`);
    let stoppedAtRssMiB: number | undefined;
    const overCap = () => {
      if (stoppedAtRssMiB !== undefined) return true;
      const rss = mib(process.memoryUsage().rss);
      const available = mib(os.freemem());
      if (rss > opts.maxRssMiB || available < MIN_AVAILABLE_MIB) {
        stoppedAtRssMiB = rss;
        say(`scale: RSS ${rss} MiB (limit --max-rss ${opts.maxRssMiB}), ${available} MiB left on the machine; no more cases are added`);
      }
      return stoppedAtRssMiB !== undefined;
    };
    const t0 = now();
    const filled = add ? await carryThroughIntake(ctx, 'scale', worker.taskQueue, add, FILL_IN_FLIGHT, overCap) : { caseIds: [] };
    const fillSeconds = (now() - t0) / 1000;
    const after = await settledSample(sampler);
    const all = [...opts.existing, ...filled.caseIds];
    const { rows } = await ctx.pg.query<{ open: string; bytes: string }>(
      `SELECT (SELECT count(*) FROM "Case" WHERE id = ANY($1::text[]) AND stage = 'REQUIREMENTS') AS open,
              pg_database_size(current_database()) AS bytes`,
      [all],
    );
    const sample = all.filter((_, i) => i % Math.ceil(all.length / TIMER_SAMPLE) === 0);
    const timers = await countHistories(ctx.client, sample);
    const addedCached = after.cached - before.cached;
    const peakRssMiB = mib(sampler.peakRss);
    const control = Math.min(CONTROL_CASES, opts.target);
    return {
      target: opts.target,
      openCases: Number(rows[0]?.open ?? 0),
      addedCases: filled.caseIds.length,
      ...(stoppedAtRssMiB !== undefined ? { stoppedAtRssMiB } : {}),
      fillSeconds: round(fillSeconds),
      cachedWorkflows: after.cached,
      ...(worker.config.env.WORKER_MAX_CACHED_WORKFLOWS !== undefined ? { cacheLimit: worker.config.env.WORKER_MAX_CACHED_WORKFLOWS } : {}),
      rssIdleWorkerMiB: mib(at.idleRss),
      rssBeforeMiB: mib(before.rss),
      rssAfterMiB: mib(after.rss),
      peakRssMiB,
      mainHeapUsedMiB: mib(after.heapUsed),
      kibPerCachedWorkflow: addedCached > 0 ? round((after.rss - before.rss) / addedCached / 1024) : NaN,
      control: { cases: control, kibPerCachedWorkflow: await controlKiB(ctx, opts.endpoints, opts.overrides, control) },
      databaseMiB: mib(Number(rows[0]?.bytes ?? 0)),
      temporalSqliteMiB: fileMiB(path.join(at.workDir, 'temporal.sqlite')),
      timerSample: { sampled: sample.length, withLiveTimer: timers.waitingOnTimer },
    };
  } finally {
    sampler.stop();
  }
}
