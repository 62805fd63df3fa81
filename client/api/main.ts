/*
 * The HTTP API on its own, for production: run one or more behind a load balancer. Instances
 * share nothing but Temporal and PostgreSQL (Idempotency-Keys live there). Needs DATABASE_URL
 * and BGA_API_KEYS; keys are generated only by the local `npm start`.
 */
import { ConfigError, loadConfig } from '../../platform/config';
import { createDb } from '../../platform/db';
import { documentStoreFor } from '../../platform/document-store';
import { createLogger } from '../../platform/logger';
import { connectClient, TemporalUnreachableError } from '../connection';
import { loadApiKeys } from './keys';
import { startApi } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const { env, temporal } = config;
  const logger = createLogger('api', env.LOG_LEVEL, env.LOG_FORMAT);
  if (!env.DATABASE_URL) throw new ConfigError('The standalone API needs DATABASE_URL. For a local all-in-one stack, run `npm start` instead.');
  const keys = loadApiKeys();
  const { client, connection } = await connectClient(config);
  const db = createDb(env.DATABASE_URL, env.DATABASE_POOL_SIZE);
  const api = await startApi(
    {
      client,
      taskQueue: temporal.taskQueue,
      db,
      keys,
      uiUrl: temporal.uiUrl,
      logger,
      idempotencyRetentionHours: env.BGA_IDEMPOTENCY_RETENTION_HOURS,
      rateLimitPerMinute: env.BGA_API_RATE_LIMIT_PER_MINUTE,
      documents: { store: documentStoreFor(config), maxBytes: env.BGA_DOCUMENT_MAX_MB * 1024 * 1024 },
    },
    { port: env.BGA_API_PORT, host: env.BGA_API_HOST },
  );
  logger.info({ address: api.addresses(), keys: keys.length, temporal: temporal.connection.address, namespace: temporal.namespace }, 'API listening');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down: finishing requests in flight');
      void api
        .close()
        .then(() => Promise.all([db.$disconnect(), connection.close()]))
        .then(() => logger.info('API stopped'));
    });
  }
}

main().catch((err: Error) => {
  // Configuration and connection errors say what to fix; anything else needs its stack.
  console.error(err instanceof ConfigError || err instanceof TemporalUnreachableError ? err.message : err);
  process.exit(1);
});
