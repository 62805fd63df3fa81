import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { pool } from './util';

const { EventType } = temporal.api.enums.v1;

export interface HistoryTotals {
  workflows: number;
  events: number;
  /** Encoded size of the histories: payloads (encrypted), search attributes, summaries. */
  bytes: number;
  activities: number;
  /** Failed or timed-out attempts; a retry shows up here and again as a completion. */
  activityFailures: number;
  workflowTasks: number;
  timers: number;
  /** Timers still running when the history was read: the follow-up an open case waits on. */
  timersPending: number;
  /** Workflows with at least one such timer. */
  waitingOnTimer: number;
}

/**
 * Counts from the server's own record. The histories are read after the measured window (the
 * cases then sit on days-long timers), so the counting costs the measurement nothing, and it
 * needs no interceptor or metrics endpoint that could disagree with what the server did.
 */
export async function countHistories(client: Client, workflowIds: readonly string[]): Promise<HistoryTotals> {
  const t: HistoryTotals = { workflows: 0, events: 0, bytes: 0, activities: 0, activityFailures: 0, workflowTasks: 0, timers: 0, timersPending: 0, waitingOnTimer: 0 };
  await pool(workflowIds, 16, async (id) => {
    const history = await client.workflow.getHandle(id).fetchHistory();
    const events = history.events ?? [];
    t.workflows += 1;
    t.events += events.length;
    t.bytes += temporal.api.history.v1.History.encode(history).finish().length;
    let open = 0;
    for (const e of events) {
      switch (e.eventType) {
        case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
          t.activities += 1;
          break;
        case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
        case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
          t.activityFailures += 1;
          break;
        case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
          t.workflowTasks += 1;
          break;
        case EventType.EVENT_TYPE_TIMER_STARTED:
          t.timers += 1;
          open += 1;
          break;
        case EventType.EVENT_TYPE_TIMER_FIRED:
        case EventType.EVENT_TYPE_TIMER_CANCELED:
          open -= 1;
          break;
      }
    }
    t.timersPending += open;
    if (open > 0) t.waitingOnTimer += 1;
  });
  return t;
}

type Event = temporal.api.history.v1.IHistoryEvent;

const ms = (t: Event['eventTime']): number => {
  const s = t?.seconds ?? 0;
  return (typeof s === 'number' ? s : s.toNumber()) * 1000 + (t?.nanos ?? 0) / 1e6;
};
const id = (e: Event): number => {
  const v = e.eventId ?? 0;
  return typeof v === 'number' ? v : v.toNumber();
};
const num = (v: number | { toNumber(): number } | null | undefined): number => (v == null ? 0 : typeof v === 'number' ? v : v.toNumber());

/** The last event ID of each workflow's history now: signals sent afterwards are found after it. */
export async function lastEventIds(client: Client, workflowIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  await pool(workflowIds, 16, async (wid) => {
    const events = (await client.workflow.getHandle(wid).fetchHistory()).events ?? [];
    out.set(wid, events.length ? id(events.at(-1)!) : 0);
  });
  return out;
}

/** One signal sent by the bench: to which workflow, under which signal name, and when (wall clock, ms). */
export interface SentSignal {
  workflowId: string;
  signalName: string;
  sentAtWallMs: number;
}

/**
 * What the server did between one signal and the completion of the first activity of type
 * `activityType` scheduled after it (the product's `syncCase`, which writes the row).
 */
export interface CriticalPath {
  /** Workflow tasks that ran after the signal up to that completion (completed, failed or timed out). */
  workflowTasks: number;
  /** Activities that ended after the signal up to and including that one: any other is on the path too, ahead of it. */
  activities: number;
  activityTypes: string[];
  /** Of those workflow tasks, how many went to the worker's sticky queue (the case was in its cache, no replay). */
  stickyTasks: number;
  /** Events the path wrote between the signal and the activity's scheduling, by type (the workflow task's commands among them). */
  eventTypes: string[];
  /** Encoded (encrypted) bytes of the activity's input as the history holds it. */
  inputBytes: number;
  /** Milliseconds between events, server clock (the send is the bench's wall clock, same machine). */
  segments: PathSegments;
}

export interface PathSegments {
  /** Send → WorkflowExecutionSignaled: the signal RPC up to the server's write. */
  sendToSignaled: number;
  /** Signaled → the next WorkflowTaskStarted: the task's queueing and the worker's poll. */
  signaledToTaskStarted: number;
  /** That task started → the activity scheduled: the worker's workflow task(s), up to the command. */
  taskStartedToScheduled: number;
  /** Activity scheduled → started: dispatch to the worker's activity poller. */
  scheduledToStarted: number;
  /** Activity started → completed: the activity itself and its report. */
  activityRun: number;
  /** Signaled → activity completed. */
  signaledToCompleted: number;
}

