/*
 * The inbound mail server on its own, for production: the mail relay forwards replies to the
 * pipeline's address here. It keeps each message (document store and PostgreSQL) before it
 * answers 250, so it needs DATABASE_URL, the document store's settings and the encryption keys.
 */
import { ConfigError, loadConfig } from '../../platform/config';
import { createDb } from '../../platform/db';
import { documentStoreFor } from '../../platform/document-store';
import { createLogger } from '../../platform/logger';
import { connectClient, TemporalUnreachableError } from '../connection';
import { inboundMessageLimit, startInboundReceiver } from './receiver';

async function main(): Promise<void> {
  const config = loadConfig();
  const { env, temporal } = config;
  const logger = createLogger('inbound-mail', env.LOG_LEVEL, env.LOG_FORMAT);
  if (!env.DATABASE_URL) throw new ConfigError('The inbound mail server needs DATABASE_URL. For a local all-in-one stack, run `npm start` instead.');
  const store = documentStoreFor(config);
  const { client, connection } = await connectClient(config);
  const db = createDb(env.DATABASE_URL, 4);
  const receiver = await startInboundReceiver({
    db,
    store,
    client,
    taskQueue: temporal.taskQueue,
    host: env.BGA_INBOUND_SMTP_HOST,
    port: env.BGA_INBOUND_SMTP_PORT,
    maxMessageBytes: inboundMessageLimit(env.BGA_DOCUMENT_MAX_MB),
    log: (line) => logger.info(line),
  });
  logger.info({ url: receiver.url, store: store.description, temporal: temporal.connection.address }, 'inbound mail listening');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down: finishing messages in flight');
      void receiver
        .close()
        .then(() => Promise.all([db.$disconnect(), connection.close()]))
        .then(() => logger.info('inbound mail stopped'));
    });
  }
}

main().catch((err: Error) => {
  console.error(err instanceof ConfigError || err instanceof TemporalUnreachableError ? err.message : err);
  process.exit(1);
});
