/*
 * `npm run bench`: throughput, its ceiling, latency, scale and a simulated month, all on a
 * stack of the bench's own (Temporal dev server, embedded PostgreSQL, SMTP sink) so ratios
 * within one run compare like with like. See docs/performance.md.
 */
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { connectClient } from '../client/connection';
import type { AppConfig } from '../platform/config';
import { seedBroker } from './applications';
import { runCeiling } from './ceiling';
import { type BenchContext, type IntakeResult, runIntake } from './intake';
import { installInterruptHandler } from './interrupt';
import { runLatency } from './latency';
import { runLifecycle } from './lifecycle';
import { type BenchOptions, commandLine, parseOptions } from './options';
import { type BenchResults, type IntakeSummary, markdownTable, type PhaseNote, printTable, writeJson } from './report';
import { runScale } from './scale';
import { type Stack, startStack } from './stack';
import { runStartup } from './startup';
import { benchConfig, type Endpoints, startPipelineWorker } from './workers';
import { now, round, say } from './util';

const RESULTS_FILE = path.join(__dirname, 'results', 'last.json');
const PIPELINE_QUEUE = 'bench-pipeline';

const load = () => round(os.loadavg()[0] ?? NaN, 2);

/** The worker settings a round ran with, as the worker saw them after defaults. */
function settingsOf(config: AppConfig, smtpUrl: string): IntakeResult['settings'] {
  const e = config.env;
  return {
    WORKER_MAX_CONCURRENT_ACTIVITIES: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
    WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    WORKER_MAX_CACHED_WORKFLOWS: e.WORKER_MAX_CACHED_WORKFLOWS ?? 'SDK default',
    DATABASE_POOL_SIZE: e.DATABASE_POOL_SIZE,
    SMTP_MAX_CONNECTIONS: new URL(smtpUrl).searchParams.get('maxConnections') ?? '5 (platform/mailer.ts default)',
  };
}

const summary = ({ caseIds: _ids, ...rest }: IntakeResult): IntakeSummary => rest;

/**
 * By default the cache is raised to hold every open case of the scale phase, so that the phase
 * measures what a cached case costs. With WORKER_MAX_CACHED_WORKFLOWS set, the phase runs with
 * that cache instead and measures the RSS a worker so configured settles at.
 */
function baseOverrides(opts: BenchOptions): Record<string, string> {
  if (!opts.modes.has('scale')) return {};
  const fromEnv = Number(process.env.WORKER_MAX_CACHED_WORKFLOWS ?? NaN);
  if (Number.isFinite(fromEnv)) {
    say(`WORKER_MAX_CACHED_WORKFLOWS=${fromEnv}: the scale phase keeps it; cases beyond it are evicted and replayed when they wake`);
    return {};
  }
  return { WORKER_MAX_CACHED_WORKFLOWS: String(Math.max(opts.scale, opts.apps) + 500) };
}

