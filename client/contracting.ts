import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { loadRulesConfig } from '../activities/rules-config';
import { parseActionInput } from '../domain/actions';
import { BrokerSchema } from '../domain/application';
import { findCarrier } from '../domain/carrier-config';
import { describeProblems, type Problem } from '../domain/case-core/requests';
import { licenseState } from '../domain/contracting';
import { CONTRACTING_ACTIONS, type ContractingActionName, type MissingItem } from '../domain/contracting-core';
import type { Db } from '../platform/db';
import type { contractingWorkflow } from '../workflows/contracting';
import { contractingQuery, contractingRequestQuery, contractingSignals, type ContractingView, contractingWorkflowId } from '../workflows/contracting-messages';
import { ActionRefusedError } from './case-errors';

/*
 * Contracting as the CLI and the API run it: start a request, act on it, read it. Inputs are
 * checked with the core's own schemas before anything is sent; the request then judges them
 * again against itself, and the caller waits for that outcome.
 */

/** No contracting request for that broker and carrier: nothing was ever started, or the NPN or carrier is wrong. */
export class ContractingNotFoundError extends Error {
  override name = 'ContractingNotFoundError';
  constructor(
    readonly npn: string,
    readonly carrierCode?: string,
  ) {
    super(
      carrierCode
        ? `No contracting request for NPN ${npn} with ${carrierCode}. Start one with \`bga contracting start ${npn} ${carrierCode}\`.`
        : `No contracting request for NPN ${npn}. Start one with \`bga contracting start ${npn} <carrier>\`.`,
    );
  }
}

/** The request has the input but has not taken it yet (its worker is down); it will, once. */
export class ContractingPendingError extends Error {
  override name = 'ContractingPendingError';
  constructor(workflowId: string, requestId: string) {
    super(`${workflowId} has request ${requestId} but has not taken it within 30 s; is the worker running? It will be applied once, when the request runs.`);
  }
}

const StartSchema = z.object({
  npn: BrokerSchema.shape.npn,
  carrier: z.string().trim().toUpperCase().min(1, 'is required'),
  residentState: licenseState.optional(),
  actor: z.string().trim().min(1).max(120),
});
export type StartContracting = z.input<typeof StartSchema>;

const refusal = (problems: Problem[]) => new ActionRefusedError(describeProblems(problems), problems);

/** Checks what a start names against the records before anything runs: an unknown NPN or carrier starts nothing. */
async function checkStart(db: Db, raw: StartContracting) {
  const parsed = parseActionInput<z.output<typeof StartSchema>>(StartSchema, raw);
  if (!parsed.ok) throw refusal(parsed.problems);
  const input = parsed.data;
  const config = await loadRulesConfig();
  if (!findCarrier(config, input.carrier)) {
    throw refusal([{ field: 'carrier', message: `${input.carrier} is not in the carrier rules; the carriers are ${config.carriers.map((c) => c.code).join(', ')}` }]);
  }
  const broker = await db.broker.findUnique({ where: { npn: input.npn } });
  if (!broker) throw refusal([{ field: 'npn', message: `no broker with NPN ${input.npn} is on record; add them with \`bga broker add\` first` }]);
  if (!input.residentState && !broker.residentState) {
    throw refusal([{ field: 'residentState', message: `NPN ${input.npn}'s resident state is not on record; give it (--resident GA)` }]);
  }
  return { input, broker };
}

/**
 * Starts the pair's request, or returns the one running: a second start, like a second case,
 * joins it. A resident state given is kept on the broker record for later requests.
 */
export async function startContracting(client: Client, taskQueue: string, db: Db, raw: StartContracting): Promise<ContractingView> {
  const { input, broker } = await checkStart(db, raw);
  if (input.residentState && input.residentState !== broker.residentState) {
    await db.broker.update({ where: { id: broker.id }, data: { residentState: input.residentState } });
  }
  const workflowId = contractingWorkflowId(input.npn, input.carrier);
  const handle = await client.workflow.start<typeof contractingWorkflow>('contractingWorkflow', {
    workflowId,
    taskQueue,
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [{ kind: 'new', npn: input.npn, carrierCode: input.carrier, actor: input.actor, ...(input.residentState ? { residentState: input.residentState } : {}) }],
    staticSummary: `Contracting for NPN ${input.npn} with ${input.carrier}`,
  });
  return waitForView(client, handle.workflowId);
}

