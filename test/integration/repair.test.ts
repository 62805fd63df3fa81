import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { startCaseDoctor } from '../../client/case-doctor';
import { findStuck, NotRepairableError, type Repair, repairCase } from '../../client/repair';
import { eventually } from '../helpers/eventually';
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
  expect(await findStuck(env.client, workflowId, replayer)).toBeUndefined();
  await expect(repairCase(env.client, workflowId, 'test', replayer)).rejects.toBeInstanceOf(NotRepairableError);

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
    const old = await env.client.workflow.getHandle(workflowId, stuck.runId).describe();
    expect(old.status.name).toBe('TERMINATED');
    const events = (await latest.fetchHistory()).events ?? [];
    // From the rewind point on, the new run follows v2: the pause is there.
    expect(events.some((e) => e.timerStartedEventAttributes)).toBe(true);
    // The signal sent before the repair was reapplied to the new run.
    expect(events.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'nudge')).toBe(true);
  });
});

test('the case doctor finds and repairs a stuck case on its own, and stops promptly', async () => {
  const [v1, v2] = await Promise.all([bundle('v1'), bundle('v2')]);
  const taskQueue = `doctor-${Date.now()}`;
  const workflowId = `doctor-demo-${Date.now()}`;
  const first = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: v1, activities });
  const h = await first.runUntil(async () => {
    const handle = await env.client.workflow.start('repairDemo', { taskQueue, workflowId });
    await eventually(async () => expect(((await handle.fetchHistory()).events ?? []).filter((e) => e.activityTaskCompletedEventAttributes).length).toBe(2));
    return handle;
  });

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
