import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { submitApplication } from '../../client/cases';
import { exampleApplication } from '../helpers/applications';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { type SmtpCapture, startSmtpCapture } from '../helpers/smtp';
import { devServerEnv } from '../helpers/temporal';
import { driveToPlacement, pool, report, tally, WorkerProcess } from './harness';

// 20 by default: 200 cases under real kills outran the harness's 5-minute waits on this 2-core machine.
const CASES = Number(process.env.BGA_FAULT_CASES ?? 20);

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let smtp: SmtpCapture;
let worker: WorkerProcess;
const taskQueue = `faults-${Date.now()}`;

beforeAll(async () => {
  env = await devServerEnv();
  database = await createTestDatabase();
  smtp = await startSmtpCapture();
  worker = new WorkerProcess({
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATABASE_URL: database.url,
    SMTP_URL: smtp.url,
    WORKFLOW_BUNDLE_PATH: process.env.BGA_TEST_WORKFLOW_BUNDLE!,
  });
  await worker.start();
});

afterAll(async () => {
  await worker?.stop();
  await smtp?.stop();
  await database?.drop();
  await env?.teardown();
});

test(`${CASES} cases survive repeated kill -9 of the worker: every case placed, no email twice, database agrees`, async () => {
  const template = exampleApplication('summit-wl-clean');
  const broker = await database.db.broker.create({ data: { npn: template.broker.npn, name: template.broker.name, email: template.broker.email } });
  await database.db.brokerLicense.create({ data: { brokerId: broker.id, state: 'GA', licenseNumber: 'GA-1', expiresOn: new Date('2030-01-01') } });
  await database.db.brokerAppointment.create({ data: { brokerId: broker.id, carrierCode: 'SUMMIT', appointedOn: new Date('2024-01-01'), recordedBy: 'seed' } });

  const caseIds: string[] = [];
  for (let i = 0; i < CASES; i++) caseIds.push((await submitApplication(env.client, taskQueue, exampleApplication('summit-wl-clean'))).caseId);

  // Kill the worker at random moments while the cases are driven, and bring it back each time.
  let driving = true;
  const chaos = (async () => {
    while (driving) {
      // A restart takes a few seconds; killing sooner would leave the worker no time to work.
      await new Promise((r) => setTimeout(r, 4000 + Math.random() * 4000));
      if (!driving) break;
      await worker.kill9();
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
      await worker.start();
    }
  })();
  await pool(caseIds, 25, (id) => driveToPlacement(env.client, id));
  driving = false;
  await chaos;

  const t = await tally(env.client, database.db, caseIds, smtp.messages);
  const outcomes = await Promise.all(caseIds.map(async (id) => (await env.client.workflow.getHandle(id).result()).outcome));
  report('worker-crash', { ...t, mismatches: t.mismatches.length, kills: worker.kills, placed: outcomes.filter((o) => o === 'PLACED').length });
  expect(worker.kills).toBeGreaterThanOrEqual(3);
  expect(outcomes.every((o) => o === 'PLACED')).toBe(true);
  expect(t.mismatches).toEqual([]);
  // A kill between the SMTP server's acceptance and the activity's heartbeat resends the email
  // (the known window, see README): such a copy must carry the same Message-ID so mail systems drop it.
  const ids = new Map<string, Set<string>>();
  for (const m of smtp.messages) ids.set(m.idempotencyKey, (ids.get(m.idempotencyKey) ?? new Set()).add(m.messageId));
  expect([...ids.values()].filter((set) => set.size > 1)).toEqual([]);
  expect(t.emailsNotSent).toBe(0);
  expect(t.emailsDelivered).toBe(t.emailsExpected);
}, 1_200_000);
