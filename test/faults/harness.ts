import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { CaseState } from '../../domain/case';
import type { Db } from '../../platform/db';
import { projectRoot, toolCacheDir } from '../../platform/paths';
import * as msg from '../../workflows/messages';
import { ActionRefusedError, type ActionName, act, getCase } from '../../client/operations';
import { TEST_KEY_RING } from '../helpers/keys';
import { classify, expectedEmails, type ScenarioEnd } from './expected-emails';

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

/** The driver's calls to Temporal under way now: at the moment of an outage, the work it caught in flight. */
export const driverCalls = { inFlight: 0 };


/**
 * Retries a client call that fails while no worker or server is running (queries need a
 * worker). The limit is generous: with 200 cases on two cores and a worker killed every few
 * seconds, one case can wait minutes for its turn.
 */
export async function retrying<T>(fn: () => Promise<T>, timeoutMs = 900_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    driverCalls.inFlight += 1;
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      driverCalls.inFlight -= 1;
    }
  }
}

const readCase = (client: Client, caseId: string): Promise<CaseState> => client.workflow.getHandle(caseId).query(msg.caseStateQuery);

export async function waitForStage(client: Client, caseId: string, stages: string[]): Promise<CaseState> {
  try {
    return await retrying(async () => {
      const s = await readCase(client, caseId);
      if (!s || !stages.includes(s.stage)) throw new Error(`case ${caseId} is in ${s?.stage}`);
      return s;
    });
  } catch (err) {
    await explainStuck(client, caseId).catch((e: Error) => console.log(`[fault] ${caseId}: could not describe it: ${e.message}`));
    throw err;
  }
}

