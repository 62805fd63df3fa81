import crypto from 'node:crypto';
import { type AppConfig, loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { installRuntime } from '../worker/runtime';
import { type RunningWorker, startWorker } from '../worker/worker';
import { SMTP_MAX_CONNECTIONS } from './options';

/** One random key for the whole run: the pipeline, ceiling and lifecycle workers and the clients read each other's payloads. */
const ENCRYPTION_KEYS = JSON.stringify({ bench: crypto.randomBytes(32).toString('base64') });

const logger = createLogger('bench', 'warn');
// Installed before anything touches the Temporal runtime (the time-skipping environment would install a default one).
installRuntime(logger);

export interface Endpoints {
  temporalAddress: string;
  databaseUrl: string;
  smtpUrl: string;
}

/** The product's configuration for these endpoints, with the worker knobs from the environment and `overrides` on top. */
export function benchConfig(endpoints: Endpoints, taskQueue: string, overrides: Record<string, string> = {}): { config: AppConfig; smtpUrl: string } {
  const { [SMTP_MAX_CONNECTIONS]: maxConnections, ...env } = overrides;
  const smtp = new URL(endpoints.smtpUrl);
  if (maxConnections) smtp.searchParams.set('maxConnections', maxConnections);
  const config = loadConfig({
    ...process.env,
    TEMPORAL_ADDRESS: endpoints.temporalAddress,
    BGA_ENCRYPTION_KEYS: ENCRYPTION_KEYS,
    DATABASE_URL: endpoints.databaseUrl,
    SMTP_URL: smtp.toString(),
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOG_LEVEL: 'warn',
    ...env,
  });
  return { config, smtpUrl: smtp.toString() };
}

export interface PipelineWorker extends RunningWorker {
  config: AppConfig;
  taskQueue: string;
}

/** The production worker (worker/worker.ts) in this process, so its RSS and workflow cache can be read. */
export async function startPipelineWorker(endpoints: Endpoints, taskQueue: string, overrides: Record<string, string> = {}): Promise<PipelineWorker> {
  const { config, smtpUrl } = benchConfig(endpoints, taskQueue, overrides);
  const running = await startWorker(config, logger, { databaseUrl: endpoints.databaseUrl, smtpUrl });
  return { ...running, config, taskQueue };
}
