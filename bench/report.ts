import fs from 'node:fs';
import path from 'node:path';
import Table from 'cli-table3';
import type { CeilingResult } from './ceiling';
import type { IntakeResult } from './intake';
import type { LatencyResult } from './latency';
import type { LifecycleResult } from './lifecycle';
import type { ScaleResult } from './scale';
import type { StartupResult } from './startup';
import { round } from './util';

export type IntakeSummary = Omit<IntakeResult, 'caseIds'>;

export interface BenchResults {
  startup?: StartupResult;
  intake?: IntakeSummary;
  ceiling?: CeilingResult;
  /** The intake again with a tuning knob changed, and once more without it to show the drift between rounds. */
  tuned?: { changed: Record<string, string>; tuned: IntakeSummary; baseAgain: IntakeSummary; throughputVsBase: number };
  latency?: LatencyResult;
  scale?: ScaleResult;
  lifecycle?: LifecycleResult;
}

export interface PhaseNote {
  seconds: number;
  /** 1-minute load average before and after: on a shared 2-core machine, the noise shows here. */
  load: [number, number];
}

const TARGETS = {
  ratio: 0.7,
  p99Ms: 250,
  openCases: 10_000,
  rssMiB: 1024,
  warmStartSeconds: 10,
};

/** "met by 17%" / "missed by 12%": how far a measured value is from its target, in the target's direction. */
function verdict(value: number, target: number, higherIsBetter: boolean): string {
  if (!Number.isFinite(value)) return 'not measured';
  const margin = higherIsBetter ? value / target - 1 : 1 - value / target;
  return `${margin >= 0 ? 'met' : 'missed'} by ${Math.abs(round(margin * 100, 0))}%`;
}

const ms = (x: number) => `${x} ms`;
const cpu = (c: IntakeSummary['cpuMsPerCase']) =>
  `CPU per case ${c.total} ms: worker process ${c.bench}, Temporal ${c.temporal}, PostgreSQL ${c.postgres}`;

