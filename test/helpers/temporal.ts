import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import fs from 'node:fs';
import { createActivities } from '../../activities';

type Activities = ReturnType<typeof createActivities>;
import { createMailer, type Mailer } from '../../platform/mailer';
import type { Db } from '../../platform/db';
import type { DocumentStore } from '../../platform/document-store';
import { ensureSearchAttributes } from '../../platform/search-attributes';
import { allSearchAttributeKeys } from '../../workflows/search-attributes';
import { testDataConverter } from './keys';

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

/**
 * The SDK gives the test server 5 s to answer, a fixed figure; a JVM starting on a busy
 * 2-core machine can take longer. Such a start is tried again; any other failure is not.
 */
async function startTimeSkipping(path: string | undefined, attemptsLeft = 3): Promise<TestWorkflowEnvironment> {
  try {
    return await TestWorkflowEnvironment.createTimeSkipping({
      client: { dataConverter: testDataConverter },
      ...(path ? { server: { executable: { type: 'existing-path', path } } } : {}),
    });
  } catch (err) {
    if (attemptsLeft <= 1 || !/did not start within/.test(String(err))) throw err;
    return startTimeSkipping(path, attemptsLeft - 1);
  }
}

/** The Java test server: timers fire as soon as the workflow is only waiting on them. */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const env = await startTimeSkipping(process.env.TEMPORAL_TEST_SERVER_PATH);
  // The Java test server implements AddSearchAttributes but not ListSearchAttributes.
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default', { listFirst: false });
  return env;
}

/** A real Temporal CLI dev server with the project's search attributes registered. */
export async function devServerEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const path = process.env.TEMPORAL_CLI_PATH;
  if (!path) throw new Error('TEMPORAL_CLI_PATH is not set: run tests through jest so global-setup provisions the CLI.');
  return TestWorkflowEnvironment.createLocal({
    client: { dataConverter: testDataConverter },
    // Error level: a loaded 2-core machine makes the dev server warn about every slow call.
    server: { executable: { type: 'existing-path', path }, searchAttributes: allSearchAttributeKeys, log: { format: 'pretty', level: 'error' } },
  });
}

export const MAIL_FROM = 'BGA New Business <newbusiness@bga.example>';

/** A worker with the real activities against this test file's database and SMTP server. */
export async function createTestWorker(
  env: TestWorkflowEnvironment,
  deps: { db: Db; smtpUrl: string; taskQueue: string; wrapActivities?: (a: Activities) => Activities; maxCachedWorkflows?: number; documents?: DocumentStore },
): Promise<{ worker: Worker; mailer: Mailer }> {
  const bundlePath = process.env.BGA_TEST_WORKFLOW_BUNDLE;
  if (!bundlePath) throw new Error('BGA_TEST_WORKFLOW_BUNDLE is not set: run tests through jest so global-setup bundles the workflows.');
  const mailer = createMailer(deps.smtpUrl);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue: deps.taskQueue,
    workflowBundle: { code: fs.readFileSync(bundlePath, 'utf8') },
    dataConverter: testDataConverter,
    activities: (deps.wrapActivities ?? ((a) => a))(createActivities({ db: deps.db, mailer, mailFrom: MAIL_FROM, fetch: globalThis.fetch, ...(deps.documents ? { documents: deps.documents } : {}) })),
    ...(deps.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: deps.maxCachedWorkflows } : {}),
  });
  return { worker, mailer };
}