async function waitForView(client: Client, workflowId: string, waitMs = 30_000): Promise<ContractingView> {
  const started = Date.now();
  for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
    const view = await client.workflow.getHandle(workflowId).query(contractingQuery);
    if (view) return view;
    if (Date.now() - started > waitMs) throw new Error(`${workflowId} has not opened within ${waitMs / 1000} s; is the worker running?`);
    await sleep(pause);
  }
}

/** The running request for the pair, as its workflow holds it; undefined when none runs. */
export async function contractingView(client: Client, npn: string, carrierCode: string): Promise<ContractingView | undefined> {
  const handle = client.workflow.getHandle(contractingWorkflowId(npn, carrierCode));
  try {
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING') return undefined;
    return (await handle.query(contractingQuery)) ?? undefined;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** Sends one input with its request ID and waits for the request's outcome: the view after it, or the refusal. */
export async function actOnContracting(
  client: Client,
  npn: string,
  carrierCode: string,
  action: ContractingActionName,
  input: Record<string, unknown>,
  requestId: string = randomUUID(),
): Promise<ContractingView> {
  const checked = parseActionInput<unknown>(CONTRACTING_ACTIONS[action], input);
  if (!checked.ok) throw refusal(checked.problems);
  const workflowId = contractingWorkflowId(npn, carrierCode.toUpperCase());
  if (!(await contractingView(client, npn, carrierCode.toUpperCase()))) throw new ContractingNotFoundError(npn, carrierCode.toUpperCase());
  const handle = client.workflow.getHandle(workflowId);
  await handle.signal(contractingSignals[action], { requestId, input });
  const started = Date.now();
  for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
    const result = await handle.query(contractingRequestQuery, requestId);
    if (result) {
      if (result.request.status === 'REFUSED') throw refusal(result.request.problems ?? []);
      if (result.request.recorded || Date.now() - started > 5_000) return result.view;
    }
    if (Date.now() - started > 30_000) throw new ContractingPendingError(workflowId, requestId);
    await sleep(pause);
  }
}

/** A request as PostgreSQL holds it, for lists, reports and requests that have ended. */
export interface ContractingRow {
  id: string;
  workflowId: string;
  npn: string;
  brokerName: string;
  carrierCode: string;
  stage: string;
  waitingOn: string | null;
  missing: MissingItem[];
  caseIds: string[];
  openedAt: string;
  stageEnteredAt: string;
  appointedOn: string | null;
  outcomeReason: string | null;
}

export async function listContracting(db: Db, filter: { npn?: string; open?: boolean } = {}): Promise<ContractingRow[]> {
  const rows = await db.contractingRequest.findMany({
    where: { ...(filter.npn ? { broker: { npn: filter.npn } } : {}), ...(filter.open ? { closedAt: null } : {}) },
    include: { broker: { select: { npn: true, name: true } } },
    orderBy: [{ openedAt: 'desc' }],
    take: 500,
  });
  return rows.map((r) => ({
    id: r.id,
    workflowId: r.workflowId,
    npn: r.broker.npn,
    brokerName: r.broker.name,
    carrierCode: r.carrierCode,
    stage: r.stage,
    waitingOn: r.waitingOn,
    missing: r.missing as unknown as MissingItem[],
    caseIds: r.caseIds,
    openedAt: r.openedAt.toISOString(),
    stageEnteredAt: r.stageEnteredAt.toISOString(),
    appointedOn: r.appointedOn ? r.appointedOn.toISOString().slice(0, 10) : null,
    outcomeReason: r.outcomeReason,
  }));
}

/**
 * An appointment recorded outside contracting (`bga broker appoint`) ends the pair's running
 * request, which would otherwise go on asking the broker for the packet. Returns what was said.
 */
export async function closeContractingOnAppointment(client: Client, npn: string, carrierCode: string, actor: string, appointedOn: string): Promise<string> {
  const view = await contractingView(client, npn, carrierCode);
  if (!view) return '';
  await actOnContracting(client, npn, carrierCode, 'cancel', { actor, reason: `Appointment on ${appointedOn} recorded outside contracting` }, `appointment-recorded:${npn}:${carrierCode}:${appointedOn}`);
  return ` The running contracting request ${view.workflowId} was closed.`;
}