function rows(r: BenchResults): string[][] {
  const out: string[][] = [];
  const { startup, intake, ceiling, tuned, latency, scale, lifecycle } = r;
  if (startup) {
    out.push([
      'Warm `npm start` (spawn → Ready)',
      `${startup.warm.wallSeconds} s (start.ts says ${startup.warm.reportedSeconds} s; first start ${startup.first.wallSeconds} s; Ctrl-C to exit ${startup.warm.stopSeconds} s)` +
        (startup.failures.length ? `; ${startup.failures.length} failed start(s), retried: ${startup.failures.join('; ')}` : ''),
      `< ${TARGETS.warmStartSeconds} s`,
      verdict(startup.warm.wallSeconds, TARGETS.warmStartSeconds, false),
    ]);
  }
  if (intake) {
    const p = intake.perCase;
    out.push([
      `1. Intake, ${intake.cases} apps at once`,
      `${intake.appsPerSecond} apps/s, ${intake.activitiesPerSecond} activities/s, ${intake.workflowTasksPerSecond} workflow tasks/s (${intake.seconds} s; per case ${p.activities} activities, ${p.workflowTasks} WFTs, ${p.timers} timers, ${p.events} events, ${p.historyKiB} KiB history; ${cpu(intake.cpuMsPerCase)})`,
      '',
      '',
    ]);
  }
  if (ceiling) {
    out.push([
      '2. Ceiling (no-op, same shape)',
      `${ceiling.appsPerSecond} apps/s, ${ceiling.activitiesPerSecond} activities/s, ${ceiling.workflowTasksPerSecond} workflow tasks/s (${ceiling.seconds} s; ${round(ceiling.history.bytes / ceiling.cases / 1024, 2)} KiB history per case; ${cpu(ceiling.cpuMsPerCase)})`,
      '',
      '',
    ]);
    out.push(['   Pipeline / ceiling (throughput)', String(ceiling.ratio), `>= ${TARGETS.ratio}`, verdict(ceiling.ratio, TARGETS.ratio, true)]);
    out.push(['   Ceiling CPU / pipeline CPU per case', String(ceiling.cpuRatio), `(cross-check, >= ${TARGETS.ratio})`, verdict(ceiling.cpuRatio, TARGETS.ratio, true)]);
  }
  if (tuned) {
    const knobs = Object.entries(tuned.changed).map(([k, v]) => `${k}=${v}`).join(' ');
    out.push([`   Intake with ${knobs}`, `${tuned.tuned.appsPerSecond} apps/s (${tuned.tuned.seconds} s)`, '', '']);
    out.push(['   Intake, base settings again', `${tuned.baseAgain.appsPerSecond} apps/s (${tuned.baseAgain.seconds} s)`, '', '']);
    out.push(['   Tuned / mean of the two base rounds', String(tuned.throughputVsBase), '', '']);
  }
  if (latency) {
    const d = (x: LatencyResult['database']) => `p50 ${ms(x.p50)}, p95 ${ms(x.p95)}, p99 ${ms(x.p99)}, max ${ms(x.max)}`;
    const u = latency.perUpdate;
    const head = `3. Update at ${latency.achievedRate}/s (${latency.completed}/${latency.sent} ok; each ${u.activities} activities, ${u.workflowTasks} WFTs)`;
    out.push([`${head} → PostgreSQL RECEIVED`, d(latency.database), `p99 < ${TARGETS.p99Ms} ms`, verdict(latency.database.p99, TARGETS.p99Ms, false)]);
    out.push(['   → broker email accepted by SMTP', d(latency.email), `p99 < ${TARGETS.p99Ms} ms`, verdict(latency.email.p99, TARGETS.p99Ms, false)]);
    out.push(['   → executeUpdate returned', d(latency.updateReturned), '', '']);
    const one = latency.oneAtATime;
    out.push([
      `   One update at a time (${one.database.n})`,
      `PostgreSQL p50 ${ms(one.database.p50)}, p99 ${ms(one.database.p99)}; SMTP p50 ${ms(one.email.p50)}, p99 ${ms(one.email.p99)}; returned p50 ${ms(one.updateReturned.p50)}`,
      '',
      '',
    ]);
  }
  if (scale) {
    // Below 10,000 cases the target is judged on a straight-line projection of the measured cost
    // per cached case, unless the worker's cache filled up: then RSS no longer grows with cases.
    const full = scale.cacheLimit !== undefined && scale.cachedWorkflows >= scale.cacheLimit;
    const projected = scale.rssAfterMiB + ((TARGETS.openCases - scale.openCases) * scale.kibPerCachedWorkflow) / 1024;
    const at10k = scale.openCases >= TARGETS.openCases || full ? scale.rssAfterMiB : round(projected);
    out.push([
      `4. Scale: ${scale.openCases} open cases on timers`,
      [
        `bench process RSS ${scale.rssAfterMiB} MiB (peak ${scale.peakRssMiB}; ${scale.rssIdleWorkerMiB} with the worker idle before any case)`,
        `${scale.kibPerCachedWorkflow} KiB per cached workflow (${scale.cachedWorkflows} cached${scale.cacheLimit !== undefined ? ` of at most ${scale.cacheLimit}` : ''}; a no-op workflow: ${scale.control.kibPerCachedWorkflow} KiB)`,
        `PostgreSQL ${scale.databaseMiB} MiB, Temporal SQLite ${scale.temporalSqliteMiB} MiB; live timers ${scale.timerSample.withLiveTimer}/${scale.timerSample.sampled} sampled`,
        `fill ${scale.fillSeconds} s${scale.stoppedAtRssMiB !== undefined ? `, stopped at RSS ${scale.stoppedAtRssMiB} MiB (--max-rss or machine memory) short of ${scale.target}` : ''}`,
      ].join('; '),
      `10,000 within ${TARGETS.rssMiB} MiB${scale.openCases >= TARGETS.openCases ? '' : full ? ` (cache full: RSS no longer grows with open cases)` : ` (projected: ${at10k} MiB)`}`,
      verdict(at10k, TARGETS.rssMiB, false),
    ]);
  }
  if (lifecycle) {
    const outcomes = Object.entries(lifecycle.outcomes).map(([k, v]) => `${v} ${k}`).join(', ');
    out.push([
      `5. Lifecycle, ${lifecycle.casesPerMonth} cases/month (time skipping)`,
      `first simulated month ${lifecycle.firstMonthSeconds} s wall; all ${lifecycle.simulatedDays} days ${lifecycle.totalSeconds} s; ${outcomes}; ${lifecycle.updatesSent} updates, ${lifecycle.emails} emails`,
      '',
      '',
    ]);
  }
  return out;
}

export function printTable(r: BenchResults): string {
  const table = new Table({ head: ['measurement', 'result', 'target', 'verdict'], colWidths: [44, 70, 22, 16], wordWrap: true });
  for (const row of rows(r)) table.push(row);
  return table.toString();
}

/** Markdown of the same rows, for docs/performance.md. */
export function markdownTable(r: BenchResults): string {
  const lines = ['| measurement | result | target | verdict |', '|---|---|---|---|'];
  for (const row of rows(r)) lines.push(`| ${row.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
  return lines.join('\n');
}

export function writeJson(file: string, data: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}
