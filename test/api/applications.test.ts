import type { FastifyInstance } from 'fastify';
import { perform } from '../helpers/actions';
import { startApi } from '../../client/api/server';
import type { ApiKey } from '../../client/api/keys';
import { caseIdFor, type FieldError } from '../../domain/application';
import { exampleApplication } from '../helpers/applications';
import { eventually } from '../helpers/eventually';
import { apiCall, type Reply } from '../helpers/http';
import { World } from '../helpers/world';

const OPS: ApiKey = { name: 'ops-desk', key: 'ops-desk-secret-0123456789abcdef', role: 'ops' };
const PORTAL: ApiKey = { name: 'summit-eapp', key: 'summit-eapp-secret-0123456789abcd', role: 'ops' };
const UI = 'http://temporal-ui.example:8233';

let world: World;
let api: FastifyInstance;

const start = () => startApi({ client: world.client, taskQueue: world.taskQueue, db: world.db, keys: [OPS, PORTAL], uiUrl: UI }, { port: 0 });

beforeAll(async () => {
  world = await World.create('dev-server');
  api = await start();
});
afterAll(async () => {
  await api?.close();
  await world?.close();
});

const call = apiCall;

function submit(body: unknown, opts: { as?: ApiKey; idempotencyKey?: string; server?: FastifyInstance } = {}): Promise<Reply> {
  const headers: Record<string, string> = opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {};
  return call(opts.server ?? api, 'POST', '/v1/applications', { key: (opts.as ?? OPS).key, headers, body });
}

const started = async (caseId: string) => world.handle(caseId).describe().then(() => true, () => false);

async function nothingStarted(caseId: string): Promise<void> {
  expect(await started(caseId)).toBe(false);
  expect(await world.db.case.count({ where: { id: caseId } })).toBe(0);
  expect(world.smtp.messages.some((m) => m.idempotencyKey.startsWith(caseId))).toBe(false);
}

const withdraw = (caseId: string) => perform(world.handle(caseId), 'withdraw', { actor: 'test', reason: 'test done' });

test('a valid application starts its case and answers 201 with the case ID and links', async () => {
  const app = exampleApplication('summit-wl-clean');
  const res = await submit(app);
  expect(res.status).toBe(201);
  const caseId = caseIdFor('SUMMIT', app.applicationNumber);
  expect(res.body).toEqual({
    caseId,
    runId: expect.any(String),
    links: { self: `/v1/cases/${caseId}`, temporalUi: `${UI}/namespaces/default/workflows/${caseId}` },
  });
  expect(await started(caseId)).toBe(true);
  await withdraw(caseId);
});

test('the same application twice: 409 with the existing case ID, and still one case', async () => {
  const app = exampleApplication('summit-wl-clean');
  const first = await submit(app);
  const again = await submit(app);
  expect(again.status).toBe(409);
  const { caseId } = first.body;
  expect(again.body).toMatchObject({ error: 'already_submitted', caseId, links: { self: `/v1/cases/${caseId}` } });
  expect(again.body.message).toContain(caseId);
  const runs: string[] = [];
  for await (const wf of world.client.workflow.list({ query: `WorkflowId = '${caseId}'` })) runs.push(wf.runId);
  expect(runs).toEqual([first.body.runId]);
  await withdraw(caseId);
});

test('a package that fails the schema: 422 with every bad field, and nothing is started', async () => {
  const app = exampleApplication('summit-wl-clean', (a) => {
    (a.insured as { ssn: string }).ssn = '000-12-3456';
    a.insured.firstName = '';
    a.product.faceAmount = 'lots' as unknown as number;
  });
  const res = await submit(app);
  expect(res.status).toBe(422);
  expect(res.body.error).toBe('invalid_application');
  const errors: FieldError[] = res.body.errors;
  expect(errors.map((e) => e.field)).toEqual(expect.arrayContaining(['insured.ssn', 'insured.firstName', 'product.faceAmount']));
  expect(errors.find((e) => e.field === 'insured.ssn')?.message).toMatch(/not a valid SSN/);
  await nothingStarted(caseIdFor('SUMMIT', app.applicationNumber));
});

