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
