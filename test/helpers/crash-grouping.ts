/*
 * How a worker crash regroups a history. After a kill -9, a fresh worker was seen to take an
 * activity result and a signal that came after it in two activations of one workflow task (the
 * result's task had timed out on the dead worker's sticky queue; why the SDK's core splits them
 * is not pinned down), so one task's commands answer both. A replay hands the two over in one
 * activation, signal first. `takenTogether` rewrites a
 * history where they came in two tasks into that shape, so a test can replay what the crash
 * test found, on purpose and every time. The later event can as well be a second activity's
 * result, as two concurrent effects completing on either side of a crash would come.
 */

interface Event {
  eventId: string;
  eventType: string;
  [attributes: string]: unknown;
}

const COMMAND_EVENTS = new Set(
  [
    'ACTIVITY_TASK_SCHEDULED',
    'ACTIVITY_TASK_CANCEL_REQUESTED',
    'TIMER_STARTED',
    'TIMER_CANCELED',
    'MARKER_RECORDED',
    'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES',
    'WORKFLOW_PROPERTIES_MODIFIED',
    'WORKFLOW_EXECUTION_COMPLETED',
    'WORKFLOW_EXECUTION_CONTINUED_AS_NEW',
  ].map((t) => `EVENT_TYPE_${t}`),
);

const type = (e: Event) => e.eventType.replace('EVENT_TYPE_', '');
const attrs = (e: Event) => Object.entries(e).find(([k]) => k.endsWith('EventAttributes'))?.[1] as Record<string, unknown>;
const timerId = (e: Event) => attrs(e).timerId as string;

function commandsAfter(events: Event[], i: number): Event[] {
  const out: Event[] = [];
  for (let j = i + 1; j < events.length && COMMAND_EVENTS.has(events[j]!.eventType); j++) out.push(events[j]!);
  return out;
}

/** Every field named …EventId, at any depth, through `map`. */
function remap(value: unknown, map: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => remap(v, map));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k.endsWith('EventId') && typeof v === 'string' && map.has(v) ? map.get(v) : remap(v, map)]),
  );
}

function mergeFlags(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...a, ...b };
  for (const key of ['coreUsedFlags', 'langUsedFlags']) {
    const all = [...new Set([...((a?.[key] as number[]) ?? []), ...((b?.[key] as number[]) ?? [])])];
    if (all.length) merged[key] = all;
  }
  return merged;
}

/**
 * The history with the signal or activity result at `laterEventId` moved into the workflow task
 * before it (an activity's start with it): it comes between that task's scheduling and its
 * start, and its task's commands follow the earlier task's. A timer the earlier task started and the later one cancelled never
 * reaches the server when both run in one task, so the pair is dropped; such a pair means the
 * workflow restarted its timer on the activity result alone, and its later timers would then
 * carry other IDs live and on replay (the server refuses a cancel of a timer it has already
 * cancelled), so `droppedTimers` names them.
 */
export function takenTogether(history: { events: Event[] }, laterEventId: string): { history: { events: Event[] }; droppedTimers: string[] } {
  const events = history.events;
  const s = events.findIndex((e) => e.eventId === laterEventId);
  const at = (i: number, t: string) => {
    if (type(events[i]!) !== t) throw new Error(`event ${events[i]?.eventId} is ${events[i]?.eventType}, not ${t}: the history does not have the shape to regroup`);
    return events[i]!;
  };
  // An activity's start is written with its result, and moves with it.
  const moved = type(events[s]!) === 'ACTIVITY_TASK_COMPLETED' ? [at(s - 1, 'ACTIVITY_TASK_STARTED'), events[s]!] : [events[s]!];
  const firstCommands = (() => {
    let c1 = s - moved.length;
    while (c1 > 0 && COMMAND_EVENTS.has(events[c1]!.eventType)) c1--;
    return c1;
  })();
  const completed1 = at(firstCommands, 'WORKFLOW_TASK_COMPLETED');
  const started1 = at(firstCommands - 1, 'WORKFLOW_TASK_STARTED');
  const scheduled1 = at(firstCommands - 2, 'WORKFLOW_TASK_SCHEDULED');
  const commands1 = commandsAfter(events, firstCommands);
  at(s + 1, 'WORKFLOW_TASK_SCHEDULED');
  at(s + 2, 'WORKFLOW_TASK_STARTED');
  const completed2 = at(s + 3, 'WORKFLOW_TASK_COMPLETED');
  const commands2 = commandsAfter(events, s + 3);

  const cancelledLater = new Set(commands2.filter((e) => type(e) === 'TIMER_CANCELED').map(timerId));
  const dropped = new Set(commands1.filter((e) => type(e) === 'TIMER_STARTED' && cancelledLater.has(timerId(e))).map(timerId));
  const kept = (e: Event) => !((type(e) === 'TIMER_STARTED' || type(e) === 'TIMER_CANCELED') && dropped.has(timerId(e)));

  const merged: Event = {
    ...completed1,
    workflowTaskCompletedEventAttributes: {
      ...(completed1.workflowTaskCompletedEventAttributes as Record<string, unknown>),
      sdkMetadata: mergeFlags(
        (completed1.workflowTaskCompletedEventAttributes as Record<string, unknown>).sdkMetadata as Record<string, unknown>,
        (completed2.workflowTaskCompletedEventAttributes as Record<string, unknown>).sdkMetadata as Record<string, unknown>,
      ),
    },
  };
  const rebuilt = [
    ...events.slice(0, firstCommands - 2),
    scheduled1,
    ...moved,
    started1,
    merged,
    ...commands1.filter(kept),
    ...commands2.filter(kept),
    ...events.slice(s + 4 + commands2.length),
  ];
  const ids = new Map<string, string>(rebuilt.map((e, i) => [e.eventId, String(i + 1)]));
  // The later task's commands now belong to the earlier task.
  ids.set(completed2.eventId, ids.get(completed1.eventId)!);
  return { history: { ...history, events: rebuilt.map((e, i) => ({ ...(remap(e, ids) as Event), eventId: String(i + 1) })) }, droppedTimers: [...dropped] };
}
