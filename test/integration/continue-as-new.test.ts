import { TestWorkflowEnvironment } from '@temporalio/testing';
import { perform } from '../helpers/actions';
import { submitApplication } from '../../client/cases';
import { awaitRequest, sendAction } from '../../client/operations';
import * as msg from '../../workflows/messages';
import { allSearchAttributeKeys } from '../../workflows/search-attributes';
import { exampleApplication } from '../helpers/applications';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { eventually } from '../helpers/eventually';
import { testDataConverter } from '../helpers/keys';
import { type SmtpCapture, startSmtpCapture } from '../helpers/smtp';
import { createTestWorker } from '../helpers/temporal';

/*
 * A case lives for months; its history is handed to a new run when Temporal suggests it. The
 * server here suggests it after 150 events, so a busy case crosses over within seconds.
 */
let env: TestWorkflowEnvironment;
let database: TestDatabase;
let smtp: SmtpCapture;
let stopWorker: () => Promise<void>;
const taskQueue = `can-${Date.now()}`;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal({
    client: { dataConverter: testDataConverter },
    server: {
      executable: { type: 'existing-path', path: process.env.TEMPORAL_CLI_PATH! },
      searchAttributes: allSearchAttributeKeys,
      log: { format: 'pretty', level: 'error' },
      extraArgs: ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=150'],
    },
  });
  database = await createTestDatabase();
  smtp = await startSmtpCapture();
  const { worker, mailer } = await createTestWorker(env, { db: database.db, smtpUrl: smtp.url, taskQueue });
  const running = worker.run();
  stopWorker = async () => {
    worker.shutdown();
    await running;
    mailer.close();
  };
});

afterAll(async () => {
  await stopWorker?.();
  await smtp?.stop();
  await database?.drop();
  await env?.teardown();
});

test('a long-lived case continues as new with its state, records and emails intact', async () => {
  const app = exampleApplication('summit-wl-clean');
  const { caseId, runId } = await submitApplication(env.client, taskQueue, app);
  const h = env.client.workflow.getHandle(caseId);
  await eventually(async () => expect((await h.query(msg.caseStateQuery))?.stage).toBe('REQUIREMENTS'));
  for (let i = 1; i <= 40; i++) await perform(h, 'note', { actor: 'cm:jordan', text: `Call log ${i}` }, { requestId: `call-log-${i}` });

  const latest = await eventually(async () => {
    const d = await env.client.workflow.getHandle(caseId).describe();
    expect(d.runId).not.toBe(runId);
    return d;
  });
  expect(latest.status.name).toBe('RUNNING');
  const s = await h.query(msg.caseStateQuery);
  expect(s.stage).toBe('REQUIREMENTS');
  expect(s.requirements).toHaveLength(8);

  // The new run takes updates and keeps numbering events where the old one stopped.
  const after = await perform(h, 'note', { actor: 'cm:jordan', text: 'After the handover' });
  // The request IDs came across too: a retry of a note sent before the handover is not applied again.
  await perform(h, 'note', { actor: 'cm:jordan', text: 'Call log 40' }, { requestId: 'call-log-40' });
  const rows = await database.db.caseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } });
  expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
  expect(rows.at(-1)).toMatchObject({ seq: after.nextSeq - 1, type: 'REQUEST_APPLIED' });
  expect(rows.filter((r) => r.type === 'NOTE').at(-1)).toMatchObject({ description: 'After the handover' });
  expect(rows.filter((r) => r.type === 'NOTE')).toHaveLength(41);

  const keys = smtp.messages.map((m) => m.idempotencyKey).filter((k) => k.startsWith(caseId));
  expect(new Set(keys).size).toBe(keys.length);
  await perform(h, 'withdraw', { actor: 'cm:jordan', reason: 'test done' });
  expect((await h.result()).outcome).toBe('WITHDRAWN');
});

test('a burst of actions across continue-as-new: each taken once, none lost at the handover', async () => {
  const app = exampleApplication('summit-wl-clean');
  const { caseId, runId } = await submitApplication(env.client, taskQueue, app);
  const h = env.client.workflow.getHandle(caseId);
  await eventually(async () => expect((await h.query(msg.caseStateQuery))?.stage).toBe('REQUIREMENTS'));
  // All sent before any is answered, so some arrive while the run hands over to the next.
  const ids = Array.from({ length: 60 }, (_, i) => `burst-${i + 1}`);
  await Promise.all(ids.map((id, i) => sendAction(env.client, caseId, 'note', { actor: 'cm:jordan', text: `Burst ${i + 1}` }, id)));
  // Every request sent again, as a caller retrying after a lost answer would.
  await Promise.all(ids.map((id, i) => sendAction(env.client, caseId, 'note', { actor: 'cm:jordan', text: `Burst ${i + 1}` }, id)));
  const answers = await Promise.all(ids.map((id) => awaitRequest(env.client, caseId, id, 60_000)));
  expect(answers.every((s) => s.stage === 'REQUIREMENTS')).toBe(true);
  expect((await h.describe()).runId).not.toBe(runId);

  await eventually(async () => {
    const notes = await database.db.caseEvent.findMany({ where: { caseId, type: 'NOTE' }, select: { description: true } });
    expect(notes.map((n) => n.description).sort()).toEqual(ids.map((_, i) => `Burst ${i + 1}`).sort());
  });
  const s = await h.query(msg.caseStateQuery);
  expect(s.recentEvents.filter((e) => e.type === 'NOTE').length).toBeLessThanOrEqual(60);
  expect(ids.every((id) => s.requests?.some((r) => r.id === id && r.status === 'APPLIED'))).toBe(true);
  await perform(h, 'withdraw', { actor: 'cm:jordan', reason: 'test done' });
  expect((await h.result()).outcome).toBe('WITHDRAWN');
});
