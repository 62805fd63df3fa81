/*
 * A worker on its own, for production: scale out by running more of these against the same
 * Temporal namespace, task queue and database. Needs DATABASE_URL and SMTP_URL.
 */
import { ConfigError, loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { startWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('worker', config.env.LOG_LEVEL, config.env.LOG_FORMAT);
  const { DATABASE_URL, SMTP_URL } = config.env;
  if (!DATABASE_URL || !SMTP_URL) {
    throw new ConfigError('A standalone worker needs DATABASE_URL and SMTP_URL. For a local all-in-one stack, run `npm start` instead.');
  }
  const running = await startWorker(config, logger, { databaseUrl: DATABASE_URL, smtpUrl: SMTP_URL });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down: finishing running tasks');
      void running.stop();
    });
  }
  await running.done;
  logger.info('worker stopped');
}

main().catch((err: Error) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
