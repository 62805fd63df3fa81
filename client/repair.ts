import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { ReplayError, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';

/*
 * A case whose workflow task fails on replay with a nondeterminism error is stuck: Temporal
 * retries the task for ever and nothing is lost, but nothing moves. That happens after a deploy
 * that changed workflow code without patched(), and, with @temporalio/worker 1.24, when an
 * update lands in the same workflow task as an activity result on a worker that had just
 * restarted (the worker records the update after the activity's follow-up command; a later
 * replay puts it first). The repair is Temporal's reset: the run is rewound to the workflow
 * task that produced the diverging event, and every signal and update after that point is
 * reapplied. Work redone from there is idempotent: emails, orders and records are keyed.
 */

// Read where used, not at load: the CLI loads Temporal's protobufs only for commands that need them.
const enums = () => temporal.api.enums.v1;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface StuckCase {
  caseId: string;
  runId: string;
  /** How often the failing task has been tried. */
  attempts: number;
  /** The history event the replay could not match, when the failure names it. */
  divergedAtEventId?: number;
  failure: string;
}

export interface Repair extends StuckCase {
  /** The workflow task the case was rewound to (its completed event). */
  resetToEventId: number;
  newRunId: string;
}

export class NotRepairableError extends Error {
  override name = 'NotRepairableError';
}

const eventId = (e: HistoryEvent) => Number(e.eventId ?? 0);

/** Replays a history against the workflow code this deployment runs. */
export interface Replayer {
  workflowBundle: { code: string };
  dataConverter?: DataConverter;
}

/**
 * The case's run when its workflow task keeps failing and its history does not replay against
 * the current code; undefined otherwise. The task's attempt count picks the candidates cheaply;
 * the replay decides (the failure itself is not always in the history: a retry of the task is
 * recorded only once it succeeds).
 */
export async function findStuck(
  client: Client,
  caseId: string,
  replayer: Replayer,
  { requireFailingTask = true }: { requireFailingTask?: boolean } = {},
): Promise<StuckCase | undefined> {
  const description = await client.workflow.getHandle(caseId).describe();
  if (description.status.name !== 'RUNNING') return undefined;
  const attempts = description.raw.pendingWorkflowTask?.attempt ?? 0;
  // An idle case fails only when something reads it (a query replays it); asked about by name, it is replayed anyway.
  if (requireFailingTask && attempts < 2) return undefined;
  const history = await client.workflow.getHandle(caseId, description.runId).fetchHistory();
  try {
    await Worker.runReplayHistory(replayer, history, caseId);
    return undefined;
  } catch (err) {
    if (!(err instanceof DeterminismViolationError) && !(err instanceof ReplayError)) throw err;
    const named = /HistoryEvent\(id: (\d+)/.exec(err.message)?.[1];
    // The same SDK ordering bug can instead surface as an update handler failing on replay (it
    // sees the state before the activity result it saw live); the history itself shows where.
    const at = named !== undefined ? Number(named) : misorderedUpdate(history.events ?? []);
    return { caseId, runId: description.runId, attempts, failure: err.message, ...(at !== undefined ? { divergedAtEventId: at } : {}) };
  }
}

/**
 * A workflow task's completion records an accepted update before the commands it produced.
 * The first command event recorded ahead of an update acceptance in the same completion is
 * where a replay parts from the live run; undefined when every completion is in order.
 */
export function misorderedUpdate(events: HistoryEvent[]): number | undefined {
  // The events one completion records, in order: commands and update messages, nothing else.
  const { EventType } = enums();
  const commands = commandEvents();
  let inCompletion = false;
  let firstCommand: number | undefined;
  for (const e of events) {
    const type = e.eventType ?? 0;
    if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
      inCompletion = true;
      firstCommand = undefined;
    } else if (!inCompletion) continue;
    else if (type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) {
      if (firstCommand !== undefined) return firstCommand;
    } else if (commands.has(type)) firstCommand ??= eventId(e);
    else if (type !== EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED) inCompletion = false;
  }
  return undefined;
}

/** Events a workflow task's commands produce, recorded right after its completion. */
function commandEvents(): Set<number> {
  const { EventType } = enums();
  return new Set<number>([
    EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
    EventType.EVENT_TYPE_TIMER_STARTED,
    EventType.EVENT_TYPE_TIMER_CANCELED,
    EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
    EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
    EventType.EVENT_TYPE_MARKER_RECORDED,
    EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED,
    EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
    EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
    EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
  ]);
}

/**
 * Rewinds a stuck case to the workflow task that produced the diverging event, reapplying what
 * came after. `found` is what findStuck just reported, so the history is not replayed twice.
 */
export async function repairCase(client: Client, caseId: string, reason: string, replayer: Replayer, found?: StuckCase): Promise<Repair> {
  const stuck = found ?? (await findStuck(client, caseId, replayer, { requireFailingTask: false }));
  if (!stuck) throw new NotRepairableError(`Case ${caseId} is not stuck on a nondeterministic workflow task; nothing to repair.`);
  if (stuck.divergedAtEventId === undefined) {
    throw new NotRepairableError(
      `Case ${caseId} fails on replay, but the failure does not name the diverging event (${stuck.failure.slice(0, 200)}). Reset it by hand from the Web UI or with \`temporal workflow reset\`.`,
    );
  }
  const events = (await client.workflow.getHandle(caseId, stuck.runId).fetchHistory()).events ?? [];
  const producer = events.filter((e) => e.eventType === enums().EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED && eventId(e) < stuck.divergedAtEventId!).at(-1);
  if (!producer) throw new NotRepairableError(`Case ${caseId} diverges at event ${stuck.divergedAtEventId}, before any completed workflow task; it cannot be rewound.`);
  const response: temporal.api.workflowservice.v1.IResetWorkflowExecutionResponse = await client.workflowService.resetWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: { workflowId: caseId, runId: stuck.runId },
    reason,
    workflowTaskFinishEventId: producer.eventId,
    requestId: randomUUID(),
    resetReapplyType: enums().ResetReapplyType.RESET_REAPPLY_TYPE_ALL_ELIGIBLE,
  });
  return { ...stuck, resetToEventId: eventId(producer), newRunId: response.runId ?? '' };
}

/** Every running case of the pipeline that is stuck, found through visibility then checked one by one. */
export async function findStuckCases(
  client: Client,
  replayer: Replayer,
  query = "WorkflowType = 'applicationWorkflow' AND ExecutionStatus = 'Running'",
): Promise<StuckCase[]> {
  const stuck: StuckCase[] = [];
  for await (const wf of client.workflow.list({ query })) {
    const found = await findStuck(client, wf.workflowId, replayer);
    if (found) stuck.push(found);
  }
  return stuck;
}
