import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createLicenseLookup } from '../activities/license-lookup';
import { encryptedDataConverter } from '../platform/codec';
import type { AppConfig } from '../platform/config';
import { createDb, type Db } from '../platform/db';
import type { Logger } from '../platform/logger';
import { documentStoreFor } from '../platform/document-store';
import { createMailer, type Mailer } from '../platform/mailer';
import { loadWorkflowBundle } from './bundle';
import { installRuntime } from './runtime';

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped; rejects if it failed. */
  done: Promise<void>;
  /** Stops polling, lets running tasks finish, then closes connections. */
  stop(): Promise<void>;
}

/** Connects to Temporal, PostgreSQL and SMTP and starts polling the task queue. */
export async function startWorker(config: AppConfig, logger: Logger, urls: { databaseUrl: string; smtpUrl: string }): Promise<RunningWorker> {
  installRuntime(logger);
  const { env, temporal } = config;
  const db: Db = createDb(urls.databaseUrl, env.DATABASE_POOL_SIZE);
  const mailer: Mailer = createMailer(urls.smtpUrl);
  const connection = await NativeConnection.connect(temporal.connection);
  const worker = await Worker.create({
    connection,
    namespace: temporal.namespace,
    taskQueue: temporal.taskQueue,
    workflowBundle: await loadWorkflowBundle((line) => logger.info(line)),
    dataConverter: encryptedDataConverter(config.encryption),
    activities: createActivities({
      db,
      mailer,
      mailFrom: env.MAIL_FROM,
      fetch: globalThis.fetch,
      licenseLookup: createLicenseLookup(config.licenseLookup, { db, fetch: globalThis.fetch }),
      documents: documentStoreFor(config),
      maxDocumentBytes: config.env.BGA_DOCUMENT_MAX_MB * 1024 * 1024,
    }),
    maxConcurrentActivityTaskExecutions: env.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    ...(env.WORKER_MAX_CACHED_WORKFLOWS !== undefined ? { maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS } : {}),
    shutdownGraceTime: '10 seconds',
  });
  const closeAll = async () => {
    await connection.close();
    mailer.close();
    await db.$disconnect();
  };
  const done = worker.run().finally(closeAll);
  logger.info({ taskQueue: temporal.taskQueue, namespace: temporal.namespace, address: temporal.connection.address, licenseLookup: config.licenseLookup.kind }, 'worker polling');
  return {
    worker,
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
