import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { submitApplication } from '../../client/cases';
import { createDb, type Db } from '../../platform/db';
import { projectRoot } from '../../platform/paths';
import { freePort } from '../../platform/ports';
import { allSearchAttributeKeys } from '../../workflows/search-attributes';
import { exampleApplication } from '../helpers/applications';
import { yearsAhead } from '../helpers/calendar';
import { createTestDatabase } from '../helpers/database';
import { eventually } from '../helpers/eventually';
import { testDataConverter } from '../helpers/keys';
import { type SmtpCapture, startSmtpCapture } from '../helpers/smtp';
import { devServerEnv } from '../helpers/temporal';
import { driverCalls, driveToPlacement, expectClean, lostActions, pool, report, type ScenarioCase, type Tally, tally, WorkerProcess } from './harness';

const CASES = 10;

async function seedBroker(db: Db): Promise<void> {
  const b = exampleApplication('summit-wl-clean').broker;
  const broker = await db.broker.create({ data: { npn: b.npn, name: b.name, email: b.email } });
  await db.brokerLicense.create({ data: { brokerId: broker.id, state: 'GA', licenseNumber: 'GA-1', expiresOn: new Date(`${yearsAhead(4)}-01-01`) } });
  await db.brokerAppointment.create({ data: { brokerId: broker.id, carrierCode: 'SUMMIT', appointedOn: new Date('2024-01-01'), recordedBy: 'seed' } });
}

