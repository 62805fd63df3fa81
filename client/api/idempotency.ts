import crypto from 'node:crypto';
import type { Prisma } from '../../prisma/generated/client';
import type { Db } from '../../platform/db';
import { failed, type Outcome, problem } from './problems';

/*
 * Idempotency-Key handling, stored in PostgreSQL so a client's retry after a timeout or a
 * restart gets the first answer instead of acting twice. A row is claimed before the work
 * starts, so two copies of one request arriving together cannot both act.
 */

/** statusCode of a claimed row whose request is still running. */
const IN_PROGRESS = 0;

/** Keys canonicalised: two JSON bodies that differ only in key order are the same request. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

export const requestHash = (request: { method: string; path: string; body: unknown }): string =>
  crypto.createHash('sha256').update(JSON.stringify(canonical(request))).digest('hex');

export interface IdempotentResult {
  outcome: Outcome;
  replayed: boolean;
}

type Claim = { kind: 'claimed' } | { kind: 'replay'; outcome: Outcome } | { kind: 'reused' } | { kind: 'busy' };

export class IdempotencyStore {
  /**
   * @param retentionMs how long a key is remembered. A key older than this is forgotten, so a
   * very late retry runs the work again, as with any provider that expires keys (a case action
   * still applies once: the key is also its request ID); `prune` deletes them.
   * @param staleAfterMs how long a claim may stay unfinished before a retry takes it over;
   * only a process that died mid-request leaves one that old, as updates finish in seconds.
   */
  constructor(
    private readonly db: Db,
    readonly retentionMs = 24 * 3_600_000,
    private readonly staleAfterMs = 5 * 60_000,
  ) {}

  /** Deletes the keys past retention; returns how many. */
  async prune(now = Date.now()): Promise<number> {
    const { count } = await this.db.apiIdempotency.deleteMany({ where: { createdAt: { lt: new Date(now - this.retentionMs) } } });
    return count;
  }

  /**
   * Runs `work` once per (caller, key): a repeat with the same request returns the stored
   * outcome; the same key with a different request is refused. Server errors are not
   * stored, so the client's retry runs the work again.
   */
  async run(caller: string, key: string | undefined, hash: string, work: () => Promise<Outcome>): Promise<IdempotentResult> {
    if (key === undefined) return { outcome: await work(), replayed: false };
    const id = `${caller}:${key}`;
    const claim = await this.claim(id, hash);
    switch (claim.kind) {
      case 'replay':
        return { outcome: claim.outcome, replayed: true };
      case 'reused':
        return {
          outcome: failed(422, problem('idempotency_key_reused', 'This Idempotency-Key was already used for a different request; use a new key for a new request.')),
          replayed: false,
        };
      case 'busy':
        return {
          outcome: failed(409, problem('idempotency_key_in_use', 'A request with this Idempotency-Key is still being processed; retry in a few seconds.')),
          replayed: false,
        };
      case 'claimed':
        break;
    }
    let outcome: Outcome;
    try {
      outcome = await work();
    } catch (err) {
      // The work's own error is the one to report; a claim that cannot be released expires after staleAfterMs.
      await this.release(id).catch(() => undefined);
      throw err;
    }
    if (outcome.status >= 500) {
      await this.release(id);
    } else {
      await this.db.apiIdempotency.update({
        where: { id },
        // Outcome bodies are JSON responses; Prisma's JSON input type cannot see that.
        data: { statusCode: outcome.status, body: outcome.body as Prisma.InputJsonObject },
      });
    }
    return { outcome, replayed: false };
  }

  private async claim(id: string, hash: string): Promise<Claim> {
    // The loop only repeats when a claim was released between our insert and our read.
    for (;;) {
      const { count } = await this.db.apiIdempotency.createMany({
        data: [{ id, requestHash: hash, statusCode: IN_PROGRESS, body: {} }],
        skipDuplicates: true,
      });
      if (count === 1) return { kind: 'claimed' };
      const row = await this.db.apiIdempotency.findUnique({ where: { id } });
      if (!row) continue;
      if (row.createdAt.getTime() < Date.now() - this.retentionMs) {
        await this.db.apiIdempotency.deleteMany({ where: { id, createdAt: row.createdAt } });
        continue;
      }
      if (row.requestHash !== hash) return { kind: 'reused' };
      if (row.statusCode !== IN_PROGRESS) return { kind: 'replay', outcome: { status: row.statusCode, body: row.body as object } };
      const takenOver = await this.db.apiIdempotency.updateMany({
        where: { id, statusCode: IN_PROGRESS, createdAt: { lt: new Date(Date.now() - this.staleAfterMs) } },
        data: { createdAt: new Date() },
      });
      return takenOver.count === 1 ? { kind: 'claimed' } : { kind: 'busy' };
    }
  }

  private async release(id: string): Promise<void> {
    await this.db.apiIdempotency.deleteMany({ where: { id, statusCode: IN_PROGRESS } });
  }
}
