import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { type CaseState, OPEN_STATUSES } from '../../domain/case';
import type { Db } from '../../platform/db';
import { projectRoot } from '../../platform/paths';
import * as msg from '../../workflows/messages';
import { type CaseDoctor, startCaseDoctor } from '../../client/case-doctor';
import { ActionRefusedError, type ActionName, act, CaseUnreplayableError, getCase } from '../../client/operations';
import type { Replayer } from '../../client/repair';
import { TEST_KEY_RING } from '../helpers/keys';

/** The production worker entry point (worker/main.ts) as a separate process that a test can kill -9. */
export class WorkerProcess {
  private child?: ChildProcess;
  kills = 0;
  starts = 0;

  constructor(private readonly env: Record<string, string>) {}

  async start(): Promise<void> {
    const keys = Object.fromEntries([...TEST_KEY_RING.keys].map(([id, k]) => [id, k.toString('base64')]));
    // tsx loaded into node itself (not the tsx launcher, which would put the worker in a child
    // process): the SIGKILL below must hit the process that runs the worker.
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), 'worker/main.ts'], {
      cwd: projectRoot,
      env: { ...process.env, ...this.env, BGA_ENCRYPTION_KEYS: JSON.stringify(keys), BGA_ENCRYPTION_KEY_ID: TEST_KEY_RING.currentKeyId, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts += 1;
    // BGA_FAULT_WORKER_LOG=<file> keeps every worker's output, to see what a hung run was doing.
    const logFile = process.env.BGA_FAULT_WORKER_LOG;
    if (logFile) {
      const sink = fs.createWriteStream(logFile, { flags: 'a' });
      child.stdout!.pipe(sink);
      child.stderr!.pipe(sink);
    }
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (b: Buffer) => {
        out += b.toString();
        if (out.includes('"msg":"worker polling"')) resolve();
        if (out.length > 100_000) out = out.slice(-10_000);
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`worker exited with ${code} before polling:\n${out.slice(-3000)}`)));
    });
    // A worker that dies on its own leaves every case waiting until the test times out; say so.
    child.once('exit', (code, signal) => {
      if (!this.stopping.has(child)) console.log(`[fault] the worker exited by itself (${code ?? signal}); its last output:\n${out.slice(-3000)}`);
    });
  }

  /** Children this object is stopping or killing, whose exit is expected. */
  private readonly stopping = new WeakSet<ChildProcess>();

  /** SIGKILL: no graceful shutdown, in-flight activities and workflow tasks are simply lost. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    this.stopping.add(child);
    child.kill('SIGKILL');
    await exited;
    this.kills += 1;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    this.stopping.add(child);
    child.kill('SIGTERM');
    await exited;
  }
}

/** The product's case doctor, sweeping every 10 s and logging each repair. */
export function caseDoctor(client: Client, taskQueue: string, replayer: Replayer, everyMs = 10_000): CaseDoctor {
  return startCaseDoctor({
    client,
    replayer,
    taskQueue,
    everyMs,
    reason: 'fault test',
    suspects: unreadableCases,
    onRepair: (r) => console.log(`[fault] repaired ${r.caseId}: diverged at event ${r.divergedAtEventId}, rewound to ${r.resetToEventId}: ${r.failure.slice(0, 160)}`),
    onRefused: (caseId, reason) => console.log(`[fault] case doctor could not repair ${caseId}: ${reason}`),
    onError: (err) => console.log(`[fault] case doctor: ${err.message}`),
  });
}

/**
 * Retries a client call that fails while no worker is running (queries need a worker). The
 * limit is generous: with 200 cases on two cores and a worker killed every few seconds, one
 * case can wait minutes for its turn.
 */
