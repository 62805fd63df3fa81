import fs from 'node:fs';
import { CompleteAsyncError, Context } from '@temporalio/activity';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { submitApplication } from '../../client/cases';
import * as msg from '../../workflows/messages';
import { exampleApplication } from '../helpers/applications';
import { takenTogether } from '../helpers/crash-grouping';
import { eventually } from '../helpers/eventually';
import { testDataConverter } from '../helpers/keys';
import { World } from '../helpers/world';

/*
 * The divergence the 200-case crash test found (docs/history.md): a vendor order's result and
 * a receipt signalled after it, taken by a fresh worker in one workflow task after a kill -9,
 * whose commands then came in another order on replay. Here the two are made to come in two
 * tasks, the database sync between them held so that nothing else intervenes, and the history
 * is then regrouped the way the crash grouped it. Both must replay.
 */

let held: Uint8Array | undefined;
let syncHeld: Promise<void> | undefined;
let releaseSync = () => {};

let world: World;
beforeAll(async () => {
  world = await World.create('dev-server', {
    wrapActivities: (a) => ({
      ...a,
      async orderRequirement(input) {
        if (held !== undefined) return a.orderRequirement(input);
        held = Context.current().info.taskToken;
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

const COMMANDS = new Set(['ACTIVITY_TASK_SCHEDULED', 'TIMER_STARTED', 'TIMER_CANCELED', 'MARKER_RECORDED', 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES']);

type HistoryJson = { events: { eventId: string; eventType: string; [k: string]: unknown }[] };
const asJson = (h: unknown) => (h as { toJSON(): HistoryJson }).toJSON();
const replay = (history: HistoryJson, name: string) =>
  Worker.runReplayHistory(
    { workflowBundle: { code: fs.readFileSync(process.env.BGA_TEST_WORKFLOW_BUNDLE!, 'utf8') }, dataConverter: testDataConverter },
    temporal.api.history.v1.History.fromObject(history),
    name,
  );

test('an order result and a receipt signalled after it, taken in one workflow task as after a crash: the history replays', async () => {
  const app = exampleApplication('summit-wl-clean');
  const { caseId } = await submitApplication(world.client, world.taskQueue, app);
  const h = world.handle(caseId);
  const key = await eventually(async () => {
    expect(held).toBeDefined();
    const s = await world.state(caseId);
    expect(s.stage).toBe('REQUIREMENTS');
    expect((await h.fetchHistory()).events?.at(-1)?.workflowTaskCompletedEventAttributes).toBeDefined();
    return s.requirements.find((r) => r.status === 'OUTSTANDING' && r.vendorCode)!.key;
  }, 60_000);

  syncHeld = new Promise((resolve) => {
    releaseSync = resolve;
  });
  await world.client.activity.complete(held!, { providerOrderNumber: 'HELD-1', channel: 'email' });
  // The task that takes the order's result has scheduled the database sync, which waits.
  await eventually(async () => {
    const events = asJson(await h.fetchHistory()).events;
    const result = events.findIndex((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED' && events.some((s) => s.eventId === (e.activityTaskCompletedEventAttributes as { scheduledEventId: string }).scheduledEventId && JSON.stringify(s).includes('orderRequirement')));
    expect(result).toBeGreaterThan(0);
    expect(events.slice(result).some((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED')).toBe(true);
    expect(events.at(-1)?.eventType).not.toBe('EVENT_TYPE_WORKFLOW_TASK_SCHEDULED');
  }, 60_000);
  await h.signal(msg.actionSignals['receive-requirement'], { requestId: 'grouping-receipt', input: { actor: 'cm:jordan', key } });
  await eventually(async () => {
    const events = asJson(await h.fetchHistory()).events;
    const signalled = events.findIndex((e) => e.workflowExecutionSignaledEventAttributes);
    expect(events.slice(signalled).some((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED')).toBe(true);
  }, 60_000);
  releaseSync();
  await eventually(async () => expect((await world.state(caseId)).requests?.find((r) => r.id === 'grouping-receipt')?.recorded).toBe(true), 60_000);

  const history = asJson(await h.fetchHistory());
  await replay(history, caseId);
  const signal = history.events.find((e) => e.workflowExecutionSignaledEventAttributes)!;
  const { history: regrouped, droppedTimers } = takenTogether(history, signal.eventId);
  // The order's result alone did not restart the shell's timer: no timer of the first task was cancelled by the second.
  expect(droppedTimers).toEqual([]);
  // The shape the crash left: the signal inside the order result's task, one task answering both.
  const at = regrouped.events.findIndex((e) => e.workflowExecutionSignaledEventAttributes);
  const names = regrouped.events.map((e) => e.eventType.replace('EVENT_TYPE_', ''));
  expect(names.slice(at - 2, at + 3)).toEqual(['ACTIVITY_TASK_COMPLETED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED']);
  // That task's commands: the order's follow-up alarm and the lane's sync of the result. The
  // receipt adds none of its own (the shell keeps its timer, and its changes wait for the lane's
  // next sync), so the replay must place the signal's work without a command to anchor it.
  const commands = names.slice(at + 3, names.findIndex((n, i) => i >= at + 3 && !COMMANDS.has(n)));
  expect(commands).toEqual(['TIMER_STARTED', 'ACTIVITY_TASK_SCHEDULED']);
  await replay(regrouped, `${caseId} regrouped`);
  await h.terminate('test over');
}, 180_000);
