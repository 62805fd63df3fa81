/*
 * `npm start`: the whole system on one machine. Embedded PostgreSQL, a mail sink with a web
 * inbox and the Temporal dev server start unless DATABASE_URL, SMTP_URL or TEMPORAL_ADDRESS
 * point elsewhere; then migrations, search attributes and the worker. Ctrl-C stops it all;
 * data stays in BGA_DATA_DIR (default .data/) for the next start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCodecServer } from '../client/codec-server';
import { startApi } from '../client/api/server';
import { loadApiKeys, localApiKeys } from '../client/api/keys';
import { inboundMessageLimit, startInboundReceiver } from '../client/inbound/receiver';
import { connectClient } from '../client/connection';
import { createDb } from '../platform/db';
import { documentStoreFor } from '../platform/document-store';
import { startChild } from '../platform/child-service';
import { ConfigError, loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { dataDir, projectRoot } from '../platform/paths';
import { endSpawnedWithThisProcess } from '../platform/orphan-guard';
import { describePortInUse, portInUse } from '../platform/ports';
import { ensureDatabase, startEmbeddedPostgres } from '../platform/postgres';
import { PostgresSetupError } from '../platform/postgres-user';
import { ensureLicenseExpirySchedule, ensurePendingReportSchedule } from '../platform/schedules';
import { ensureSearchAttributes } from '../platform/search-attributes';
import { ensureTemporalCli } from '../platform/toolchain';
import { applyMigrations } from '../prisma/migrate';
import { startWorker } from '../worker/worker';

interface Stoppable {
  name: string;
  stop(): Promise<void>;
}

const say = (line: string) => console.log(`[bga] ${line}`);

/**
 * Checks every port before anything starts: services that an earlier start left running would
 * otherwise fail this one halfway, or pass its readiness checks in place of its own services.
 */
