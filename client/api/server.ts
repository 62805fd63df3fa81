import swagger from '@fastify/swagger';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Db } from '../../platform/db';
import { actionRoutes } from './action-routes';
import { applicationRoutes } from './application-routes';
import { installAuthentication } from './auth';
import { caseRoutes } from './case-routes';
import { type ApiContext, linkBuilder } from './context';
import { IdempotencyStore } from './idempotency';
import { type ApiKey, KeyRing } from './keys';
import { metaRoutes, openApiOptions } from './meta-routes';
import { installErrorHandling } from './problems';
import { reportRoutes } from './report-routes';
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
}

/** The integration API, not yet listening: for `inject`, `listen`, or startApi below. */
export function buildApi(deps: ApiDeps): FastifyInstance {
  const app: FastifyInstance = deps.logger ? Fastify({ loggerInstance: deps.logger }) : Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  installAuthentication(app, new KeyRing(deps.keys));

  const ctx: ApiContext = {
    client: deps.client,
    taskQueue: deps.taskQueue,
    idempotency: new IdempotencyStore(deps.db),
    links: linkBuilder(deps.client, deps.uiUrl),
  };
  void app.register(swagger, openApiOptions);
  void app.register(metaRoutes);
  void app.register(applicationRoutes, { ctx });
  void app.register(caseRoutes, { ctx });
  void app.register(actionRoutes, { ctx });
  void app.register(vendorRoutes, { ctx });
  void app.register(reportRoutes, { ctx, db: deps.db });
  return app;
}

export async function startApi(deps: ApiDeps, listen: { port: number; host?: string }): Promise<FastifyInstance> {
  const app = buildApi(deps);
  await app.listen({ port: listen.port, host: listen.host ?? '127.0.0.1' });
  return app;
}
