import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { replayCheck, replayCheckQuery } from '../../client/replay-check';
import { eventually } from '../helpers/eventually';
import { devServerEnv } from '../helpers/temporal';
import { finish } from '../fixtures/replay-check/v1';

/* The replay check behind `npm run deploy` and `bga check-replay`, on a workflow changed without patched(). */

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await devServerEnv();
});
afterAll(async () => env?.teardown());

const activities = { step: async (name: string) => name };
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };
const bundle = (version: string) => bundleWorkflowCode({ workflowsPath: path.join(__dirname, '..', 'fixtures', 'replay-check', `${version}.ts`), logger: quiet });

test('cases started on v1 replay against v1 and not against v2, running ones by default and closed ones when asked', async () => {
  const [v1, v2] = await Promise.all([bundle('v1'), bundle('v2')]);
  const taskQueue = `replay-check-${Date.now()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: v1, activities });
  const [waiting, closed] = await worker.runUntil(async () => {
    const start = (id: string) => env.client.workflow.start('replayDemo', { taskQueue, workflowId: `${id}-${Date.now()}` });
    const [a, b] = await Promise.all([start('waiting'), start('closed')]);
    // Both ran their two steps; one is then finished, the other stays open, idle.
    for (const h of [a, b]) {
      await eventually(async () => expect(((await h.fetchHistory()).events ?? []).filter((e) => e.activityTaskCompletedEventAttributes)).toHaveLength(2));
    }
    await b.signal(finish);
    expect(await b.result()).toEqual(['a', 'c']);
    return [a, b];
  });
  // Visibility lists a workflow's new status a moment after it changes.
  const listed = async (query: string, n: number) => eventually(async () => expect(await env.client.workflow.count(query)).toMatchObject({ count: n }));
  await listed(replayCheckQuery(taskQueue), 1);
  await listed(replayCheckQuery(taskQueue, { includeClosed: true }), 2);

  expect(await replayCheck(env.client, { workflowBundle: v1 }, { query: replayCheckQuery(taskQueue, { includeClosed: true }) })).toEqual({ checked: 2, failures: [] });

  const progress: string[] = [];
  const running = await replayCheck(env.client, { workflowBundle: v2 }, { query: replayCheckQuery(taskQueue) }, (done, total) => progress.push(`${done}/${total}`));
  expect(running.checked).toBe(1);
  expect(running.failures).toEqual([{ caseId: waiting.workflowId, runId: expect.any(String), workflowType: 'replayDemo', status: 'RUNNING', failure: expect.stringMatching(/Nondeterminism|TMPRL1100/) }]);
  expect(running.failures[0]!.runId).toBe((await waiting.describe()).runId);
  expect(progress).toEqual(['1/1']);

  const all = await replayCheck(env.client, { workflowBundle: v2 }, { query: replayCheckQuery(taskQueue, { includeClosed: true }) });
  expect(all.failures.map((f) => [f.caseId, f.status]).sort()).toEqual(
    [
      [closed.workflowId, 'COMPLETED'],
      [waiting.workflowId, 'RUNNING'],
    ].sort(),
  );
  // Named cases are checked whatever their state.
  expect((await replayCheck(env.client, { workflowBundle: v2 }, { caseIds: [closed.workflowId] })).failures.map((f) => f.caseId)).toEqual([closed.workflowId]);
  await waiting.terminate('test over');
});
