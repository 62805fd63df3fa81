import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { projectRoot } from '../../platform/paths';
import type { Worker } from '@temporalio/worker';
import type { Mailer } from '../../platform/mailer';
import { type SubmittedCase, submitApplication } from '../../client/cases';
import type { CaseState } from '../../domain/case';
import { caseStateQuery } from '../../workflows/messages';
import { redateExample } from './applications';
import { nextStart, parseStartSpec, rulesHolidays, utcDay, yearsAhead } from './calendar';
import { createTestDatabase, type TestDatabase } from './database';
import { type SmtpCapture, startSmtpCapture } from './smtp';
import { TEST_KEY_RING } from './keys';
import { createTestWorker, devServerEnv, timeSkippingEnv } from './temporal';
import { type DocumentStore, LocalDocumentStore } from '../../platform/document-store';

/**
 * Everything one test file runs against: a Temporal server (time-skipping or the dev server),
 * its own database, a capturing SMTP server and a worker with the real activities.
 */
export class World {
  readonly taskQueue = `bga-test-${Math.random().toString(36).slice(2, 8)}`;
  private workerRun?: Promise<void>;
  private readonly cases = new Set<string>();
  /** Where the time-skipping clock was last moved to the configured start; undefined on the dev server. */
  private startedAt?: number;

  private constructor(
    readonly env: TestWorkflowEnvironment,
    readonly database: TestDatabase,
    readonly smtp: SmtpCapture,
    public worker: Worker,
    private mailer: Mailer,
    /** This world's document store: encrypted files in `documents/` under dataDir. */
    readonly documents: LocalDocumentStore,
    /** What BGA_DATA_DIR is for a CLI run against this world, so `bga document add` finds the same store. */
    readonly dataDir: string,
  ) {}

  /** `wrapActivities` lets a test hold or observe an activity; the real one still does the work. */
  static async create(
    kind: 'time-skipping' | 'dev-server',
    opts: { wrapActivities?: Parameters<typeof createTestWorker>[1]['wrapActivities']; wrapDocuments?: (store: DocumentStore) => DocumentStore } = {},
  ): Promise<World> {
    const env = kind === 'time-skipping' ? await timeSkippingEnv() : await devServerEnv();
    const database = await createTestDatabase();
    const smtp = await startSmtpCapture();
    const taskQueue = `bga-test-${Math.random().toString(36).slice(2, 8)}`;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bga-data-'));
    const documents = new LocalDocumentStore(path.join(dataDir, 'documents'), TEST_KEY_RING);
    const { worker, mailer } = await createTestWorker(env, {
      db: database.db,
      smtpUrl: smtp.url,
      taskQueue,
      documents: opts.wrapDocuments?.(documents) ?? documents,
      ...(opts.wrapActivities ? { wrapActivities: opts.wrapActivities } : {}),
    });
    const world = new World(env, database, smtp, worker, mailer, documents, dataDir);
    Object.assign(world, { taskQueue });
    world.workerRun = worker.run();
    if (kind === 'time-skipping') await world.toStart();
    return world;
  }

  /**
   * Moves the time-skipping clock forward to the next start BGA_TEST_START names (by default
   * the next Monday, 10:00 UTC), so that what a test expects of business days holds whatever
   * day it runs on. The run's first start is the one global setup resolved, so every file
   * starts at the same moment and a failure names it.
   */
  private async toStart(): Promise<void> {
    const now = await this.env.currentTimeMs();
    const planned = Number(process.env.BGA_TEST_START_AT);
    const at = this.startedAt === undefined && planned >= now ? planned : nextStart(now, parseStartSpec(process.env.BGA_TEST_START), rulesHolidays());
    await this.env.sleep(at - now);
    this.startedAt = at;
  }

  /** The date on the Temporal server's clock. */
  async today(): Promise<string> {
    return utcDay(await this.env.currentTimeMs());
  }

  get db() {
    return this.database.db;
  }

  get client() {
    return this.env.client;
  }

  /**
   * On the time-skipping server a case starts at the configured start: once time has been
   * skipped past it, the clock moves on to the next one first. A shipped example's dates move
   * with the clock.
   */
  async submit(app: unknown): Promise<SubmittedCase> {
    if (this.startedAt !== undefined && (await this.env.currentTimeMs()) > this.startedAt + 60_000) await this.toStart();
    const today = await this.today();
    const submitted = await submitApplication(this.client, this.taskQueue, redateExample(app, today), { today });
    this.cases.add(submitted.caseId);
    return submitted;
  }