/** What a case that never reached its stage is waiting on: its pending workflow task and activities, and its last events. */
async function explainStuck(client: Client, caseId: string): Promise<void> {
  const h = client.workflow.getHandle(caseId);
  const d = await h.describe();
  const activities = (d.raw.pendingActivities ?? []).map((a) => `${a.activityType?.name} attempt ${a.attempt} state ${a.state} last failure: ${a.lastFailure?.message ?? '-'}`);
  const s = await readCase(client, caseId).catch(() => undefined);
  console.log(
    `[fault] ${caseId} stuck: status ${d.status.name}, history ${d.historyLength} events, workflow task attempt ${d.raw.pendingWorkflowTask?.attempt ?? 0}; ` +
      `pending activities: ${activities.join('; ') || 'none'}; stage ${s?.stage}, decision ${s?.decision?.decision}; ` +
      `last events: ${(s?.recentEvents ?? []).slice(-8).map((e) => `${e.type}: ${e.description}`).join(' | ')}`,
  );
  // The history itself, to replay and read: a stuck case is usually one that no longer replays.
  const file = path.join(path.dirname(reportFile()), `stuck-${caseId}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify((await h.fetchHistory() as { toJSON(): unknown }).toJSON()));
  console.log(`[fault] ${caseId}: history in ${file}`);
}

/** Actions the case refused, or that it never showed applied: each one a failure of the test. */
export const lostActions: string[] = [];

/**
 * Carries one licensed Summit case from intake to PLACED through actions, as vendors, carrier
 * and staff would. Each business step is sent once, under one request ID however often the
 * call is retried after a lost answer or a restart; the case applies it once. The scenario
 * sends each step only when the case is ready for it, so a refusal is a lost action.
 */
export async function driveToPlacement(client: Client, caseId: string): Promise<void> {
  const update = async (action: ActionName, input: Record<string, unknown>, what: string, done: (s: CaseState) => boolean) => {
    const requestId = `${caseId}:${what}`;
    try {
      await retrying(async () => {
        try {
          return await act(client, caseId, action, input, { requestId, waitMs: 120_000 });
        } catch (err) {
          if (err instanceof ActionRefusedError) lostActions.push(`${requestId}: refused: ${err.message}`);
          else throw err;
        }
      });
    } finally {
      if (!done(await retrying(() => readCase(client, caseId)))) lostActions.push(`${requestId}: not applied`);
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
  await retrying(() => client.workflow.getHandle(caseId).result());
}

export interface Tally {
  cases: number;
  /** The scenario's emails for these cases, written from the scenario (expected-emails.ts). */
  emailsExpected: number;
  /** Of those, how many reached the SMTP server. */
  emailsDelivered: number;
  /** Emails that reached the SMTP server more than once, by content (recipient, kind, item), as "content ×n". */
  emailsDuplicated: string[];
  /** Emails the SMTP server received that the scenario does not call for. */
  emailsUnexpected: string[];
  /** Expected, never received, and not flagged UNCONFIRMED for a person: lost. */
  emailsMissing: string[];
  /** Flagged UNCONFIRMED: a kill at the end of data; not resent, left for a person to check. */
  emailsUnconfirmed: string[];
  /** Of those, how many the SMTP server did receive. */
  emailsUnconfirmedDelivered: number;
  /** Rows neither sent nor flagged, as "key (status)", so a failure names them. */
  emailsNotSent: string[];
  /** Where the workflow, the database and the workflow's history disagree, or a case cannot be read. */
  mismatches: string[];
}

export interface ScenarioCase {
  caseId: string;
  applicationNumber: string;
}

const count = <T>(items: T[]) => items.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<T, number>());

/**
 * Compares the outcome of every case. Emails: what the SMTP server received against what the
 * scenario calls for, by content. Cases: the workflow's state against the database rows.
 */
export async function tally(client: Client, db: Db, cases: ScenarioCase[], captured: { to: string; subject: string }[], end: ScenarioEnd): Promise<Tally> {
  const caseIds = cases.map((c) => c.caseId);
  const ours = new Set(cases.map((c) => c.applicationNumber));
  const expected = new Set(cases.flatMap((c) => expectedEmails(c.applicationNumber, end)));
  const received = count(captured.map((m) => classify(m.to, m.subject)).filter((f): f is string => f !== undefined && ours.has(f.split(' | ')[0]!)));
  const rows = await db.emailMessage.findMany({ where: { caseId: { in: caseIds } }, select: { idempotencyKey: true, status: true, to: true, subject: true } });
  const unconfirmed = rows.filter((r) => r.status === 'UNCONFIRMED').map((r) => classify(r.to, r.subject) ?? r.idempotencyKey);

  const mismatches: string[] = [];
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
      mismatches.push(`${caseId}: cannot be read: ${(err as Error).message.slice(0, 300)}`);
      continue;
    }
    if (row.stage !== s.stage || row.outcome !== (s.outcome?.outcome ?? null)) {
      mismatches.push(`${caseId}: database ${row.stage}/${row.outcome} vs workflow ${s.stage}/${s.outcome?.outcome}`);
    }
    for (const r of s.requirements) {
      const dbr = row.requirements.find((x) => x.key === r.key);
      if (dbr?.status !== r.status) mismatches.push(`${caseId} ${r.key}: database ${dbr?.status} vs workflow ${r.status}`);
    }
    for (const r of row.requirements) if (!s.requirements.some((x) => x.key === r.key)) mismatches.push(`${caseId} ${r.key}: in the database only`);
  }
  return {
    cases: caseIds.length,
    emailsExpected: expected.size,
    emailsDelivered: [...expected].filter((f) => received.has(f)).length,
    emailsDuplicated: [...received].filter(([, n]) => n > 1).map(([f, n]) => `${f} ×${n}`),
    emailsUnexpected: [...received.keys()].filter((f) => !expected.has(f)),
    emailsMissing: [...expected].filter((f) => !received.has(f) && !unconfirmed.includes(f)),
    emailsUnconfirmed: unconfirmed,
    emailsUnconfirmedDelivered: unconfirmed.filter((f) => received.has(f)).length,
    emailsNotSent: rows.filter((r) => r.status !== 'SENT' && r.status !== 'UNCONFIRMED').map((r) => `${r.idempotencyKey} (${r.status})`),
    mismatches,
  };
}

/** The checks every fault test makes of its tally: nothing lost, doubled, unasked for or out of step. */
export function expectClean(t: Tally): void {
  expect(t.mismatches).toEqual([]);
  expect(t.emailsDuplicated).toEqual([]);
  expect(t.emailsUnexpected).toEqual([]);
  expect(t.emailsMissing).toEqual([]);
  expect(t.emailsNotSent).toEqual([]);
  expect(t.emailsDelivered + t.emailsUnconfirmed.length - t.emailsUnconfirmedDelivered).toBe(t.emailsExpected);
}

const reportFile = () => process.env.BGA_FAULT_REPORT ?? path.join(toolCacheDir(), 'fault-runs', 'last-run.json');

/**
 * Appends a run's figures to fault-runs/last-run.json in the tool cache, outside the checkout
 * (BGA_FAULT_REPORT names another file); docs/reliability.md quotes runs by their command.
 */
export function report(name: string, figures: Record<string, unknown>): void {
  const file = reportFile();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const all = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  all[name] = { ...figures, at: new Date().toISOString() };
  fs.writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
  console.log(`[fault] ${name} (also in ${file}): ${JSON.stringify(figures)}`);
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
