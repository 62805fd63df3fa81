import { CompleteAsyncError, Context } from '@temporalio/activity';
import { submitApplication } from '../../client/cases';
import * as msg from '../../workflows/messages';
import { exampleApplication } from '../helpers/applications';
import { takenTogether } from '../helpers/crash-grouping';
import { eventually } from '../helpers/eventually';
import { activitiesInFlight, commandsOfTaskAfter, eventName, historyOf, replayHistory } from '../helpers/histories';
import { World } from '../helpers/world';

/*
 * The divergence the 200-case crash test found (docs/history.md): a vendor order's result and
 * a receipt signalled after it, taken by a fresh worker in one workflow task after a kill -9,
 * whose commands then came in another order on replay. Here the two are made to come in two
 * tasks, the database sync between them held so that nothing else intervenes, and the history
 * is then regrouped the way the crash grouped it. Both must replay.
 */

// Every vendor order is held, so that the one completed first starts the follow-up alarm for its date.
const held: { token: Uint8Array; key: string }[] = [];
let syncHeld: Promise<void> | undefined;
let releaseSync = () => {};

let world: World;
beforeAll(async () => {
  world = await World.create('dev-server', {
    wrapActivities: (a) => ({
      ...a,
      async orderRequirement(input) {
        held.push({ token: Context.current().info.taskToken, key: input.requirement.key });
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

test('an order result and a receipt signalled after it, taken in one workflow task as after a crash: the history replays', async () => {
  const app = exampleApplication('summit-wl-clean');
  await world.licensedBroker(app.broker.npn, 'GA', 'SUMMIT');
  const { caseId } = await submitApplication(world.client, world.taskQueue, app);
  const h = world.handle(caseId);
  await eventually(async () => {
    const s = await world.state(caseId);
    expect(s.stage).toBe('REQUIREMENTS');
    const orders = s.requirements.filter((r) => r.vendorCode).length;
    expect(orders).toBeGreaterThan(0);
    expect(held.length).toBe(orders);
    // Nothing but the orders in flight, and every other result taken (no sync started since):
    // the first order's result is the next thing the case takes.
    const { events } = await historyOf(h);
    expect(events.at(-1)?.workflowTaskCompletedEventAttributes).toBeDefined();
    expect(activitiesInFlight(events)).toEqual(Array<string>(orders).fill('orderRequirement'));
  }, 60_000);
  const key = held[0]!.key;

  syncHeld = new Promise((resolve) => {
    releaseSync = resolve;
  });
  await world.client.activity.complete(held[0]!.token, { providerOrderNumber: 'HELD-1', channel: 'email' });
  // The task that takes the order's result has scheduled the database sync, which waits.
  await eventually(async () => {
    const { events } = await historyOf(h);
    const result = events.findIndex((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED' && events.some((s) => s.eventId === (e.activityTaskCompletedEventAttributes as { scheduledEventId: string }).scheduledEventId && JSON.stringify(s).includes('orderRequirement')));
    expect(result).toBeGreaterThan(0);
    expect(events.slice(result).some((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED')).toBe(true);
    expect(events.at(-1)?.eventType).not.toBe('EVENT_TYPE_WORKFLOW_TASK_SCHEDULED');
  }, 60_000);
  await h.signal(msg.actionSignals['receive-requirement'], { requestId: 'grouping-receipt', input: { actor: 'cm:jordan', key } });
  await eventually(async () => {
    const { events } = await historyOf(h);
    const signalled = events.findIndex((e) => e.workflowExecutionSignaledEventAttributes);
    expect(events.slice(signalled).some((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED')).toBe(true);
  }, 60_000);
  releaseSync();
  for (const [i, order] of held.slice(1).entries()) await world.client.activity.complete(order.token, { providerOrderNumber: `HELD-${i + 2}`, channel: 'email' });
  await eventually(async () => expect((await world.state(caseId)).requests?.find((r) => r.id === 'grouping-receipt')?.recorded).toBe(true), 60_000);

  const history = await historyOf(h);
  await replayHistory(history, caseId);
  const signal = history.events.find((e) => e.workflowExecutionSignaledEventAttributes)!;
  const { history: regrouped, droppedTimers } = takenTogether(history, signal.eventId);
  // The order's result alone did not restart the shell's timer: no timer of the first task was cancelled by the second.
  expect(droppedTimers).toEqual([]);
  // The shape the crash left: the signal inside the order result's task, one task answering both.
  const at = regrouped.events.findIndex((e) => e.workflowExecutionSignaledEventAttributes);
  const names = regrouped.events.map(eventName);
  expect(names.slice(at - 2, at + 3)).toEqual(['ACTIVITY_TASK_COMPLETED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED']);
  // That task's commands: the order's follow-up alarm and the lane's sync of the result. The
  // receipt adds none of its own (the shell keeps its timer, and its changes wait for the lane's
  // next sync), so the replay must place the signal's work without a command to anchor it.
  expect(commandsOfTaskAfter(regrouped.events, at)).toEqual(['TIMER_STARTED', 'ACTIVITY_TASK_SCHEDULED syncCase']);
  await replayHistory(regrouped, `${caseId} regrouped`);
  await h.terminate('test over');
}, 180_000);