  /**
   * Skips time on the test server once every case is idle. The Java test server wedges a run
   * when a timer it fires while skipping is cancelled by a workflow task already under way
   * (temporalio/sdk-java#2606, #3088); on a loaded machine the task that follows an update is
   * that window. Waiting for the task to finish first closes it.
   */
  async skip(duration: string | number): Promise<void> {
    await this.settle();
    await this.env.sleep(duration);
  }

  /**
   * Waits, in real time, until no case has a workflow task or an activity under way. Workflows
   * signal one another (a case joins its contracting request, which releases the case), so one
   * that was idle when passed may be busy again once a later one has run: the pass repeats until
   * it finds every one idle.
   */
  async settle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let waited = true; waited; ) {
      waited = false;
      for (const caseId of this.cases) {
        while (await this.busy(caseId)) {
          waited = true;
          if (Date.now() > deadline) throw new Error(`case ${caseId} is still busy after ${timeoutMs} ms: look at its history in the test server`);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }
  }

  private async busy(caseId: string): Promise<boolean> {
    const handle = this.handle(caseId);
    const description = await handle.describe().catch((err: unknown) => {
      // A tracked workflow its case has not started yet is not busy; the case is.
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    });
    if (!description) return false;
    if (description.status.name !== 'RUNNING') return false;
    if ((description.raw.pendingActivities ?? []).length > 0) return true;
    const events = (await handle.fetchHistory()).events ?? [];
    const last = events.at(-1);
    return Boolean(
      last?.workflowTaskScheduledEventAttributes ||
        last?.workflowTaskStartedEventAttributes ||
        last?.startChildWorkflowExecutionInitiatedEventAttributes ||
        last?.signalExternalWorkflowExecutionInitiatedEventAttributes,
    );
  }

  handle(caseId: string) {
    return this.client.workflow.getHandle(caseId);
  }

  /** Another workflow (a contracting request) that skipping time waits for, as for the cases. */
  track(workflowId: string): void {
    this.cases.add(workflowId);
  }

  state(caseId: string): Promise<CaseState> {
    return this.handle(caseId).query(caseStateQuery);
  }

  /** A broker who may sell the carrier's business in the state: licence and appointment on file (again, for a second case). */
  async licensedBroker(npn: string, state: string, carrierCode: string, opts: { appointed?: boolean } = {}): Promise<void> {
    const broker = await this.db.broker.upsert({
      where: { npn },
      create: { npn, name: 'Seeded Broker', email: `broker-${npn}@example.com` },
      update: {},
    });
    const license = { licenseNumber: `LIC-${npn}`, expiresOn: new Date(`${yearsAhead(4)}-12-31T00:00:00Z`) };
    await this.db.brokerLicense.upsert({ where: { brokerId_state: { brokerId: broker.id, state } }, create: { brokerId: broker.id, state, ...license }, update: license });
    if (opts.appointed !== false) {
      const appointment = { appointedOn: new Date('2024-01-02T00:00:00Z'), recordedBy: 'test seed' };
      await this.db.brokerAppointment.upsert({
        where: { brokerId_carrierCode: { brokerId: broker.id, carrierCode } },
        create: { brokerId: broker.id, carrierCode, ...appointment },
        update: appointment,
      });
    }
  }

  /**
   * With BGA_RECORD_HISTORIES=1, saves the case's event history as a replay fixture, so that
   * test/replay keeps checking future workflow code against it.
   */
  async recordHistory(caseId: string, name: string): Promise<void> {
    if (process.env.BGA_RECORD_HISTORIES !== '1') return;
    const history = await this.handle(caseId).fetchHistory();
    fs.writeFileSync(path.join(projectRoot, 'test', 'fixtures', 'histories', `${name}.json`), JSON.stringify((history as { toJSON(): unknown }).toJSON()));
  }

  /** A worker restart: this one stops, and a new one with the plain activities and store takes the queue. */
  async restartWorker(): Promise<void> {
    this.worker.shutdown();
    await this.workerRun;
    this.mailer.close();
    const { worker, mailer } = await createTestWorker(this.env, { db: this.db, smtpUrl: this.smtp.url, taskQueue: this.taskQueue, documents: this.documents });
    this.worker = worker;
    this.mailer = mailer;
    this.workerRun = worker.run();
  }

  async close(): Promise<void> {
    this.worker.shutdown();
    await this.workerRun;
    this.mailer.close();
    await this.smtp.stop();
    await this.database.drop();
    await this.env.teardown();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
