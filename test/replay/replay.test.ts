import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { projectRoot } from '../../platform/paths';
import { testDataConverter } from '../helpers/keys';

/*
 * Recorded histories of every scenario, replayed against the current workflow code. A change
 * that would make running cases non-deterministic fails here; guard it with patched().
 * Re-record after an intended, patched change: BGA_RECORD_HISTORIES=1 npx jest test/workflow
 * test/integration/order-race test/integration/reset-submission. Histories named v1-updates-*
 * were recorded before actions were signals, v2-handler-* while signal handlers took the
 * requests, v3-inbox-* while the shell woke on the lane's activity results, v4-alarms-*
 * before cases started contracting at intake, v5-contracting-* while an action's workflow task
 * still restarted the shell's timer and upserted search attributes before its sync, and v6-lean-*
 * while effects ran one at a time in a lane; they are never
 * re-recorded: they prove that cases opened then still replay. contracting-* are contracting requests, the workflow beside the cases,
 * and watch-* runs of the daily expiry watch.
 */
const dir = path.join(projectRoot, 'test', 'fixtures', 'histories');
const fixtures = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
const contractingRuns = fixtures.filter((f) => f.startsWith('contracting-'));
const watchRuns = fixtures.filter((f) => f.startsWith('watch-'));
const caseRuns = fixtures.filter((f) => !contractingRuns.includes(f) && !watchRuns.includes(f));

const events = (file: string) => (JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { events: Record<string, unknown>[] }).events;
const count = (file: string, attributes: string) => events(file).filter((e) => attributes in e).length;

interface MarkerEvent {
  markerRecordedEventAttributes?: { markerName?: string; details?: { 'patch-data'?: { payloads?: { data?: string }[] } } };
}
const patchIds = (file: string) =>
  (events(file) as MarkerEvent[])
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .flatMap((e) => e.markerRecordedEventAttributes!.details?.['patch-data']?.payloads ?? [])
    .map((p) => (JSON.parse(Buffer.from(p.data ?? '', 'base64').toString('utf8')) as { id: string }).id);
const hasMarker = (file: string, patchId: string) => patchIds(file).includes(patchId);

test('there are recorded histories to replay, from every way actions have reached cases', () => {
  // Cases opened before actions were signals took them as Updates; they keep running on this code.
  const updatesEra = caseRuns.filter((f) => f.startsWith('v1-updates-'));
  const signalsEra = caseRuns.filter((f) => !f.startsWith('v1-updates-'));
  // Then signals, taken by the handler (v2-handler-*), then by the shell's loop (v3-inbox-*), and
  // now with follow-up alarms started by the lane.
  const handlerEra = caseRuns.filter((f) => f.startsWith('v2-handler-'));
  const inboxEra = caseRuns.filter((f) => f.startsWith('v3-inbox-'));
  const alarmEra = signalsEra.filter((f) => !handlerEra.includes(f) && !inboxEra.includes(f));
  // Then contracting started at intake: every case since asks, so every one carries the marker.
  const beforeContracting = caseRuns.filter((f) => f.startsWith('v4-alarms-'));
  const contractingEra = alarmEra.filter((f) => !beforeContracting.includes(f));
  expect(updatesEra.length).toBeGreaterThanOrEqual(7);
  expect(handlerEra.length).toBeGreaterThanOrEqual(7);
  expect(inboxEra.length).toBeGreaterThanOrEqual(7);
  expect(alarmEra.length).toBeGreaterThanOrEqual(7);
  expect(updatesEra.filter((f) => count(f, 'workflowExecutionUpdateAcceptedEventAttributes') > 0).length).toBeGreaterThanOrEqual(7);
  for (const f of signalsEra) expect([f, count(f, 'workflowExecutionUpdateAcceptedEventAttributes')]).toEqual([f, 0]);
  expect(signalsEra.filter((f) => count(f, 'workflowExecutionSignaledEventAttributes') > 0).length).toBeGreaterThanOrEqual(14);
  for (const f of handlerEra) expect([f, hasMarker(f, 'requests-taken-by-the-shell')]).toEqual([f, false]);
  for (const f of [...inboxEra, ...alarmEra]) expect([f, hasMarker(f, 'requests-taken-by-the-shell')]).toEqual([f, true]);
  for (const f of inboxEra) expect([f, hasMarker(f, 'follow-ups-timed-by-the-lane')]).toEqual([f, false]);
  // The shell asks for the alarms at the start of every run, so every case since carries the marker.
  for (const f of alarmEra) expect([f, hasMarker(f, 'follow-ups-timed-by-the-lane')]).toEqual([f, true]);
  expect(beforeContracting.length).toBeGreaterThanOrEqual(7);
  expect(contractingEra.length).toBeGreaterThanOrEqual(7);
  for (const f of beforeContracting) expect([f, hasMarker(f, 'contracting-at-intake')]).toEqual([f, false]);
  for (const f of contractingEra) expect([f, hasMarker(f, 'contracting-at-intake')]).toEqual([f, true]);
  // Then lean action tasks, asked for at the start of every run.
  const beforeLean = caseRuns.filter((f) => f.startsWith('v5-contracting-'));
  const leanEra = contractingEra.filter((f) => !beforeLean.includes(f));
  expect(beforeLean.length).toBeGreaterThanOrEqual(7);
  expect(leanEra.length).toBeGreaterThanOrEqual(7);
  for (const f of beforeLean) expect([f, hasMarker(f, 'lean-action-task')]).toEqual([f, false]);
  for (const f of leanEra) expect([f, hasMarker(f, 'lean-action-task')]).toEqual([f, true]);
  // Then concurrent effects, asked for at the start of every run.
  const beforeConcurrent = caseRuns.filter((f) => f.startsWith('v6-lean-'));
  const concurrentEra = leanEra.filter((f) => !beforeConcurrent.includes(f));
  expect(beforeConcurrent.length).toBeGreaterThanOrEqual(7);
  expect(concurrentEra.length).toBeGreaterThanOrEqual(7);
  for (const f of beforeConcurrent) expect([f, hasMarker(f, 'concurrent-effects')]).toEqual([f, false]);
  for (const f of concurrentEra) expect([f, hasMarker(f, 'concurrent-effects')]).toEqual([f, true]);
  // A contracting request with its signals, licence check, carrier request and release.
  expect(contractingRuns.length).toBeGreaterThanOrEqual(1);
  for (const f of contractingRuns) expect([f, count(f, 'workflowExecutionSignaledEventAttributes') > 0]).toEqual([f, true]);
});

test.each(fixtures)('%s replays against the current workflow code', async (file) => {
  // fromObject, not the SDK's JSON loader: jest's module sandbox breaks protobufjs's reflection.
  const history = temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
  const workflowBundle = { code: fs.readFileSync(process.env.BGA_TEST_WORKFLOW_BUNDLE!, 'utf8') };
  await Worker.runReplayHistory({ workflowBundle, dataConverter: testDataConverter }, history, file);
});