async function ensurePortsFree(ports: Record<string, number | undefined>): Promise<void> {
  const taken: string[] = [];
  for (const [variable, port] of Object.entries(ports)) {
    if (port !== undefined && (await portInUse(port))) taken.push(`  ${describePortInUse(port)}, or set ${variable} to a free port.`);
  }
  if (taken.length > 0) {
    throw new ConfigError(
      [
        'Ports that `npm start` needs are in use: is another `npm start` running, or left over from one?',
        ...taken,
        'To use servers that are already running instead, set DATABASE_URL, SMTP_URL or TEMPORAL_ADDRESS.',
      ].join('\n'),
    );
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const { env, temporal } = config;
  const logger = createLogger('bga', env.LOG_LEVEL, env.LOG_FORMAT);
  const data = dataDir();
  fs.mkdirSync(data, { recursive: true });
  const running: Stoppable[] = [];

  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('Stopping…');
    for (const s of running.reverse()) {
      say(`stopping ${s.name}`);
      await s.stop().catch((err: Error) => console.error(`[bga] ${s.name} did not stop cleanly: ${err.message}`));
    }
    say('Stopped. Data is kept in ' + data);
    process.exit(code);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (!stopping) return void stopAll(0);
    // A second signal cuts the ordered stop short; the orphan guard stops what is left as we exit.
    say(`${signal} again: exiting now; the services still running are sent their stop signal`);
    process.exit(128 + os.constants.signals[signal]);
  };
  // `on`, not `once`: a runner such as tsx exits the process itself when no SIGINT listener is left.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    await ensurePortsFree({
      BGA_POSTGRES_PORT: env.DATABASE_URL ? undefined : env.BGA_POSTGRES_PORT,
      BGA_MAIL_SMTP_PORT: env.SMTP_URL ? undefined : env.BGA_MAIL_SMTP_PORT,
      BGA_MAIL_WEB_PORT: env.SMTP_URL ? undefined : env.BGA_MAIL_WEB_PORT,
      BGA_CODEC_PORT: env.BGA_CODEC_PORT,
      BGA_TEMPORAL_PORT: temporal.embedded ? env.BGA_TEMPORAL_PORT : undefined,
      BGA_TEMPORAL_UI_PORT: temporal.embedded ? env.BGA_TEMPORAL_UI_PORT : undefined,
      BGA_API_PORT: env.BGA_API_PORT,
      BGA_INBOUND_SMTP_PORT: env.BGA_INBOUND_SMTP_PORT,
    });
    let databaseUrl = env.DATABASE_URL;
    if (!databaseUrl) {
      // PostgreSQL shares our process group but not our fate: on SIGKILL it would run on. It
      // gets a fast shutdown (SIGINT) when this process ends without stopping it.
      const pg = await endSpawnedWithThisProcess({ group: false, signal: 'SIGINT' }, () =>
        startEmbeddedPostgres({ dir: path.join(data, 'postgres'), port: env.BGA_POSTGRES_PORT, persistent: true }),
      );
      running.push({ name: 'PostgreSQL', stop: pg.stop });
      await ensureDatabase(pg.serverUrl, 'bga');
      databaseUrl = pg.databaseUrl('bga');
    }
    const applied = await applyMigrations(databaseUrl);
    say(`PostgreSQL ready${applied.length ? ` (applied ${applied.join(', ')})` : ', schema up to date'}`);

    let smtpUrl = env.SMTP_URL;
    let inboxUrl: string | undefined;
    if (!smtpUrl) {
      const mailDir = path.join(data, 'mail');
      fs.mkdirSync(mailDir, { recursive: true });
      const maildev = await startChild({
        name: 'MailDev',
        command: process.execPath,
        args: [
          // The package exports no path to its CLI; the installed bin link is the stable handle.
          path.join(projectRoot, 'node_modules', '.bin', 'maildev'),
          `--smtp=${env.BGA_MAIL_SMTP_PORT}`,
          `--web=${env.BGA_MAIL_WEB_PORT}`,
          '--ip=127.0.0.1',
          '--web-ip=127.0.0.1',
          `--mail-directory=${mailDir}`,
          '--silent',
        ],
        ready: async () => (await portInUse(env.BGA_MAIL_SMTP_PORT)) && portInUse(env.BGA_MAIL_WEB_PORT),
        timeoutMs: 30_000,
      });
      running.push(maildev);
      smtpUrl = `smtp://127.0.0.1:${env.BGA_MAIL_SMTP_PORT}`;
      inboxUrl = `http://localhost:${env.BGA_MAIL_WEB_PORT}`;
      say('Mail sink ready');
    }

    const codec = await startCodecServer({
      ring: config.encryption,
      allowedOrigins: [new URL(temporal.uiUrl).origin],
      tokens: env.BGA_CODEC_TOKENS?.split(',').map((t) => t.trim()).filter(Boolean) ?? [],
      host: '127.0.0.1',
      port: env.BGA_CODEC_PORT,
    });
    running.push({ name: 'codec server', stop: codec.close });

    if (temporal.embedded) {
      const cli = await ensureTemporalCli(say);
      const server = await startChild({
        name: 'Temporal dev server',
        command: cli,
        args: [
          'server',
          'start-dev',
          '--db-filename',
          path.join(data, 'temporal.sqlite'),
          '--ip',
          '127.0.0.1',
          '--port',
          String(env.BGA_TEMPORAL_PORT),
          '--ui-port',
          String(env.BGA_TEMPORAL_UI_PORT),
          '--namespace',
          temporal.namespace,
          '--log-level',
          'warn',
          // WAL: the benchmark measured 1.75x the intake throughput of SQLite's default journal.
          '--sqlite-pragma',
          'journal_mode=wal',
          '--sqlite-pragma',
          'synchronous=normal',
          '--ui-codec-endpoint',
          codec.url,
        ],
        ready: () => portInUse(env.BGA_TEMPORAL_UI_PORT),
        timeoutMs: 60_000,
        log: (line) => logger.debug({ service: 'temporal' }, line),
      });
      running.push(server);
      say('Temporal dev server ready');
    }

    const { client, connection } = await connectClient(config);
    running.push({ name: 'Temporal client', stop: () => connection.close() });
    const added = await ensureSearchAttributes(connection, temporal.namespace);
    if (added.length) say(`Registered search attributes: ${added.join(', ')}`);
    say(`Pending-case report schedule ${await ensurePendingReportSchedule(client, temporal.taskQueue, env.BGA_PENDING_REPORT_CRON)}`);
    say(`License expiry watch schedule ${await ensureLicenseExpirySchedule(client, temporal.taskQueue, env.BGA_LICENSE_EXPIRY_CRON)}`);

    const worker = await startWorker(config, logger, { databaseUrl, smtpUrl });
    running.push({ name: 'worker', stop: worker.stop });
    worker.done.catch((err: Error) => {
      console.error(`[bga] worker failed: ${err.message}`);
      void stopAll(1);
    });

    const keysFile = path.join(data, 'api-keys.json');
    const keys = env.BGA_API_KEYS ? loadApiKeys() : localApiKeys(keysFile);
    const apiDb = createDb(databaseUrl, env.DATABASE_POOL_SIZE);
    const api = await startApi(
      {
        client,
        taskQueue: temporal.taskQueue,
        db: apiDb,
        keys,
        uiUrl: temporal.uiUrl,
        idempotencyRetentionHours: env.BGA_IDEMPOTENCY_RETENTION_HOURS,
        rateLimitPerMinute: env.BGA_API_RATE_LIMIT_PER_MINUTE,
        documents: { store: documentStoreFor(config), maxBytes: env.BGA_DOCUMENT_MAX_MB * 1024 * 1024 },
      },
      { port: env.BGA_API_PORT, host: env.BGA_API_HOST },
    );
    running.push({ name: 'HTTP API', stop: async () => (await api.close(), await apiDb.$disconnect()) });
    const apiUrl = `http://${env.BGA_API_HOST === '127.0.0.1' ? 'localhost' : env.BGA_API_HOST}:${env.BGA_API_PORT}`;

    const inboundDb = createDb(databaseUrl, 2);
    const inbound = await startInboundReceiver({
      db: inboundDb,
      store: documentStoreFor(config),
      client,
      taskQueue: temporal.taskQueue,
      host: env.BGA_INBOUND_SMTP_HOST,
      port: env.BGA_INBOUND_SMTP_PORT,
      maxMessageBytes: inboundMessageLimit(env.BGA_DOCUMENT_MAX_MB),
      log: (line) => logger.info({ service: 'inbound-mail' }, line),
    });
    running.push({ name: 'inbound mail', stop: async () => (await inbound.close(), await inboundDb.$disconnect()) });

    const ns = encodeURIComponent(temporal.namespace);
    say(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(
      [
        '',
        `Inbound mail ${inbound.url}  (replies to the pipeline's emails, with attachments; in production the relay forwards here)`,
        '',
        `  Temporal Web UI   ${temporal.uiUrl}/namespaces/${ns}/workflows`,
        `  Mail inbox        ${inboxUrl ?? `(external SMTP: ${new URL(smtpUrl).host})`}`,
        `  Codec server      ${codec.url}  (the Web UI decrypts payloads through it)`,
        `  HTTP API          ${apiUrl}/v1  (OpenAPI: ${apiUrl}/v1/openapi.json; keys: ${env.BGA_API_KEYS ? 'BGA_API_KEYS' : keysFile})`,
        `  Temporal          ${temporal.connection.address}  namespace ${temporal.namespace}, task queue ${temporal.taskQueue}`,
        `  PostgreSQL        ${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}`,
        `  Data              ${data}`,
        '',
        '  Submit a sample application from another terminal:',
        '    npm run bga -- submit examples/applications/summit-wl-clean.json',
        '',
        '  Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
  } catch (err) {
    console.error(`[bga] start failed: ${err instanceof ConfigError || err instanceof PostgresSetupError ? err.message : (err as Error).stack ?? err}`);
    await stopAll(1);
  }
}

void main();
