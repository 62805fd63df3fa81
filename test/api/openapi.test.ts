import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { OpenAPIV3 } from 'openapi-types';
import { z } from 'zod';
import { buildApi } from '../../client/api/server';
import * as actions from '../../domain/actions';
import { ApplicationSchema } from '../../domain/application';
import { OPS_ACTION_NAMES, type OpsActionName } from '../../client/operations';
import { createDb, type Db } from '../../platform/db';
import { LocalDocumentStore } from '../../platform/document-store';
import { projectRoot } from '../../platform/paths';
import { TEST_KEY_RING } from '../helpers/keys';

// The document needs no server: the Temporal client and the database connect lazily, and neither is used.
let api: FastifyInstance;
let db: Db;
let doc: OpenAPIV3.Document;

beforeAll(async () => {
  db = createDb('postgresql://nobody@127.0.0.1:1/none');
  // As served by npm start and npm run api: with the document routes. The store is never reached.
  const documents = { store: new LocalDocumentStore(path.join(os.tmpdir(), 'bga-openapi-unused'), TEST_KEY_RING), maxBytes: 1024 };
  api = buildApi({ client: new Client(), taskQueue: 'unused', db, keys: [], uiUrl: 'http://localhost:8233', documents });
  await api.ready();
  doc = api.swagger() as OpenAPIV3.Document;
});
afterAll(async () => {
  await api?.close();
  await db?.$disconnect();
});

const DOMAIN_SCHEMAS: Record<OpsActionName, z.ZodType> = {
  'receive-requirement': actions.ReceiveRequirementSchema,
  'waive-requirement': actions.WaiveRequirementSchema,
  'add-requirement': actions.AddRequirementSchema,
  review: actions.ReviewSchema,
  'review-requirement': actions.ReviewRequirementSchema,
  'vendor-status': actions.VendorStatusSchema,
  decision: actions.CarrierDecisionSchema,
  'offer-response': actions.OfferResponseSchema,
  'record-appointment': actions.RecordAppointmentSchema,
  'recheck-licensing': actions.RecheckLicensingSchema,
  resubmit: actions.ResubmitSchema,
  'review-document': actions.ReviewDocumentSchema,
  withdraw: actions.WithdrawSchema,
  note: actions.NoteSchema,
};

type Schema = OpenAPIV3.SchemaObject;
const resolve = (s: Schema | OpenAPIV3.ReferenceObject): Schema =>
  '$ref' in s ? (doc.components!.schemas![s.$ref.replace('#/components/schemas/', '')] as Schema) : s;
const bodyOf = (path: string): Schema =>
  resolve(((doc.paths[path]!.post!.requestBody as OpenAPIV3.RequestBodyObject).content['application/json']!.schema)!);
const inputJson = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input' }) as Schema;

/**
 * SwaggerParser.validate in a child Node: swagger-parser loads an ESM-only dependency that
 * jest's module runtime cannot require on Node 20. Resolves to '' when valid, else the reason.
 */
function swaggerParserVerdict(document: unknown): Promise<string> {
  const script = `
    const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    try { await SwaggerParser.validate(JSON.parse(text)); } catch (err) { process.stdout.write(err.message || String(err)); }`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: projectRoot });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`swagger-parser did not run: ${err}`))));
    child.stdin.end(JSON.stringify(document));
  });
}

test('the OpenAPI document validates with swagger-parser', async () => {
  expect(doc.openapi).toMatch(/^3\.0\./);
  expect(await swaggerParserVerdict(doc)).toBe('');
  // The check has teeth: a dangling reference is reported.
  const broken = structuredClone(doc);
  delete broken.components!.schemas!.Problem;
  expect(await swaggerParserVerdict(broken)).toMatch(/Problem/);
});

test('it documents the document routes', () => {
  expect(doc.paths['/v1/cases/{caseId}/documents']?.post?.operationId).toBe('uploadDocument');
  expect(doc.paths['/v1/cases/{caseId}/documents']?.get?.operationId).toBe('listDocuments');
  expect(doc.paths['/v1/cases/{caseId}/documents/{documentId}/content']?.get?.operationId).toBe('getDocumentContent');
  expect(Object.keys(doc.paths['/v1/cases/{caseId}/documents']!.post!.responses)).toEqual(expect.arrayContaining(['200', '201', '413', '422']));
});

test('it declares the API-key scheme, required everywhere but the health check', () => {
  expect(doc.components?.securitySchemes).toEqual({
    apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
    bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
  });
  expect(doc.security).toEqual([{ apiKey: [] }, { bearer: [] }]);
  expect(doc.paths['/v1/health']!.get!.security).toEqual([]);
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const op of [item?.get, item?.post].filter((o) => o !== undefined)) {
      if (path !== '/v1/health') expect([path, Object.keys(op.responses)]).toEqual([path, expect.arrayContaining(['401', '403'])]);
    }
  }
});

test('the application body is the domain ApplicationSchema', () => {
  const body = bodyOf('/v1/applications');
  const domain = inputJson(ApplicationSchema);
  expect(Object.keys(body.properties!)).toEqual(Object.keys(domain.properties!));
  expect(body.required).toEqual(domain.required);
  expect(resolve(body.properties!.insured!).properties!.ssn).toEqual(resolve(domain.properties!.insured!).properties!.ssn);
});

test("each action's body is its domain schema without the actor, which the API key supplies", () => {
  for (const action of OPS_ACTION_NAMES) {
    const body = bodyOf(`/v1/cases/{caseId}/actions/${action}`);
    const domain = inputJson(DOMAIN_SCHEMAS[action]);
    const variants = (s: Schema) => (s.oneOf ?? [s]).map((v) => resolve(v));
    const expected = variants(domain).map((v) => Object.keys(v.properties!).filter((k) => k !== 'actor'));
    expect([action, variants(body).map((v) => Object.keys(v.properties!))]).toEqual([action, expected]);
  }
  const vendor = bodyOf('/v1/vendor/requirements/{caseId}/{key}/status');
  expect(Object.keys(vendor.properties!)).toEqual(['status', 'scheduledFor', 'providerOrderNumber', 'note']);
});

test('POSTs document the Idempotency-Key header', () => {
  const params = doc.paths['/v1/applications']!.post!.parameters as OpenAPIV3.ParameterObject[];
  expect(params).toContainEqual(expect.objectContaining({ in: 'header', name: 'idempotency-key', required: false }));
});
