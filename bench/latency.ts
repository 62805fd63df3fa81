import type { Pool } from 'pg';
import * as msg from '../workflows/messages';
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

export interface LatencyResult {
  targetRate: number;
  seconds: number;
  sent: number;
  completed: number;
  failed: number;
  achievedRate: number;
  /** Update sent → Requirement row RECEIVED in PostgreSQL. */
  database: Distribution;
  /** Update sent → the broker's requirement-update email accepted by SMTP. */
  email: Distribution;
  /** Update sent → executeUpdate returned (the handler ran its effects). */
  updateReturned: Distribution;
}

const withTimeout = <T>(p: Promise<T>): Promise<T> =>
  Promise.race([p, sleep(OP_TIMEOUT_MS).then(() => Promise.reject(new Error(`no effect within ${OP_TIMEOUT_MS / 1000} s`)))]);

/** Measurement 3: "requirement received" updates at a steady, open-loop rate; each timed to its two effects. */
export async function runLatency(ctx: BenchContext, caseIds: string[], rate: number, seconds: number): Promise<LatencyResult> {
  const all = await targets(ctx.pg, caseIds);
  const wanted = rate * seconds;
  if (all.length < wanted) say(`latency: only ${all.length} open requirements for ${wanted} updates; the run is shorter (use more --apps)`);
  const ops = all.slice(0, wanted);
  say(`latency: ${ops.length} updates at ${rate}/s on ${caseIds.length} cases`);
  const watcher = new ReceivedWatcher(ctx.pg);
  const db: number[] = [];
  const email: number[] = [];
  const returned: number[] = [];
  let failed = 0;
  const t0 = now();
  const inFlight: Promise<void>[] = [];
  let lastPrint = now();
  for (let i = 0; i < ops.length; i++) {
    // Open loop: each update goes at its scheduled time whether or not earlier ones have finished.
    const due = t0 + (i * 1000) / rate;
    if (due > now()) await sleep(due - now());
    const target = ops[i]!;
    const sent = now();
    const dbAt = watcher.wait(target);
    const emailAt = ctx.smtp.waitForPrefix(`${target.caseId}:requirement:${target.key}:received:`);
    const update = ctx.client.workflow
      .getHandle(target.caseId)
      .executeUpdate(msg.receiveRequirementUpdate, { args: [{ actor: 'bench', key: target.key }] })
      .then(() => now());
    inFlight.push(
      withTimeout(Promise.all([dbAt, emailAt, update])).then(
        ([d, e, u]) => {
          db.push(d - sent);
          email.push(e - sent);
          returned.push(u - sent);
        },
        (err: Error) => {
          failed += 1;
          if (failed <= 3) say(`latency: update on ${target.caseId} ${target.key} failed: ${err.message}`);
        },
      ),
    );
    if (now() - lastPrint > 5000) {
      lastPrint = now();
      say(`latency: ${i + 1}/${ops.length} sent, ${db.length} done, p50 to PostgreSQL so far ${round(distribution(db).p50)} ms`);
    }
  }
  const sendSeconds = (now() - t0) / 1000;
  await Promise.all(inFlight);
  await watcher.stop();
  return {
    targetRate: rate,
    seconds: round(sendSeconds, 2),
    sent: ops.length,
    completed: db.length,
    failed,
    achievedRate: round(ops.length > 1 ? (ops.length - 1) / sendSeconds : rate, 1),
    database: roundAll(distribution(db)),
    email: roundAll(distribution(email)),
    updateReturned: roundAll(distribution(returned)),
  };
}

const roundAll = (d: Distribution): Distribution => ({
  n: d.n,
  p50: round(d.p50),
  p95: round(d.p95),
  p99: round(d.p99),
  max: round(d.max),
  mean: round(d.mean),
});
