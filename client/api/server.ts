import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Db } from '../../platform/db';
import { actionRoutes } from './action-routes';
import { applicationRoutes } from './application-routes';
import { brokerRoutes } from './broker-routes';
import { installAuthentication } from './auth';
import { caseRoutes } from './case-routes';
import { type ApiContext, linkBuilder } from './context';
import { type ApiDocuments, documentRoutes } from './document-routes';
import { IdempotencyStore } from './idempotency';
import { type ApiKey, KeyRing } from './keys';
import { metaRoutes, openApiOptions } from './meta-routes';
import { installErrorHandling } from './problems';
import { reportRoutes } from './report-routes';
import { contractingRoutes } from './contracting-routes';
import { vendorRoutes } from './vendor-routes';

export interface ApiDeps {
  client: Client;
  taskQueue: string;
  db: Db;
  keys: ApiKey[];
  /** Temporal Web UI base URL, for the links in responses. */
  uiUrl: string;
  /** Request logs go here; none when absent. */
  logger?: FastifyBaseLogger;
  /** How long an Idempotency-Key is remembered; 24 hours when absent. */
  idempotencyRetentionHours?: number;
  /** Requests per minute per API key, in this process; 600 when absent. */
  rateLimitPerMinute?: number;
  /** Where uploads are kept; without it the document routes are not served. */
  documents?: ApiDocuments;
}

const PRUNE_EVERY_MS = 3_600_000;

/** The integration API, not yet listening: for `inject`, `listen`, or startApi below. */
export function buildApi(deps: ApiDeps): FastifyInstance {
  const app: FastifyInstance = deps.logger ? Fastify({ loggerInstance: deps.logger }) : Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  installAuthentication(app, new KeyRing(deps.keys));
  void app.register(rateLimit, {
    max: deps.rateLimitPerMinute ?? 600,
    timeWindow: 60_000,
    // After authentication (onRequest), so the budget is the API key's, whatever address it calls from.
    hook: 'preValidation',
    keyGenerator: (request) => (request.caller ? `key:${request.caller.name}` : `ip:${request.ip}`),
    errorResponseBuilder: (request, context) =>
      Object.assign(new Error(`The API key "${request.caller?.name ?? '?'}" made more than ${context.max} requests in a minute; retry in ${context.after}.`), {
        statusCode: 429,
      }),
  });

  const idempotency = new IdempotencyStore(deps.db, (deps.idempotencyRetentionHours ?? 24) * 3_600_000);
  const ctx: ApiContext = { client: deps.client, taskQueue: deps.taskQueue, idempotency, links: linkBuilder(deps.client, deps.uiUrl) };
  pruneWhileOpen(app, idempotency);
  void app.register(swagger, openApiOptions);
  void app.register(metaRoutes);
  void app.register(applicationRoutes, { ctx });
  void app.register(caseRoutes, { ctx, db: deps.db });
  void app.register(actionRoutes, { ctx });
  void app.register(vendorRoutes, { ctx });
  void app.register(brokerRoutes, { ctx });
  void app.register(reportRoutes, { ctx, db: deps.db });
  void app.register(contractingRoutes, { ctx, db: deps.db });
  if (deps.documents) void app.register(documentRoutes, { ctx, documents: deps.documents });
  return app;
}

/** Expired Idempotency-Keys are deleted at start and hourly, so the table stays the size of a day's traffic. */
function pruneWhileOpen(app: FastifyInstance, store: IdempotencyStore): void {
  const prune = () =>
    store.prune().then(
      (count) => count && app.log.info({ count }, 'expired idempotency keys deleted'),
      (err: Error) => app.log.warn({ err }, 'could not delete expired idempotency keys; will retry'),
    );
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    void prune();
    timer = setInterval(prune, PRUNE_EVERY_MS).unref();
  });
  app.addHook('onClose', async () => clearInterval(timer));
}

export async function startApi(deps: ApiDeps, listen: { port: number; host?: string }): Promise<FastifyInstance> {
  const app = buildApi(deps);
  await app.listen({ port: listen.port, host: listen.host ?? '127.0.0.1' });
  return app;
}
