import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import path from 'node:path';
import { z } from 'zod';
import { type KeyRing, loadKeyRing } from './codec';
import { dataDir } from './paths';
import { embeddedDatabaseUrl } from './postgres';

const port = z.coerce.number().int().min(1).max(65535);
const postgresUrl = z
  .string()
  .url()
  .refine((u) => /^postgres(ql)?:$/.test(new URL(u).protocol), 'must be a postgres:// or postgresql:// URL');
const smtpUrl = z
  .string()
  .url()
  .refine((u) => /^smtps?:$/.test(new URL(u).protocol), 'must be an smtp:// or smtps:// URL');

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:$/.test(new URL(u).protocol), 'must be an http:// or https:// URL');

// The PIN travels in the query string: https only, except to a stand-in on this machine.
const niprUrl = httpUrl.refine((u) => {
  const url = new URL(u);
  return url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}, 'must be an https:// URL (http:// only to localhost): the NIPR PIN is sent with every request');

const EnvSchema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  SMTP_URL: smtpUrl.optional(),
  MAIL_FROM: z.string().min(3).default('BGA New Business <newbusiness@bga.example>'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('bga-new-business'),
  TEMPORAL_UI_URL: z.string().url().optional(),
  BGA_TEMPORAL_PORT: port.default(7233),
  BGA_TEMPORAL_UI_PORT: port.default(8233),
  BGA_POSTGRES_PORT: port.default(5433),
  BGA_MAIL_SMTP_PORT: port.default(1025),
  BGA_MAIL_WEB_PORT: port.default(1080),
  BGA_CODEC_PORT: port.default(8234),
  BGA_API_PORT: port.default(3000),
  BGA_API_HOST: z.string().min(1).default('127.0.0.1'),
  // Parsed and checked by client/api/keys.ts; declared here so every variable is in one place.
  BGA_API_KEYS: z.string().optional(),
  // Where `bga status` asks the HTTP API instead of Temporal and PostgreSQL (client/cli/api-client.ts), and with which key.
  BGA_API_URL: httpUrl.optional(),
  BGA_API_KEY: z.string().optional(),
  BGA_API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  BGA_IDEMPOTENCY_RETENTION_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24),
  BGA_PENDING_REPORT_CRON: z.string().optional(),
  BGA_LICENSE_EXPIRY_CRON: z.string().optional(),
  BGA_CODEC_TOKENS: z.string().optional(),
  BGA_CODEC_HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).default(100),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(1).default(40),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).default(10),
  // Where the licensing check reads the broker's licence: the recorded licences, or NIPR's Producer Database.
  BGA_LICENSE_LOOKUP: z.enum(['records', 'nipr']).default('records'),
  // NIPR PDB entity info report (activities/license-lookup/nipr.ts); only with BGA_LICENSE_LOOKUP=nipr.
  NIPR_PDB_URL: niprUrl.optional(),
  NIPR_CUSTOMER_NUMBER: z.string().trim().min(1).optional(),
  NIPR_PIN: z.string().min(1).optional(),
  // The document store (platform/document-store.ts checks the S3 settings); local keeps files under BGA_DATA_DIR.
  BGA_DOCUMENT_STORE: z.enum(['local', 's3']).default('local'),
  BGA_DOCUMENT_MAX_MB: z.coerce.number().min(1).max(200).default(25),
  // The inbound SMTP server for replies: npm start and `npm run inbound` listen here.
  BGA_INBOUND_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  BGA_INBOUND_SMTP_PORT: port.default(2525),
}).superRefine((env, ctx) => {
  if (env.BGA_API_URL && !env.BGA_API_KEY) {
    ctx.addIssue({ code: 'custom', path: ['BGA_API_KEY'], message: 'is required when BGA_API_URL is set: an API key with the ops or read role' });
  }
  if (env.BGA_LICENSE_LOOKUP === 'nipr') {
    const needed = {
      NIPR_PDB_URL: "the URL of NIPR's PDB entity info report, e.g. https://pdb-services.nipr.com/pdb-xml-reports/entityinfo_xml.cgi",
      NIPR_CUSTOMER_NUMBER: 'the customer number NIPR issued for PDB web services',
      NIPR_PIN: 'the PIN that goes with NIPR_CUSTOMER_NUMBER',
    } as const;
    for (const [name, what] of Object.entries(needed)) {
      if (!env[name as keyof typeof needed]) ctx.addIssue({ code: 'custom', path: [name], message: `is required when BGA_LICENSE_LOOKUP=nipr: ${what}` });
    }
  }
});

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface TemporalSettings {
  /** True when no address is configured and `npm start` runs the local dev server. */
  embedded: boolean;
  connection: NativeConnectionOptions & { address: string };
  namespace: string;
  taskQueue: string;
  uiUrl: string;
}

/** Which licence source the worker's licensing check reads (BGA_LICENSE_LOOKUP). */
export type LicenseLookupSettings = { kind: 'records' } | { kind: 'nipr'; url: string; customerNumber: string; pin: string };

export interface AppConfig {
  env: Env;
  licenseLookup: LicenseLookupSettings;
  temporal: TemporalSettings;
  /** Keys of the payload encryption codec, shared by clients and workers. */
  encryption: KeyRing;
  /** DATABASE_URL, or in the local setup the embedded server `npm start` runs. */
  databaseUrl: string | undefined;
  /** SMTP_URL, or in the local setup the mail sink `npm start` runs. */
  smtpUrl: string | undefined;
}

/** Reads and validates the environment once; a bad value stops start-up naming the variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(source[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}\nFix these environment variables and start again.`);
  }
  const env = parsed.data;
  let connect;
  try {
    connect = loadClientConnectConfig({ overrideEnvVars: source as Record<string, string> });
  } catch (err) {
    throw new ConfigError(`Invalid Temporal client configuration (TEMPORAL_* variables or profile file): ${(err as Error).message}`);
  }
  const configured = connect.connectionOptions.address;
  const address = configured ?? `localhost:${env.BGA_TEMPORAL_PORT}`;
  if (configured !== undefined && !source.BGA_ENCRYPTION_KEYS) {
    // A generated local key would differ per machine: workers could not read each other's payloads.
    throw new ConfigError('BGA_ENCRYPTION_KEYS must be set when TEMPORAL_ADDRESS points at a shared Temporal server (see README, Sensitive data).');
  }
  let encryption: KeyRing;
  try {
    encryption = loadKeyRing(source, path.join(dataDir(), 'encryption-keys.json'));
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  return {
    env,
    licenseLookup:
      env.BGA_LICENSE_LOOKUP === 'nipr'
        ? { kind: 'nipr', url: env.NIPR_PDB_URL!, customerNumber: env.NIPR_CUSTOMER_NUMBER!, pin: env.NIPR_PIN! }
        : { kind: 'records' },
    encryption,
    databaseUrl: env.DATABASE_URL ?? (configured === undefined ? embeddedDatabaseUrl(env.BGA_POSTGRES_PORT) : undefined),
    smtpUrl: env.SMTP_URL ?? (configured === undefined ? `smtp://127.0.0.1:${env.BGA_MAIL_SMTP_PORT}` : undefined),
    temporal: {
      embedded: configured === undefined,
      connection: { ...connect.connectionOptions, address },
      namespace: connect.namespace ?? 'default',
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      uiUrl: env.TEMPORAL_UI_URL ?? `http://localhost:${env.BGA_TEMPORAL_UI_PORT}`,
    },
  };
}
