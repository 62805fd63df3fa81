import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, QueryNotRegisteredError, type WorkflowClient, WorkflowNotFoundError } from '@temporalio/client';
import type { CaseState } from '../domain/case';
import { ACTION_NAMES, type ActionName, describeProblems, OPS_ACTION_NAMES, type OpsActionName } from '../domain/case-core/requests';
import * as msg from '../workflows/messages';
import { ActionRefusedError, CaseNotFoundError } from './case-errors';

/*
 * The operations that the `bga` CLI and the HTTP API share: read a case, act on it, find
 * cases. Errors come back as the kinds a caller must tell apart.
 */

export { ACTION_NAMES, type ActionName, ActionRefusedError, CaseNotFoundError, OPS_ACTION_NAMES, type OpsActionName };

/** The case has the request but has not taken it yet (its worker is down or busy); it will, once, when it can. */
export class ActionPendingError extends Error {
  override name = 'ActionPendingError';
  constructor(
    readonly caseId: string,
    readonly requestId: string,
    waitedMs: number,
  ) {
    super(
      `Case ${caseId} has request ${requestId} but has not taken it within ${Math.round(waitedMs / 1000)} s; is the worker running? ` +
        `It will be applied once, when the case runs: check with \`bga status ${caseId}\`, or send it again with --request-id ${requestId}.`,
    );
  }
}

/**
 * The case's history does not replay on the workers' code: a release went out past the replay
 * gate of `npm run deploy`. Nothing is lost; the case moves again once workers that replay it
 * run, and its database record stands meanwhile.
 */
export class CaseUnreplayableError extends Error {
  override name = 'CaseUnreplayableError';
  constructor(
    readonly caseId: string,
    detail: string,
  ) {
    super(
      `Case ${caseId} cannot be read: its history no longer replays (${detail.slice(0, 200)}). ` +
        `The workers run code it was not started on: deploy back the previous release (\`bga check-replay ${caseId}\` from a checkout says whether it replays), and the case carries on; its record in PostgreSQL stands meanwhile. See README, Reliability.`,
    );
  }
}

/** The dev server and clusters say "workflow execution already completed"; the time-skipping server "Completed workflow". */
const isFinished = (err: unknown) => /workflow execution already completed|^completed workflow$/i.test((err as Error).message ?? '');

function translate(caseId: string, err: unknown): never {
  if (/\[TMPRL1100\]|Nondeterminism/.test((err as Error).message ?? '')) throw new CaseUnreplayableError(caseId, (err as Error).message);
  // The case registers its state query before anything else, so "not registered" means the replay
  // that answers it failed first, in workflow code whose failure message the codec has encrypted.
  if (err instanceof QueryNotRegisteredError) throw new CaseUnreplayableError(caseId, `the query failed while replaying: ${err.message}`);
  // Temporal answers a signal to a finished workflow with NOT_FOUND too; tell the two apart.
  if (isFinished(err)) {
    throw new ActionRefusedError(`Case ${caseId} is closed; no further changes are accepted.`);
  }
  if (err instanceof WorkflowNotFoundError) throw new CaseNotFoundError(caseId);
  throw err;
}

export async function getCase(client: Client, caseId: string): Promise<CaseState> {
  try {
    const state = await client.workflow.getHandle(caseId).query(msg.caseStateQuery);
    if (!state) throw new ActionRefusedError(`Case ${caseId} is still being opened; try again in a few seconds.`);
    return state;
  } catch (err) {
    return translate(caseId, err);
  }
}

/** What acting on a case needs of a client: a `Client`, or `{ workflow: handle.client }`. */
export type Workflows = Pick<Client, 'workflow'> | { workflow: WorkflowClient };

export interface ActOptions {
  /** The caller's ID for this request; the case applies each once. A new one by default. */
  requestId?: string;
  /** How long to wait for the case to take the request; default 30 s. */
  waitMs?: number;
  /** How long, once the case has taken it, to wait for its database record; default 5 s. */
  recordWaitMs?: number;
}

/** Sends an ops action as a signal; the case applies it when it next runs. Returns the request ID. */
export async function sendAction(client: Workflows, caseId: string, action: ActionName, input: Record<string, unknown>, requestId: string = randomUUID()): Promise<string> {
  const handle = client.workflow.getHandle(caseId);
  try {
    await handle.signal(msg.actionSignals[action], { requestId, input });
    return requestId;
  } catch (err) {
    if (!isFinished(err)) return translate(caseId, err);
    // A retry whose first attempt closed the case (a lost answer, a restart) finds the request
    // there: the caller gets its outcome, not a refusal of what it did itself. Only the case's
    // answer that it never had the request refuses it; a case that cannot be asked right now (no
    // worker up to replay it) fails the call, and the caller retries under the same request ID.
    let taken: msg.RequestResult | undefined;
    try {
      taken = await handle.query(msg.requestResultQuery, requestId);
    } catch (queryErr) {
      return translate(caseId, queryErr);
    }
    if (taken) return requestId;
    return translate(caseId, err);
  }
}