async function pipelinePhases(
  stack: Stack,
  opts: BenchOptions,
  results: BenchResults,
  phase: <T>(name: string, fn: () => Promise<T>) => Promise<T>,
): Promise<void> {
  const endpoints: Endpoints = { temporalAddress: stack.temporalAddress, databaseUrl: stack.databaseUrl, smtpUrl: stack.smtp.url };
  await seedBroker(stack.databaseUrl);
  const overrides = baseOverrides(opts);
  const worker = await startPipelineWorker(endpoints, PIPELINE_QUEUE, overrides);
  // What the process weighs with the worker up and no case yet: the floor under the scale phase's RSS.
  const idleRss = process.memoryUsage().rss;
  const base = benchConfig(endpoints, PIPELINE_QUEUE, overrides);
  const { client, connection } = await connectClient(base.config);
  const pg = new Pool({ connectionString: stack.databaseUrl, max: 3 });
  const ctx: BenchContext = { client, pg, smtp: stack.smtp, workDir: stack.workDir };
  try {
    const settings = settingsOf(worker.config, base.smtpUrl);
    const intake = await phase('intake', () => runIntake(ctx, 'intake', PIPELINE_QUEUE, opts.apps, settings));
    results.intake = summary(intake);
    say(`intake: ${intake.appsPerSecond} apps/s, ${intake.activitiesPerSecond} activities/s, ${intake.workflowTasksPerSecond} workflow tasks/s`);
    const open = [...intake.caseIds];

    if (opts.modes.has('ceiling')) {
      results.ceiling = await phase('ceiling', () => runCeiling(ctx, endpoints, overrides, intake));
      say(`ceiling: ${results.ceiling.appsPerSecond} apps/s; pipeline/ceiling = ${results.ceiling.ratio}`);
    }

    if (Object.keys(opts.tune).length) {
      // Base, tuned, base again: on a shared machine the second base round shows how much the rounds drift on their own.
      const queue = 'bench-tuned';
      const tunedWorker = await startPipelineWorker(endpoints, queue, { ...overrides, ...opts.tune });
      const tunedSmtp = benchConfig(endpoints, queue, { ...overrides, ...opts.tune }).smtpUrl;
      const tuned = await phase('tuned', () => runIntake(ctx, 'intake (tuned)', queue, opts.apps, settingsOf(tunedWorker.config, tunedSmtp)));
      await tunedWorker.stop();
      const again = await phase('base again', () => runIntake(ctx, 'intake (base again)', PIPELINE_QUEUE, opts.apps, settings));
      open.push(...again.caseIds);
      const baseRate = (intake.appsPerSecond + again.appsPerSecond) / 2;
      results.tuned = { changed: opts.tune, tuned: summary(tuned), baseAgain: summary(again), throughputVsBase: round(tuned.appsPerSecond / baseRate, 3) };
      say(`tuning: ${tuned.appsPerSecond} apps/s tuned vs ${intake.appsPerSecond} and ${again.appsPerSecond} base`);
    }

    if (opts.modes.has('latency')) {
      results.latency = await phase('latency', () => runLatency(ctx, endpoints, overrides, intake.caseIds, opts.rate, opts.seconds));
      const l = results.latency;
      say(`latency: one at a time, product/ceiling p50 ${l.oneAtATime.ratio.p50} (first action on a case), ${l.secondOnCase.ratio.p50} (second); at ${l.achievedRate}/s, p99 to PostgreSQL ${l.database.p99} ms, to SMTP ${l.email.p99} ms`);
    }

    if (opts.modes.has('scale')) {
      const scaleOpts = { target: opts.scale, maxRssMiB: opts.maxRssMiB, existing: open, endpoints, overrides };
      results.scale = await phase('scale', () => runScale(ctx, worker, scaleOpts, { workDir: stack.workDir, idleRss }));
      say(`scale: ${results.scale.openCases} open cases, RSS ${results.scale.rssAfterMiB} MiB, ${results.scale.kibPerCachedWorkflow} KiB per cached workflow`);
    }
  } finally {
    await pg.end();
    await connection.close();
    await worker.stop();
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opts = parseOptions(argv);
  installInterruptHandler();
  const command = commandLine(argv, process.env);
  console.log(`Command: ${command}`);
  console.log(`Modes: ${[...opts.modes].join(', ')}; Temporal SQLite ${opts.temporalStore} | ${os.cpus().length} CPUs, load ${load()}, node ${process.version}`);
  const startedAt = new Date().toISOString();
  const results: BenchResults = {};
  const phases: Record<string, PhaseNote> = {};
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const before = load();
    const t0 = now();
    const value = await fn();
    phases[name] = { seconds: round((now() - t0) / 1000), load: [before, load()] };
    return value;
  };

  // Before the bench's own stack, so the start-up competes only with whatever else runs on the machine.
  if (opts.modes.has('startup')) results.startup = await phase('startup', runStartup);

  if (opts.modes.has('intake') || opts.modes.has('lifecycle')) {
    const stack = await startStack(opts.temporalStore);
    try {
      if (opts.modes.has('intake')) await pipelinePhases(stack, opts, results, phase);
      if (opts.modes.has('lifecycle')) results.lifecycle = await phase('lifecycle', () => runLifecycle(stack, opts.lifecycleCases));
    } finally {
      await stack.stop();
    }
  }

  console.log(`\nCommand: ${command}`);
  console.log(printTable(results));
  const markdown = markdownTable(results);
  console.log(`\n${markdown}\n`);
  writeJson(RESULTS_FILE, { command, startedAt, machine: { cpus: os.cpus().length, node: process.version }, options: { ...opts, modes: [...opts.modes] }, phases, results, markdown });
  say(`results written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

main().then(
  // Connections and timers of the SDK may linger; the results are written, so leave now.
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
