import { CompleteAsyncError, Context } from '@temporalio/activity';
import { submitApplication } from '../../client/cases';
import { exampleApplication } from '../helpers/applications';
import { takenTogether } from '../helpers/crash-grouping';
import { eventually } from '../helpers/eventually';
import { activitiesInFlight, commandsOfTaskAfter, eventName, type HistoryEvent, historyOf, replayHistory } from '../helpers/histories';
import { World } from '../helpers/world';

/*
 * Two effects in flight at once, a vendor order and an email, complete in two workflow tasks;
 * after a worker crash the same two results can reach a fresh worker in one task (the grouping
 * docs/history.md describes for a result and a signal). The history is rewritten into that
 * grouping and must still replay: what the case does with each result has to come out in the
 * order of the results, however they are grouped.
 */

const heldOrders: Uint8Array[] = [];
let heldEmail: Uint8Array | undefined;
let syncHeld: Promise<void> | undefined;
let releaseSync = () => {};

let world: World;
beforeAll(async () => {
  world = await World.create('dev-server', {
    wrapActivities: (a) => ({
      ...a,
      async orderRequirement() {
        heldOrders.push(Context.current().info.taskToken);
        throw new CompleteAsyncError();
      },
      async sendEmail(input) {
        if (heldEmail !== undefined || input.data.template !== 'exam-instructions') return a.sendEmail(input);
        heldEmail = Context.current().info.taskToken;
        throw new CompleteAsyncError();
      },
      async syncCase(input) {
        await syncHeld;
        return a.syncCase(input);
      },
    }),
  });
});
afterAll(async () => world?.close());

/** The indices of the results of activities of this type. */
function resultsOf(events: HistoryEvent[], activityType: string): number[] {
  const scheduled = new Set(
    events.filter((e) => (e.activityTaskScheduledEventAttributes as { activityType?: { name?: string } } | undefined)?.activityType?.name === activityType).map((e) => e.eventId),
  );
  return events.flatMap((e, i) => (scheduled.has((e.activityTaskCompletedEventAttributes as { scheduledEventId?: string } | undefined)?.scheduledEventId ?? '') ? [i] : []));
}
const firstResultOf = (events: HistoryEvent[], activityType: string) => resultsOf(events, activityType).at(0) ?? -1;
const lastResultOf = (events: HistoryEvent[], activityType: string) => resultsOf(events, activityType).at(-1) ?? -1;

const taskCompletedAfter = (events: HistoryEvent[], i: number) => i >= 0 && events.slice(i).some((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED');

test('an order result and an email result taken in one workflow task, as after a crash: the history replays', async () => {
  const app = exampleApplication('summit-wl-clean');
  await world.licensedBroker(app.broker.npn, 'GA', 'SUMMIT');
  const { caseId } = await submitApplication(world.client, world.taskQueue, app);
  const h = world.handle(caseId);
  // The vendor orders and the email are in flight together, and nothing else is. Every order is
  // held, so that the first to complete is the one to start the follow-up alarm for its date.
  const orders = await eventually(async () => {
    expect(heldEmail).toBeDefined();
    const s = await world.state(caseId);
    expect(s.stage).toBe('REQUIREMENTS');
    const vendorOrders = s.requirements.filter((r) => r.vendorCode).length;
    expect(vendorOrders).toBeGreaterThan(0);
    expect(heldOrders.length).toBe(vendorOrders);
    // Read from one history: a sync that completed after the last task would still be in flight for the case.
    const { events } = await historyOf(h);
    expect(events.at(-1)?.workflowTaskCompletedEventAttributes).toBeDefined();
    expect(activitiesInFlight(events)).toEqual([...Array<string>(vendorOrders).fill('orderRequirement'), 'sendEmail']);
    return vendorOrders;
  }, 60_000);

  syncHeld = new Promise((resolve) => {
    releaseSync = resolve;
  });
  await world.client.activity.complete(heldOrders[0]!, { providerOrderNumber: 'HELD-1', channel: 'email' });
  // The order's task has started its follow-up alarm and the database sync, which waits.
  await eventually(async () => {
    const { events } = await historyOf(h);
    expect(taskCompletedAfter(events, firstResultOf(events, 'orderRequirement'))).toBe(true);
    expect(events.at(-1)?.eventType).not.toBe('EVENT_TYPE_WORKFLOW_TASK_SCHEDULED');
  }, 60_000);
  await world.client.activity.complete(heldEmail!, undefined);
  await eventually(async () => {
    const { events } = await historyOf(h);
    expect(taskCompletedAfter(events, lastResultOf(events, 'sendEmail'))).toBe(true);
  }, 60_000);
  releaseSync();
  for (let i = 1; i < orders; i++) await world.client.activity.complete(heldOrders[i]!, { providerOrderNumber: `HELD-${i + 1}`, channel: 'email' });
  await eventually(async () => {
    expect((await h.describe()).raw.pendingActivities ?? []).toEqual([]);
    expect((await world.state(caseId)).recentEvents.some((e) => e.type === 'EMAIL_SENT' && e.data?.template === 'exam-instructions')).toBe(true);
  }, 60_000);

  const history = await historyOf(h);
  await replayHistory(history, caseId);
  const emailResult = history.events[lastResultOf(history.events, 'sendEmail')]!;
  const { history: regrouped, droppedTimers } = takenTogether(history, emailResult.eventId);
  expect(droppedTimers).toEqual([]);
  const at = lastResultOf(regrouped.events, 'sendEmail');
  const names = regrouped.events.map(eventName);
  // Both results before one task, which answers them both.
  expect(names.slice(at - 4, at + 3)).toEqual([
    'ACTIVITY_TASK_STARTED',
    'ACTIVITY_TASK_COMPLETED',
    'WORKFLOW_TASK_SCHEDULED',
    'ACTIVITY_TASK_STARTED',
    'ACTIVITY_TASK_COMPLETED',
    'WORKFLOW_TASK_STARTED',
    'WORKFLOW_TASK_COMPLETED',
  ]);
  // The order's alarm and the sync of its result, then nothing for the email: its event waits
  // for the sync in flight. Merged, the replay must still give the order's commands first.
  expect(commandsOfTaskAfter(regrouped.events, at)).toEqual(['TIMER_STARTED', 'ACTIVITY_TASK_SCHEDULED syncCase']);
  await replayHistory(regrouped, `${caseId} regrouped`);
  await h.terminate('test over');
}, 180_000);
