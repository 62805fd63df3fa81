import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { createJsonSchemaTransform, createJsonSchemaTransformObject, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiRegistry, json } from './schemas';

const SCHEMA_REF = '#/components/schemas/';

/**
 * The transform emits every registered schema in both its input and output form, though a
 * request body uses only the one and a response only the other; the document keeps the
 * schemas it refers to, directly or through other schemas.
 */
function referencedSchemasOnly<D extends object>(doc: D): D {
  const { components } = doc as { components?: { schemas?: Record<string, unknown> } };
  const schemas = components?.schemas ?? {};
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith(SCHEMA_REF)) {
      const name = ref.slice(SCHEMA_REF.length);
      if (!used.has(name)) {
        used.add(name);
        visit(schemas[name]);
      }
    }
    Object.values(node).forEach(visit);
  };
  visit({ ...doc, components: { ...components, schemas: {} } });
  return { ...doc, components: { ...components, schemas: Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name))) } };
}

const toOpenApiObject = createJsonSchemaTransformObject({ schemaRegistry: apiRegistry });

/**
 * For @fastify/swagger, registered on the root before any route: the document is generated
 * from the routes' zod schemas, the same ones that validate requests, through the API's own
 * component registry.
 */
export const openApiOptions: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.0.3',
    info: {
      title: 'BGA new-business integration API',
      version: '1.0.0',
      description:
        'For carriers’ e-app platforms (submit applications) and exam/APS vendors (report order status). ' +
        'POSTs accept an Idempotency-Key header: a retry with the same key and body returns the first answer.',
    },
    tags: [
      { name: 'applications', description: 'New applications' },
      { name: 'cases', description: 'Reading cases' },
      { name: 'actions', description: 'What operations staff and carrier feeds tell a case (ops keys)' },
      { name: 'vendor', description: 'Exam, APS and inspection vendors: their own orders, and nothing else of a case' },
      { name: 'broker', description: "Brokers' self-service: their own cases, what is outstanding and what the client must do" },
      { name: 'meta', description: 'Health and this document' },
    ],
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        bearer: { type: 'http', scheme: 'bearer', description: 'The same API key, as Authorization: Bearer <key>' },
      },
    },
    security: [{ apiKey: [] }, { bearer: [] }],
  },
  transform: createJsonSchemaTransform({ schemaRegistry: apiRegistry }),
  transformObject: (document) => referencedSchemasOnly(toOpenApiObject(document)),
};

export const metaRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/health',
    {
      // Monitors poll it without a key; a rate limit would only turn an outage signal into noise.
      config: { access: 'public', rateLimit: false },
      schema: {
        operationId: 'health',
        tags: ['meta'],
        summary: 'Liveness: the API process is up',
        security: [],
        response: { 200: json(z.object({ status: z.literal('ok') }), 'Up') },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/v1/openapi.json',
    { config: { access: ['ops', 'vendor', 'read', 'broker'] }, schema: { hide: true } },
    async () => app.swagger(),
  );
};