/**
 * How long an answer waits, after the case has taken the request, for PostgreSQL to hold its
 * outcome. The record normally follows within a tenth of a second; longer means PostgreSQL is
 * down, or the case is one opened before effects ran concurrently whose lane is busy with a
 * delivery being retried. The answer then comes from the case, with `recorded` still false.
 */
const RECORD_WAIT_MS = 5_000;

/**
 * Waits for the case to take a request, and returns the case as it stands after the change
 * took effect, stage transition included; throws ActionRefusedError with the case's reasons.
 */
export async function awaitRequest(client: Workflows, caseId: string, requestId: string, waitMs = 30_000, recordWaitMs = RECORD_WAIT_MS): Promise<CaseState> {
  const handle = client.workflow.getHandle(caseId);
  const started = Date.now();
  let takenAt: number | undefined;
  for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
    let result: msg.RequestResult | undefined;
    try {
      result = await handle.query(msg.requestResultQuery, requestId);
    } catch (err) {
      translate(caseId, err);
    }
    if (result) {
      const { request, state } = result;
      if (request.status === 'REFUSED') throw new ActionRefusedError(describeProblems(request.problems ?? []), request.problems);
      takenAt ??= Date.now();
      if (request.recorded || Date.now() - takenAt >= recordWaitMs || Date.now() - started > waitMs) return state;
    }
    if (Date.now() - started > waitMs) throw new ActionPendingError(caseId, requestId, Date.now() - started);
    await sleep(pause);
  }
}

/** Runs one ops action: a signal with its request ID, then the case as it stands afterwards. */
export async function act(client: Workflows, caseId: string, action: ActionName, input: Record<string, unknown>, opts: ActOptions = {}): Promise<CaseState> {
  const requestId = await sendAction(client, caseId, action, input, opts.requestId);
  return awaitRequest(client, caseId, requestId, opts.waitMs, opts.recordWaitMs);
}

export interface CaseFilter {
  stage?: string;
  carrier?: string;
  brokerNpn?: string;
  /** Requirement code still open, e.g. PHYSSTMT. */
  outstanding?: string;
  /** Only cases received (started) at least this many days ago. */
  olderThanDays?: number;
  /** Include closed cases. */
  all?: boolean;
}

const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Builds the Temporal visibility query for a filter; the same query works in the Web UI. */
export function visibilityQuery(f: CaseFilter, now = new Date()): string {
  const parts = [`WorkflowType = 'applicationWorkflow'`];
  if (!f.all) parts.push(`ExecutionStatus = 'Running'`);
  if (f.stage) parts.push(`BgaStage = ${quote(f.stage.toUpperCase())}`);
  if (f.carrier) parts.push(`BgaCarrier = ${quote(f.carrier.toUpperCase())}`);
  if (f.brokerNpn) parts.push(`BgaBrokerNpn = ${quote(f.brokerNpn)}`);
  if (f.outstanding) parts.push(`BgaOutstandingCodes = ${quote(f.outstanding.toUpperCase())}`);
  if (f.olderThanDays !== undefined) {
    parts.push(`StartTime < ${quote(new Date(now.getTime() - f.olderThanDays * 86_400_000).toISOString())}`);
  }
  return parts.join(' AND ');
}

export interface CaseSummary {
  caseId: string;
  status: string;
  stage: string;
  carrier: string;
  brokerNpn: string;
  faceAmount: number;
  outstanding: number;
  outstandingCodes: string[];
  startedAt: string;
  stageEnteredAt?: string;
  outcome?: string;
}

export async function listCases(client: Client, filter: CaseFilter, limit = 200): Promise<CaseSummary[]> {
  const out: CaseSummary[] = [];
  for await (const wf of client.workflow.list({ query: visibilityQuery(filter) })) {
    const sa = wf.searchAttributes as Record<string, unknown[] | undefined>;
    const first = <T>(k: string) => sa[k]?.[0] as T | undefined;
    out.push({
      caseId: wf.workflowId,
      status: wf.status.name,
      stage: first<string>('BgaStage') ?? '',
      carrier: first<string>('BgaCarrier') ?? '',
      brokerNpn: first<string>('BgaBrokerNpn') ?? '',
      faceAmount: first<number>('BgaFaceAmount') ?? 0,
      outstanding: first<number>('BgaOutstandingCount') ?? 0,
      outstandingCodes: (sa.BgaOutstandingCodes as string[] | undefined) ?? [],
      startedAt: wf.startTime.toISOString(),
      ...(first<Date>('BgaStageEnteredAt') ? { stageEnteredAt: new Date(first<Date>('BgaStageEnteredAt')!).toISOString() } : {}),
      ...(first<string>('BgaOutcome') ? { outcome: first<string>('BgaOutcome')! } : {}),
    });
    if (out.length >= limit) break;
  }
  return out;
}

/** Asks every case held for contracting for this broker (and carrier) to check its licence and appointment again. */
export async function recheckHeldCases(client: Client, brokerNpn: string, actor: string, carrier?: string): Promise<string[]> {
  const held = await listCases(client, { stage: 'LICENSING_HOLD', brokerNpn, ...(carrier ? { carrier } : {}) });
  for (const c of held) await act(client, c.caseId, 'recheck-licensing', { actor });
  return held.map((c) => c.caseId);
}
