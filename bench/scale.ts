import fs from 'node:fs';
import path from 'node:path';
import { countHistories } from './history';
import { type BenchContext, carryThroughIntake } from './intake';
import { MemorySampler } from './memory';
import type { PipelineWorker } from './workers';
import { mib, now, round, say, sleep } from './util';

/** Starts in flight while filling: enough to keep the worker busy, few enough to show steady progress. */
const FILL_IN_FLIGHT = 200;
const TIMER_SAMPLE = 50;

export interface ScaleResult {
  openCases: number;
  addedCases: number;
  fillSeconds: number;
  cachedWorkflows: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  peakRssMiB: number;
  mainHeapUsedMiB: number;
  /** RSS growth over the added cached workflows: what one more open case costs the worker. */
  kibPerCachedWorkflow: number;
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

/**
 * Measurement 4: grows the pipeline worker's open cases (from the intake phase) to `target`,
 * all through the real pipeline, and reads what they cost at rest: worker RSS, PostgreSQL,
 * and the Temporal dev server's store.
 */
export async function runScale(ctx: BenchContext, worker: PipelineWorker, target: number, existing: string[], workDir: string): Promise<ScaleResult> {
  const sampler = new MemorySampler(worker.worker);
  try {
    const before = await settledSample(sampler);
    const add = Math.max(0, target - existing.length);
    say(`scale: ${existing.length} open cases; adding ${add} through the pipeline to reach ${target} (RSS ${mib(before.rss)} MiB, ${before.cached} cached)`);
    const t0 = now();
    const filled = add ? await carryThroughIntake(ctx, 'scale', worker.taskQueue, add, FILL_IN_FLIGHT) : { caseIds: [] };
    const fillSeconds = (now() - t0) / 1000;
    const after = await settledSample(sampler);
    const all = [...existing, ...filled.caseIds];
    const { rows } = await ctx.pg.query<{ open: string; bytes: string }>(
      `SELECT (SELECT count(*) FROM "Case" WHERE id = ANY($1::text[]) AND stage = 'REQUIREMENTS') AS open,
              pg_database_size(current_database()) AS bytes`,
      [all],
    );
    const sample = all.filter((_, i) => i % Math.ceil(all.length / TIMER_SAMPLE) === 0);
    const timers = await countHistories(ctx.client, sample);
    const addedCached = after.cached - before.cached;
    return {
      openCases: Number(rows[0]?.open ?? 0),
      addedCases: add,
      fillSeconds: round(fillSeconds),
      cachedWorkflows: after.cached,
      rssBeforeMiB: mib(before.rss),
      rssAfterMiB: mib(after.rss),
      peakRssMiB: mib(sampler.peakRss),
      mainHeapUsedMiB: mib(after.heapUsed),
      kibPerCachedWorkflow: addedCached > 0 ? round((after.rss - before.rss) / addedCached / 1024) : NaN,
      databaseMiB: mib(Number(rows[0]?.bytes ?? 0)),
      temporalSqliteMiB: fileMiB(path.join(workDir, 'temporal.sqlite')),
      timerSample: { sampled: sample.length, withLiveTimer: timers.waitingOnTimer },
    };
  } finally {
    sampler.stop();
  }
}