function workerFor(address: string, taskQueue: string, databaseUrl: string, smtpUrl: string): WorkerProcess {
  return new WorkerProcess({
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATABASE_URL: databaseUrl,
    SMTP_URL: smtpUrl,
    WORKFLOW_BUNDLE_PATH: process.env.BGA_TEST_WORKFLOW_BUNDLE!,
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function submitCases(client: Client, taskQueue: string): Promise<ScenarioCase[]> {
  const cases: ScenarioCase[] = [];
  for (let i = 0; i < CASES; i++) {
    const app = exampleApplication('summit-wl-clean');
    cases.push({ caseId: (await submitApplication(client, taskQueue, app)).caseId, applicationNumber: app.applicationNumber });
  }
  return cases;
}

/** Activity attempts after the first, over the cases' histories: retries the outage caused. */
async function activityRetries(client: Client, cases: ScenarioCase[]): Promise<number> {
  let retries = 0;
  for (const { caseId } of cases) {
    for (const e of (await client.workflow.getHandle(caseId).fetchHistory()).events ?? []) retries += Math.max(0, (e.activityTaskStartedEventAttributes?.attempt ?? 1) - 1);
  }
  return retries;
}

test('SMTP down for a while: emails are retried with backoff and each is delivered once', async () => {
  const env = await devServerEnv();
  const database = await createTestDatabase();
  const smtp = await startSmtpCapture();
  const port = smtp.port;
  const taskQueue = `smtp-outage-${Date.now()}`;
  const worker = workerFor(env.address, taskQueue, database.url, smtp.url);
  try {
    await seedBroker(database.db);
    await worker.start();
    await smtp.stop();
    const cases = await submitCases(env.client, taskQueue);
    await eventually(async () => expect(await database.db.emailMessage.count({ where: { status: 'FAILED' } })).toBeGreaterThan(0), 30_000);
    await pause(8_000);
    await smtp.start(port);
    // Done when every email the scenario calls for has arrived, not when the rows written so far
    // are sent: the exam instructions are written only after the orders go out.
    const last: { tally?: Tally } = {};
    await eventually(async () => {
      const t = await tally(env.client, database.db, cases, smtp.messages, 'ordered');
      last.tally = t;
      expect(t.emailsDelivered).toBe(t.emailsExpected);
      expect(t.emailsNotSent).toEqual([]);
      expect(await database.db.case.count({ where: { stage: 'REQUIREMENTS' } })).toBe(CASES);
    }, 120_000);
    const t = last.tally;
    if (!t) throw new Error('no tally was taken');
    const retried = await activityRetries(env.client, cases);
    report('smtp-outage', { ...t, outageSeconds: 8, activityRetries: retried });
    // The outage hit sends in flight: they failed and were retried.
    expect(retried).toBeGreaterThan(0);
    expectClean(t);
    expect(t.emailsUnconfirmed).toEqual([]);
  } finally {
    await worker.stop();
    await smtp.stop();
    await database.drop();
    await env.teardown();
  }
}, 300_000);

/** A PostgreSQL of its own, so stopping it cannot disturb other test files. */
async function postgresProcess(): Promise<{ url: string; stop(): Promise<void>; restart(): Promise<void>; close(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bga-pg-fault-'));
  fs.chmodSync(dir, 0o755);
  const child: ChildProcess = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), 'test/faults/postgres-process.ts', path.join(dir, 'pg'), String(await freePort())], {
    cwd: projectRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  const waitFor = (word: string, after: number) => eventually(async () => expect(out.slice(after)).toContain(word), 60_000, 100);
  await waitFor('ready ', 0);
  const url = /ready (\S+)/.exec(out)![1]!;
  return {
    url,
    async stop() {
      const at = out.length;
      child.stdin!.write('stop\n');
      await waitFor('stopped', at);
    },
    async restart() {
      const at = out.length;
      child.stdin!.write('start\n');
      await waitFor('ready ', at);
    },
    async close() {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin!.end();
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('PostgreSQL restarted mid-run: activities retry, nothing lost or doubled', async () => {
  const env = await devServerEnv();
  const pg = await postgresProcess();
  const db = createDb(pg.url, 3);
  const smtp = await startSmtpCapture();
  const taskQueue = `pg-restart-${Date.now()}`;
  const worker = workerFor(env.address, taskQueue, pg.url, smtp.url);
  try {
    await seedBroker(db);
    await worker.start();
    const cases = await submitCases(env.client, taskQueue);
    const driving = pool(cases, CASES, (c) => driveToPlacement(env.client, c.caseId));
    await pause(1_500);
    await pg.stop();
    await pause(5_000);
    await pg.restart();
    await driving;
    const t = await tally(env.client, db, cases, smtp.messages, 'placed');
    const retried = await activityRetries(env.client, cases);
    report('postgres-restart', { ...t, downSeconds: 5, activityRetries: retried, lostActions });
    // The restart hit activities in flight: they failed and were retried.
    expect(retried).toBeGreaterThan(0);
    expect(lostActions).toEqual([]);
    expectClean(t);
    expect(await db.case.count({ where: { outcome: 'PLACED' } })).toBe(CASES);
  } finally {
    await worker.stop();
    await db.$disconnect();
    await smtp.stop();
    await pg.close();
    await env.teardown();
  }
}, 300_000);

test('Temporal server restarted (persistent dev server): running cases carry on', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bga-temporal-fault-'));
  const port = await freePort();
  const serverOptions = {
    client: { dataConverter: testDataConverter },
    server: {
      executable: { type: 'existing-path' as const, path: process.env.TEMPORAL_CLI_PATH! },
      searchAttributes: allSearchAttributeKeys,
      dbFilename: path.join(dir, 'temporal.sqlite'),
      port,
    },
  };
  let env = await TestWorkflowEnvironment.createLocal(serverOptions);
  const database = await createTestDatabase();
  const smtp: SmtpCapture = await startSmtpCapture();
  const taskQueue = `temporal-restart-${Date.now()}`;
  const connections: Connection[] = [];
  const worker = workerFor(env.address, taskQueue, database.url, smtp.url);
  try {
    await seedBroker(database.db);
    await worker.start();
    // A client of the test's own, as an API process would hold one: its connection outlives the server's restart.
    const connection = await Connection.connect({ address: env.address });
    connections.push(connection);
    const client = new Client({ connection, dataConverter: testDataConverter });
    const cases = await submitCases(client, taskQueue);
    const driving = pool(cases, CASES, (c) => driveToPlacement(client, c.caseId));
    await eventually(async () => expect(await database.db.requirement.count({ where: { status: 'RECEIVED' } })).toBeGreaterThan(0), 60_000, 100);
    const placedBefore = await database.db.case.count({ where: { outcome: 'PLACED' } });
    const callsInFlight = driverCalls.inFlight;
    await env.teardown();
    await pause(2_000);
    env = await TestWorkflowEnvironment.createLocal(serverOptions);
    await driving;
    const t = await tally(client, database.db, cases, smtp.messages, 'placed');
    report('temporal-restart', { ...t, placedBeforeRestart: placedBefore, callsInFlight, lostActions });
    // The restart came mid-run: cases were under way, and the drivers' calls to the server with them.
    expect(placedBefore).toBeLessThan(CASES);
    expect(callsInFlight).toBeGreaterThan(0);
    expect(lostActions).toEqual([]);
    expectClean(t);
    expect(await database.db.case.count({ where: { outcome: 'PLACED' } })).toBe(CASES);
  } finally {
    await worker.stop();
    for (const c of connections) await c.close();
    await smtp.stop();
    await database.drop();
    await env.teardown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);
