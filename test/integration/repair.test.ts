import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, ReplayError, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { startCaseDoctor } from '../../client/case-doctor';
import { temporal } from '@temporalio/proto';
import { findStuck, misorderedUpdate, NotRepairableError, type Repair, repairCase } from '../../client/repair';
import { eventually } from '../helpers/eventually';
import { testDataConverter } from '../helpers/keys';
import { devServerEnv } from '../helpers/temporal';
import { finish, nudge } from '../fixtures/repair/v1';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await devServerEnv();
});
afterAll(async () => env?.teardown());

const activities = { step: async (name: string) => name };
const bundle = (version: string) => bundleWorkflowCode({ workflowsPath: path.join(__dirname, '..', 'fixtures', 'repair', `${version}.ts`), logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } });

test('a case stuck on a nondeterministic change is rewound to the diverging task and carries on, with later messages reapplied', async () => {
  const [v1, v2] = await Promise.all([bundle('v1'), bundle('v2')]);
  const taskQueue = `repair-${Date.now()}`;
  const workflowId = `repair-demo-${Date.now()}`;

  const first = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: v1, activities });
  const h = await first.runUntil(async () => {
    const handle = await env.client.workflow.start('repairDemo', { taskQueue, workflowId });
    await eventually(async () => {
      const events = (await handle.fetchHistory()).events ?? [];
      expect(events.filter((e) => e.activityTaskCompletedEventAttributes).length).toBe(2);
      expect(events.at(-1)?.workflowTaskCompletedEventAttributes).toBeTruthy();
    });
    return handle;
  });
  // Stuck or not is judged against the code now deployed: v2.
  const replayer = { workflowBundle: v2 };
  // Idle, the case fails nothing yet: a sweep passes it over, but asked about by name it is replayed and found.
  expect(await findStuck(env.client, workflowId, replayer)).toBeUndefined();
  expect(await findStuck(env.client, workflowId, replayer, { requireFailingTask: false })).toMatchObject({ caseId: workflowId, divergedAtEventId: expect.any(Number) });

  // v2 is deployed without a patch: the next task replays v1's history and fails.
  const second = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: v2, activities });
  await second.runUntil(async () => {
    await h.signal(nudge);
    const stuck = await eventually(async () => {
      const s = await findStuck(env.client, workflowId, replayer);
      expect(s).toBeDefined();
      return s!;
    }, 60_000);
    expect(stuck.failure).toMatch(/Nondeterminism/);

    const repair = await repairCase(env.client, workflowId, 'test: v2 deployed without patched()', replayer);
    expect(repair.newRunId).not.toBe(stuck.runId);
    // The run started here was terminated by the reset; the case goes on in the newest run.
    const latest = env.client.workflow.getHandle(workflowId);
    await latest.executeUpdate(finish);
    expect(await latest.result()).toEqual(['a', 'c']);
    // Repaired, it replays: nothing more to do.
    await expect(repairCase(env.client, workflowId, 'test', replayer)).rejects.toBeInstanceOf(NotRepairableError);
    const old = await env.client.workflow.getHandle(workflowId, stuck.runId).describe();
    expect(old.status.name).toBe('TERMINATED');
    const events = (await latest.fetchHistory()).events ?? [];
    // From the rewind point on, the new run follows v2: the pause is there.
    expect(events.some((e) => e.timerStartedEventAttributes)).toBe(true);
    // The signal sent before the repair was reapplied to the new run.
    expect(events.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'nudge')).toBe(true);
  });
});

/** A case started on v1 that ran both its steps and now waits, idle, for its finish update. */
async function idleCaseOnV1(v1: Awaited<ReturnType<typeof bundle>>, prefix: string) {
  const taskQueue = `${prefix}-${Date.now()}`;
  const workflowId = `${prefix}-demo-${Date.now()}`;
  const first = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: v1, activities });
  const handle = await first.runUntil(async () => {
    const started = await env.client.workflow.start('repairDemo', { taskQueue, workflowId });
    await eventually(async () => expect(((await started.fetchHistory()).events ?? []).filter((e) => e.activityTaskCompletedEventAttributes).length).toBe(2));
    return started;
  });
  return { taskQueue, workflowId, handle };
}