/**
 * For each sent signal, its critical path from the server's history. The k-th signal sent to a
 * workflow under a name is paired with the k-th event of that name after `marks` (taken before
 * the first send). Undefined where the history lacks the signal or the completion.
 */
export async function criticalPaths(
  client: Client,
  sent: readonly SentSignal[],
  marks: ReadonlyMap<string, number>,
  activityType: string,
): Promise<(CriticalPath | undefined)[]> {
  const byWorkflow = new Map<string, number[]>();
  sent.forEach((s, i) => byWorkflow.set(s.workflowId, [...(byWorkflow.get(s.workflowId) ?? []), i]));
  const out: (CriticalPath | undefined)[] = sent.map(() => undefined);
  await pool([...byWorkflow.keys()], 16, async (wid) => {
    const events = (await client.workflow.getHandle(wid).fetchHistory()).events ?? [];
    const mark = marks.get(wid) ?? 0;
    const typeOf = new Map<number, string>();
    for (const e of events) {
      if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) typeOf.set(id(e), e.activityTaskScheduledEventAttributes?.activityType?.name ?? '?');
    }
    const seen = new Map<string, number>();
    const signals: { index: number; name: string; k: number }[] = [];
    events.forEach((e, index) => {
      if (id(e) <= mark || e.eventType !== EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) return;
      const name = e.workflowExecutionSignaledEventAttributes?.signalName ?? '';
      const k = seen.get(name) ?? 0;
      seen.set(name, k + 1);
      signals.push({ index, name, k });
    });
    const mine = byWorkflow.get(wid)!;
    const kOf = new Map<string, number>();
    for (const i of mine) {
      const s = sent[i]!;
      const k = kOf.get(s.signalName) ?? 0;
      kOf.set(s.signalName, k + 1);
      const signal = signals.find((x) => x.name === s.signalName && x.k === k);
      if (!signal) continue;
      out[i] = pathFrom(events, signal.index, activityType, typeOf, s.sentAtWallMs);
    }
  });
  return out;
}

function pathFrom(events: Event[], from: number, activityType: string, typeOf: Map<number, string>, sentAtWallMs: number): CriticalPath | undefined {
  const signaled = events[from]!;
  let taskStarted: Event | undefined;
  let scheduled: Event | undefined;
  let workflowTasks = 0;
  let stickyTasks = 0;
  const activityTypes: string[] = [];
  const eventTypes: string[] = [];
  for (let i = from + 1; i < events.length; i++) {
    const e = events[i]!;
    if (!scheduled) eventTypes.push((EventType[e.eventType ?? 0] ?? '?').replace(/^EVENT_TYPE_/, ''));
    switch (e.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
        if (e.workflowTaskScheduledEventAttributes?.taskQueue?.kind === temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_STICKY) stickyTasks += 1;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
        taskStarted ??= e;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
      case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
      case EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
        workflowTasks += 1;
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        if (!scheduled && typeOf.get(id(e)) === activityType) scheduled = e;
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: {
        const attrs = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes;
        const scheduledId = num(attrs?.scheduledEventId);
        activityTypes.push(typeOf.get(scheduledId) ?? '?');
        if (scheduled && scheduledId === id(scheduled) && e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
          const started = events.find(
            (x) => x.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED && num(x.activityTaskStartedEventAttributes?.scheduledEventId) === scheduledId,
          );
          const t = ms(signaled.eventTime);
          const startedAt = started ? ms(started.eventTime) : ms(e.eventTime);
          return {
            workflowTasks,
            activities: activityTypes.length,
            activityTypes,
            stickyTasks,
            eventTypes,
            inputBytes: temporal.api.common.v1.Payloads.encode(scheduled.activityTaskScheduledEventAttributes?.input ?? {}).finish().length,
            segments: {
              sendToSignaled: t - sentAtWallMs,
              signaledToTaskStarted: (taskStarted ? ms(taskStarted.eventTime) : t) - t,
              taskStartedToScheduled: ms(scheduled.eventTime) - (taskStarted ? ms(taskStarted.eventTime) : t),
              scheduledToStarted: startedAt - ms(scheduled.eventTime),
              activityRun: ms(e.eventTime) - startedAt,
              signaledToCompleted: ms(e.eventTime) - t,
            },
          };
        }
        break;
      }
    }
  }
  return undefined;
}