export async function retrying<T>(fn: () => Promise<T>, timeoutMs = 900_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

/** Cases whose query failed on replay: the case doctor checks them even while no task fails. */
export const unreadableCases = new Set<string>();

async function readCase(client: Client, caseId: string): Promise<CaseState> {
  try {
    return await client.workflow.getHandle(caseId).query(msg.caseStateQuery);
  } catch (err) {
    if (/\[TMPRL1100\]|Nondeterminism/.test((err as Error).message)) unreadableCases.add(caseId);
    throw err;
  }
}

export async function waitForStage(client: Client, caseId: string, stages: string[]): Promise<CaseState> {
  return retrying(async () => {
    const s = await readCase(client, caseId);
    if (!s || !stages.includes(s.stage)) throw new Error(`case ${caseId} is in ${s?.stage}`);
    return s;
  });
}

/** Carries one licensed Summit case from intake to PLACED through actions, as vendors, carrier and staff would. */
export async function driveToPlacement(client: Client, caseId: string): Promise<void> {
  const h = client.workflow.getHandle(caseId);
  // One request ID per business step: a retry after a lost answer, a restart or a repair that
  // reapplies the signal is the same request, which the case applies once. A refusal is final
  // for its ID; if the case does not show the step done, it is sent once more under a new ID.
  const update = async (action: ActionName, input: Record<string, unknown>, what: string, done: (s: CaseState) => boolean) => {
    for (let round = 1; ; round++) {
      const requestId = round === 1 ? `${caseId}:${what}` : `${caseId}:${what}:resent-${round}`;
      try {
        await retrying(async () => {
          try {
            return await act(client, caseId, action, input, { requestId, waitMs: 120_000 });
          } catch (err) {
            if (err instanceof ActionRefusedError) return undefined;
            throw err;
          }
        }, 120_000);
        if (done(await retrying(() => readCase(client, caseId)))) return;
        if (round >= 5) throw new Error(`${what} refused five times`);
      } catch (err) {
        if (round >= 5) throw err;
        if (done(await retrying(() => readCase(client, caseId)))) return;
      }
      console.log(`[fault] ${caseId}: ${what} not applied (round ${round}); sending it again`);
    }
  };
  const received = (key: string) => (c: CaseState) => c.requirements.some((r) => r.key === key && r.status !== 'OUTSTANDING' && r.status !== 'ORDERED' && r.status !== 'SCHEDULED');
  let s = await waitForStage(client, caseId, ['REQUIREMENTS']);
  await retrying(async () => {
    s = await readCase(client, caseId);
    if (s.requirements.some((r) => r.vendorCode && r.status === 'OUTSTANDING')) throw new Error('orders not placed yet');
  });
  for (const r of s.requirements.filter((x) => x.vendorCode && x.status !== 'RECEIVED')) {
    await update('receive-requirement', { actor: 'fault-test', key: r.key }, `receive:${r.key}`, received(r.key));
  }
  await waitForStage(client, caseId, ['UNDERWRITING']);
  await update('decision', { actor: 'fault-test', decision: 'APPROVED_AS_APPLIED', riskClass: 'Preferred' }, 'approved', (c) => c.decision !== undefined);
  await waitForStage(client, caseId, ['APPROVED']);
  await update('decision', { actor: 'fault-test', decision: 'ISSUED', policyNumber: `P-${caseId.slice(-8)}` }, 'issued', (c) => c.policyNumber !== undefined);
  s = await waitForStage(client, caseId, ['PLACEMENT']);
  await retrying(async () => {
    s = await readCase(client, caseId);
    if (!s.requirements.some((r) => r.phase === 'DELIVERY')) throw new Error('delivery requirements not added yet');
  });
  for (const r of s.requirements.filter((x) => x.phase === 'DELIVERY')) {
    await update('receive-requirement', { actor: 'fault-test', key: r.key }, `receive:${r.key}`, received(r.key));
  }
  await retrying(() => h.result());
}

export interface Tally {
  cases: number;
  emailsExpected: number;
  emailsDelivered: number;
  emailsDuplicated: number;
  /** Rows never sent nor flagged, as "key (status)", so a failure names them. */
  emailsNotSent: string[];
  /** Flagged UNCONFIRMED: a kill at the end of data; not resent, left for a person to check. */
  emailsUnconfirmed: number;
  /** Of those, how many the SMTP server did receive. */
  emailsUnconfirmedDelivered: number;
  /** Recorded as sent (not flagged) but never received by the SMTP server: silently lost. */
  emailsMissing: string[];
  mismatches: string[];
  /** Closed cases whose history the SDK's update misordering left unreplayable: checked by outcome only. */
  closedUnreplayable: string[];
}

/**
 * Compares the outcome of every case: the workflow's state, the database rows, and the mail
 * the SMTP server received. Each email row is one email the pipeline decided to send.
 */
export async function tally(client: Client, db: Db, caseIds: string[], captured: { idempotencyKey: string }[]): Promise<Tally> {
  const mismatches: string[] = [];
  const rows = await db.emailMessage.findMany({ where: { caseId: { in: caseIds } }, select: { idempotencyKey: true, status: true } });
  const keys = new Set(rows.map((r) => r.idempotencyKey));
  const ours = captured.filter((m) => keys.has(m.idempotencyKey));
  const delivered = new Set(ours.map((m) => m.idempotencyKey));
  const unconfirmed = rows.filter((r) => r.status === 'UNCONFIRMED');
  const closedUnreplayable: string[] = [];
  for (const caseId of caseIds) {
    const row = await db.case.findUnique({ where: { id: caseId }, include: { requirements: true } });
    if (!row) {
      mismatches.push(`${caseId}: no database row`);
      continue;
    }
    let s: CaseState;
    try {
      s = await getCase(client, caseId);
    } catch (err) {
      if (!(err instanceof CaseUnreplayableError)) throw err;
      // A case that finished live but whose history the SDK bug left unreplayable cannot be
      // queried; its outcome still can be read, and every requirement must be settled.
      const { outcome } = (await client.workflow.getHandle(caseId).result()) as { outcome: string };
      closedUnreplayable.push(caseId);
      if (row.stage !== 'CLOSED' || row.outcome !== outcome) mismatches.push(`${caseId}: database ${row.stage}/${row.outcome} vs workflow result ${outcome}`);
      for (const r of row.requirements) if ((OPEN_STATUSES as readonly string[]).includes(r.status)) mismatches.push(`${caseId} ${r.key}: still ${r.status} in the database`);
      continue;
    }
    if (row.stage !== s.stage || row.outcome !== (s.outcome?.outcome ?? null)) {
      mismatches.push(`${caseId}: database ${row.stage}/${row.outcome} vs workflow ${s.stage}/${s.outcome?.outcome}`);
    }
    for (const r of s.requirements) {
      const dbr = row.requirements.find((x) => x.key === r.key);
      if (dbr?.status !== r.status) mismatches.push(`${caseId} ${r.key}: database ${dbr?.status} vs workflow ${r.status}`);
    }
  }
  return {
    cases: caseIds.length,
    emailsExpected: keys.size,
    emailsDelivered: delivered.size,
    emailsDuplicated: ours.length - delivered.size,
    emailsNotSent: rows.filter((r) => r.status !== 'SENT' && r.status !== 'UNCONFIRMED').map((r) => `${r.idempotencyKey} (${r.status})`),
    emailsUnconfirmed: unconfirmed.length,
    emailsUnconfirmedDelivered: unconfirmed.filter((r) => delivered.has(r.idempotencyKey)).length,
    emailsMissing: rows.filter((r) => r.status === 'SENT' && !delivered.has(r.idempotencyKey)).map((r) => r.idempotencyKey),
    mismatches,
    closedUnreplayable,
  };
}

/** Appends a run's figures to test/faults/last-run.json, which the README quotes. */
export function report(name: string, figures: Record<string, unknown>): void {
  const file = path.join(projectRoot, 'test', 'faults', 'last-run.json');
  const all = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  all[name] = { ...figures, at: new Date().toISOString() };
  fs.writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
  console.log(`[fault] ${name}: ${JSON.stringify(figures)}`);
}

/** Runs `fn` over items with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}
