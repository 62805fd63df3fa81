import fs from 'node:fs';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { testDataConverter } from './keys';

/* A case's event history as JSON, the commands one of its workflow tasks gave, and its replay. */

export interface HistoryEvent {
  eventId: string;
  eventType: string;
  [attributes: string]: unknown;
}
export interface HistoryJson {
  events: HistoryEvent[];
}

export const historyOf = async (h: WorkflowHandle): Promise<HistoryJson> => ((await h.fetchHistory()) as unknown as { toJSON(): HistoryJson }).toJSON();

export const eventName = (e: HistoryEvent) => e.eventType.replace('EVENT_TYPE_', '');

const COMMANDS = new Set(['ACTIVITY_TASK_SCHEDULED', 'TIMER_STARTED', 'TIMER_CANCELED', 'MARKER_RECORDED', 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES']);

/** The commands of the first workflow task completed at or after `from`, with each scheduled activity's type. */
export function commandsOfTaskAfter(events: HistoryEvent[], from: number): string[] {
  const completed = events.findIndex((e, i) => i >= from && eventName(e) === 'WORKFLOW_TASK_COMPLETED');
  const out: string[] = [];
  for (const e of events.slice(completed + 1)) {
    if (!COMMANDS.has(eventName(e))) break;
    const activity = (e.activityTaskScheduledEventAttributes as { activityType?: { name?: string } } | undefined)?.activityType?.name;
    out.push(activity ? `${eventName(e)} ${activity}` : eventName(e));
  }
  return out;
}

/** Replays the history against the test bundle of the workflow code; throws on nondeterminism. */
export const replayHistory = (history: HistoryJson, name: string) =>
  Worker.runReplayHistory(
    { workflowBundle: { code: fs.readFileSync(process.env.BGA_TEST_WORKFLOW_BUNDLE!, 'utf8') }, dataConverter: testDataConverter },
    temporal.api.history.v1.History.fromObject(history),
    name,
  );

const CLOSED = new Set(['ACTIVITY_TASK_COMPLETED', 'ACTIVITY_TASK_FAILED', 'ACTIVITY_TASK_TIMED_OUT', 'ACTIVITY_TASK_CANCELED']);

/**
 * The types of the activities scheduled and not yet closed, sorted. Read from one history, so
 * that it agrees with the history's last event (two calls to the server can see two moments).
 */
export function activitiesInFlight(events: HistoryEvent[]): string[] {
  const closed = new Set(
    events.filter((e) => CLOSED.has(eventName(e))).map((e) => (Object.entries(e).find(([k]) => k.endsWith('EventAttributes'))?.[1] as { scheduledEventId?: string }).scheduledEventId),
  );
  return events
    .filter((e) => eventName(e) === 'ACTIVITY_TASK_SCHEDULED' && !closed.has(e.eventId))
    .map((e) => (e.activityTaskScheduledEventAttributes as { activityType?: { name?: string } }).activityType?.name ?? '')
    .sort();
}