test('the case doctor finds and repairs a stuck case on its own, and stops promptly', async () => {
  const [v1, v2] = await Promise.all([bundle('v1'), bundle('v2')]);
  const { taskQueue, workflowId, handle: h } = await idleCaseOnV1(v1, 'doctor');
  const second = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: v2, activities });
  await second.runUntil(async () => {
    const repaired: Repair[] = [];
    const doctor = startCaseDoctor({ client: env.client, replayer: { workflowBundle: v2 }, taskQueue, everyMs: 1_000, reason: 'test doctor', onRepair: (r) => repaired.push(r) });
    await h.signal(nudge);
    await eventually(async () => expect(repaired.map((r) => r.caseId)).toEqual([workflowId]), 90_000, 500);
    expect((await doctor.stop()).map((r) => r.caseId)).toEqual([workflowId]);
    // Stopping does not wait out the interval: with an hour's interval, stop() still returns.
    const idle = startCaseDoctor({ client: env.client, replayer: { workflowBundle: v2 }, taskQueue, everyMs: 3_600_000, reason: 'idle' });
    expect(await idle.stop()).toEqual([]);
    const latest = env.client.workflow.getHandle(workflowId);
    await latest.executeUpdate(finish);
    expect(await latest.result()).toEqual(['a', 'c']);
  });
});

test('the case doctor also repairs an idle case a reader reported unreadable, with no task failing', async () => {
  const [v1, v2] = await Promise.all([bundle('v1'), bundle('v2')]);
  const { taskQueue, workflowId } = await idleCaseOnV1(v1, 'suspect');
  const second = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: v2, activities });
  await second.runUntil(async () => {
    const repaired: Repair[] = [];
    const suspects = new Set([workflowId]);
    const doctor = startCaseDoctor({ client: env.client, replayer: { workflowBundle: v2 }, taskQueue, everyMs: 1_000, reason: 'test doctor', suspects, onRepair: (r) => repaired.push(r) });
    await eventually(async () => expect(repaired.map((r) => r.caseId)).toEqual([workflowId]), 90_000, 500);
    await doctor.stop();
    expect(suspects.size).toBe(0);
    const latest = env.client.workflow.getHandle(workflowId);
    await latest.executeUpdate(finish);
    expect(await latest.result()).toEqual(['a', 'c']);
  });
});

test('the history shows where an update acceptance was recorded after commands of its own workflow task', () => {
  const T = temporal.api.enums.v1.EventType;
  const event = (eventId: number, eventType: number) => temporal.api.history.v1.HistoryEvent.fromObject({ eventId, eventType });
  const history = (...types: number[]) => types.map((type, i) => event(i + 1, type));
  // In order: the acceptance first, then the commands, then the update's completion later.
  const inOrder = history(
    T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
    T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
    T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
    T.EVENT_TYPE_ACTIVITY_TASK_STARTED,
    T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
    T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
    T.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
    T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
    T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
    T.EVENT_TYPE_TIMER_STARTED,
  );
  expect(misorderedUpdate(inOrder)).toBeUndefined();
  // As the SDK bug records it (seen in a crash run): a command (event 9) ahead of the acceptance.
  const misordered = [
    ...inOrder.slice(0, 8),
    event(9, T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    event(10, T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
  ];
  expect(misorderedUpdate(misordered)).toBe(9);
  // An acceptance in a later task, after an activity ran, is not misordered.
  const later = history(
    T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
    T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
    T.EVENT_TYPE_ACTIVITY_TASK_STARTED,
    T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
    T.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
    T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  );
  expect(misorderedUpdate(later)).toBeUndefined();
});

test('a case from a crash run whose update handler fails on replay is found, with the diverging event, from its history', async () => {
  // Recorded in a 200-case crash run: the "approved" decision was accepted (event 160) after the
  // syncCase the same workflow task scheduled (159). Replayed, the decision meets the case before
  // the submission's result, still in REQUIREMENTS, and its handler refuses it: the update then
  // fails where the history has it completed, which the replay reports as nondeterminism.
  const file = path.join(__dirname, '..', 'fixtures', 'repair', 'misordered-update.json');
  const history = temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(file, 'utf8')));
  expect(misorderedUpdate(history.events)).toBe(159);
  const workflowBundle = { code: fs.readFileSync(process.env.BGA_TEST_WORKFLOW_BUNDLE!, 'utf8') };
  const failure = await Worker.runReplayHistory({ workflowBundle, dataConverter: testDataConverter }, history, 'misordered').then(() => undefined, (e: unknown) => e);
  expect(failure instanceof ReplayError || failure instanceof DeterminismViolationError).toBe(true);
});
