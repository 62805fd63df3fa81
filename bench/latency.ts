import type { Pool } from 'pg';
import { act } from '../client/operations';
import { requirementEmailKeyPrefix } from '../domain/case-core/emails';
import { countHistories } from './history';
import type { BenchContext } from './intake';
import { distribution, type Distribution, now, round, say, sleep } from './util';

const DB_POLL_MS = 5;
const OP_TIMEOUT_MS = 60_000;

interface Target {
  caseId: string;
  key: string;
}

/**
 * Requirements an update can receive with an email to the broker (vendor or broker items), one
 * round per case at a time. The last such requirement of every case stays open, so the case
 * stays in REQUIREMENTS on its follow-up timer for the scale phase.
 */
async function targets(pg: Pool, caseIds: string[]): Promise<Target[]> {
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
  return rounds.flat();
}

/** One query every 5 ms for all requirements still awaited, rather than one poller per update. */
class ReceivedWatcher {
  private readonly pending = new Map<string, { target: Target; resolve: (at: number) => void }>();
  private running = true;
  private readonly loop: Promise<void>;

  constructor(private readonly pg: Pool) {
    this.loop = this.run();
  }

  wait(target: Target): Promise<number> {
    return new Promise((resolve) => this.pending.set(`${target.caseId}\n${target.key}`, { target, resolve }));
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = now();
      if (this.pending.size) {
        const waiting = [...this.pending.values()].map((p) => p.target);
        const { rows } = await this.pg.query<{ caseId: string; key: string }>(
          `SELECT r."caseId", r.key FROM "Requirement" r
             JOIN unnest($1::text[], $2::text[]) AS w(case_id, key) ON r."caseId" = w.case_id AND r.key = w.key
            WHERE r.status = 'RECEIVED'`,
          [waiting.map((t) => t.caseId), waiting.map((t) => t.key)],
        );
        const at = now();
        for (const r of rows) {
          const id = `${r.caseId}\n${r.key}`;
          this.pending.get(id)?.resolve(at);
          this.pending.delete(id);
        }
      }
      await sleep(Math.max(0, DB_POLL_MS - (now() - started)));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

/** Sequential updates before the steady rate: the latency of one update on an otherwise idle pipeline. */
const BASELINE_OPS = 20;

interface Timings {
  database: Distribution;
  email: Distribution;
  updateReturned: Distribution;
}

export interface LatencyResult extends Timings {
  targetRate: number;
  seconds: number;
  sent: number;
  completed: number;
  failed: number;
  achievedRate: number;
  /** One update at a time: the floor under the steady-rate figures, without queueing. */
  oneAtATime: Timings;
  /** What one update costs the server, from the histories before and after: the rate the box can sustain follows from it. */
  perUpdate: { activities: number; workflowTasks: number; events: number };
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

/** Collects, per update, the time from sending to the row in PostgreSQL (database), the email (SMTP) and the update's return. */
class Recorder {
  readonly database: number[] = [];
  readonly email: number[] = [];
  readonly returned: number[] = [];
  failed = 0;

  constructor(
    private readonly ctx: BenchContext,
    private readonly watcher: ReceivedWatcher,
  ) {}

  /** Sends one update and resolves when its three effects are in (or it timed out). */
  send(target: Target): Promise<void> {
    const sent = now();
    const dbAt = this.watcher.wait(target);
    const emailAt = this.ctx.smtp.waitForPrefix(`${target.caseId}:${requirementEmailKeyPrefix(target.key, 'RECEIVED')}`);
    const update = act(this.ctx.client, target.caseId, 'receive-requirement', { actor: 'bench', key: target.key }).then(() => now());
    return withTimeout(Promise.all([dbAt, emailAt, update])).then(
      ([d, e, u]) => {
        this.database.push(d - sent);
        this.email.push(e - sent);
        this.returned.push(u - sent);
      },
      (err: Error) => {
        this.failed += 1;
        if (this.failed <= 3) say(`latency: update on ${target.caseId} ${target.key} failed: ${err.message}`);
      },
    );
  }

  timings(): Timings {
    return { database: roundAll(distribution(this.database)), email: roundAll(distribution(this.email)), updateReturned: roundAll(distribution(this.returned)) };
  }
}

/** Measurement 3: "requirement received" updates at a steady, open-loop rate; each timed to its two effects. */
export async function runLatency(ctx: BenchContext, caseIds: string[], rate: number, seconds: number): Promise<LatencyResult> {
  const all = await targets(ctx.pg, caseIds);
  const baseline = all.slice(0, BASELINE_OPS);
  const wanted = rate * seconds;
  const ops = all.slice(BASELINE_OPS, BASELINE_OPS + wanted);
  if (ops.length < wanted) say(`latency: only ${ops.length} open requirements left for ${wanted} updates; the run is shorter (use more --apps)`);
  const touched = [...new Set([...baseline, ...ops].map((t) => t.caseId))];
  const historyBefore = await countHistories(ctx.client, touched);
  const watcher = new ReceivedWatcher(ctx.pg);
  try {
    say(`latency: ${baseline.length} updates one at a time`);
    const single = new Recorder(ctx, watcher);
    for (const target of baseline) await single.send(target);

    say(`latency: ${ops.length} updates at ${rate}/s on ${caseIds.length} cases`);
    const steady = new Recorder(ctx, watcher);
    const t0 = now();
    const inFlight: Promise<void>[] = [];
    let lastPrint = now();
    for (let i = 0; i < ops.length; i++) {
      // Open loop: each update goes at its scheduled time whether or not earlier ones have finished.
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
    const updates = baseline.length + ops.length;
    const per = (k: 'activities' | 'workflowTasks' | 'events') => round((historyAfter[k] - historyBefore[k]) / updates, 2);
    return {
      targetRate: rate,
      seconds: round(sendSeconds, 2),
      sent: ops.length,
      completed: steady.database.length,
      failed: steady.failed + single.failed,
      achievedRate: round(ops.length > 1 ? (ops.length - 1) / sendSeconds : rate, 1),
      ...steady.timings(),
      oneAtATime: single.timings(),
      perUpdate: { activities: per('activities'), workflowTasks: per('workflowTasks'), events: per('events') },
    };
  } finally {
    await watcher.stop();
  }
}