test("a package that fails the carrier's rules: 422 in the same shape, and nothing is started", async () => {
  const app = exampleApplication('summit-wl-clean', (a) => {
    a.carrier = 'NOSUCH';
  });
  const res = await submit(app);
  expect(res.status).toBe(422);
  expect(res.body).toMatchObject({ error: 'invalid_application', errors: [{ field: 'carrier', message: expect.stringContaining('NOSUCH') }] });
  await nothingStarted(caseIdFor('NOSUCH', app.applicationNumber));
});

test('a body that is not JSON is refused with 400', async () => {
  const res = await call(api, 'POST', '/v1/applications', { key: OPS.key, raw: '{"applicationNumber": ' });
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ error: 'bad_request' });
});

describe('Idempotency-Key', () => {
  test('a replay returns the first answer, also after a restart, and starts no second case', async () => {
    const app = exampleApplication('summit-wl-clean');
    const key = `submit-${app.applicationNumber}`;
    const first = await submit(app, { idempotencyKey: key });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const replay = await submit(app, { idempotencyKey: key });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    // A new server process reads the same table.
    const restarted = await start();
    const afterRestart = await submit(app, { idempotencyKey: key, server: restarted });
    await restarted.close();
    expect([afterRestart.status, afterRestart.body]).toEqual([201, first.body]);

    const { caseId, runId } = first.body;
    expect((await world.handle(caseId).describe()).runId).toBe(runId);
    expect(await world.db.apiIdempotency.count({ where: { id: `${OPS.name}:${key}` } })).toBe(1);
    await withdraw(caseId);
  });

  test('the same key with a different body is refused with 422 and the second application is not started', async () => {
    const app = exampleApplication('summit-wl-clean');
    const other = exampleApplication('summit-wl-clean');
    const key = `submit-${app.applicationNumber}`;
    expect((await submit(app, { idempotencyKey: key })).status).toBe(201);
    const reused = await submit(other, { idempotencyKey: key });
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ error: 'idempotency_key_reused' });
    await nothingStarted(caseIdFor('SUMMIT', other.applicationNumber));
    await withdraw(caseIdFor('SUMMIT', app.applicationNumber));
  });

  test('keys are scoped to the API key: another caller using the same Idempotency-Key is a new request', async () => {
    const mine = exampleApplication('summit-wl-clean');
    const theirs = exampleApplication('summit-wl-clean');
    const key = `shared-${mine.applicationNumber}`;
    expect((await submit(mine, { idempotencyKey: key })).status).toBe(201);
    const res = await submit(theirs, { idempotencyKey: key, as: PORTAL });
    expect(res.status).toBe(201);
    expect(res.body.caseId).toBe(caseIdFor('SUMMIT', theirs.applicationNumber));
    await withdraw(caseIdFor('SUMMIT', mine.applicationNumber));
    await withdraw(caseIdFor('SUMMIT', theirs.applicationNumber));
  });

  test('two copies sent at once act once: the other is a replay or told to retry, never a duplicate', async () => {
    const app = exampleApplication('summit-wl-clean');
    const key = `race-${app.applicationNumber}`;
    const results = await Promise.all([submit(app, { idempotencyKey: key }), submit(app, { idempotencyKey: key })]);
    const winner = results.find((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null);
    expect(winner).toBeDefined();
    const other = results.find((r) => r !== winner)!;
    if (other.status === 201) expect(other.body).toEqual(winner!.body);
    else expect([other.status, other.body.error]).toEqual([409, 'idempotency_key_in_use']);
    await withdraw(caseIdFor('SUMMIT', app.applicationNumber));
  });

  test('a request refused by the schema is not remembered: the corrected body may use the same key', async () => {
    const app = exampleApplication('summit-wl-clean');
    const key = `fix-${app.applicationNumber}`;
    const bad = await submit({ ...app, signedOn: 'yesterday' }, { idempotencyKey: key });
    expect([bad.status, (bad.body.errors as FieldError[]).map((e) => e.field)]).toEqual([422, ['signedOn']]);
    const good = await submit(app, { idempotencyKey: key });
    expect(good.status).toBe(201);
    await withdraw(good.body.caseId);
  });

  test('an action replayed with its key is applied once', async () => {
    const app = exampleApplication('summit-wl-clean');
    const { caseId } = (await submit(app)).body;
    const note = (idempotencyKey: string) =>
      call(api, 'POST', `/v1/cases/${caseId}/actions/note`, {
        key: OPS.key,
        headers: { 'idempotency-key': idempotencyKey },
        body: { text: 'Called the broker about the APS' },
      });
    const first = await note('note-1');
    expect(first.status).toBe(200);
    const replay = await note('note-1');
    expect([replay.status, replay.body]).toEqual([200, first.body]);
    const state = await world.state(caseId);
    expect(state.recentEvents.filter((e) => e.type === 'NOTE' && e.actor === `api:${OPS.name}`)).toHaveLength(1);
    await withdraw(caseId);
  });

  test('a key past its retention is forgotten by the API, but the case still applies the action once; a restart deletes expired keys', async () => {
    const app = exampleApplication('summit-wl-clean');
    const { caseId } = (await submit(app)).body;
    const note = (idempotencyKey: string) =>
      call(api, 'POST', `/v1/cases/${caseId}/actions/note`, { key: OPS.key, headers: { 'idempotency-key': idempotencyKey }, body: { text: 'Left a message' } });
    const dayAndAHourAgo = new Date(Date.now() - 25 * 3_600_000);
    expect((await note('late-1')).status).toBe(200);
    expect((await note('late-2')).status).toBe(200);
    await world.db.apiIdempotency.updateMany({ where: { id: { in: [`${OPS.name}:late-1`, `${OPS.name}:late-2`] } }, data: { createdAt: dayAndAHourAgo } });

    const late = await note('late-1');
    expect([late.status, late.headers.get('idempotent-replayed')]).toEqual([200, null]);
    // The API ran the work again; the case knew the request ID from the key and added nothing.
    const notes = (await world.state(caseId)).recentEvents.filter((e) => e.type === 'NOTE' && e.description === 'Left a message');
    expect(notes).toHaveLength(2);

    const restarted = await start();
    await eventually(async () => expect(await world.db.apiIdempotency.count({ where: { id: `${OPS.name}:late-2` } })).toBe(0));
    await restarted.close();
    expect(await world.db.apiIdempotency.count({ where: { id: `${OPS.name}:late-1` } })).toBe(1);
    await withdraw(caseId);
  });
});

test('each API key has its own request budget: past it, 429 rate_limited with Retry-After, and nothing is started', async () => {
  const limited = await startApi({ client: world.client, taskQueue: world.taskQueue, db: world.db, keys: [OPS, PORTAL], uiUrl: UI, rateLimitPerMinute: 3 }, { port: 0 });
  try {
    for (let i = 0; i < 3; i++) expect((await call(limited, 'GET', '/v1/cases', { key: OPS.key })).status).toBe(200);
    const app = exampleApplication('summit-wl-clean');
    const refused = await call(limited, 'POST', '/v1/applications', { key: OPS.key, body: app });
    expect(refused).toMatchObject({ status: 429, body: { error: 'rate_limited' } });
    expect(refused.body.message).toContain('"ops-desk"');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    await nothingStarted(caseIdFor('SUMMIT', app.applicationNumber));
    // Another key, and the keyless health check, are unaffected.
    expect((await call(limited, 'GET', '/v1/cases', { key: PORTAL.key })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await call(limited, 'GET', '/v1/health')).status).toBe(200);
  } finally {
    await limited.close();
  }
});
