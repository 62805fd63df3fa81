import type { FastifyInstance } from 'fastify';
import { startApi } from '../../client/api/server';
import type { ApiKey } from '../../client/api/keys';
import { caseIdFor, type FieldError } from '../../domain/application';
import type { CaseRequirement, CaseState } from '../../domain/case';
import { exampleApplication } from '../helpers/applications';
import { eventually } from '../helpers/eventually';
import { apiCall } from '../helpers/http';
import { World } from '../helpers/world';

const OPS: ApiKey = { name: 'ops-desk', key: 'ops-desk-secret-0123456789abcdef', role: 'ops' };
const EXAMONE: ApiKey = { name: 'examone', key: 'examone-secret-0123456789abcdefgh', role: 'vendor', vendor: 'EXAMONE' };
const READ: ApiKey = { name: 'dashboard', key: 'dashboard-secret-0123456789abcdef', role: 'read' };
const WRONG_KEY = 'not-a-key-anyone-was-given-0123456789';

let world: World;
let api: FastifyInstance;
let caseId: string;
let exam: CaseRequirement;
let aps: CaseRequirement;

const call = (method: string, path: string, opts: Parameters<typeof apiCall>[3] = {}) => apiCall(api, method, path, opts);

const emailsFor = (id: string) => world.smtp.messages.filter((m) => m.idempotencyKey.startsWith(id)).length;

/** What any accepted action would move: the event sequence, the update count in history, the emails. */
async function fingerprint(id: string) {
  const history = await world.handle(id).fetchHistory();
  const accepted = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
  const state = await world.state(id);
  return { nextSeq: state.nextSeq, lastActivityAt: state.lastActivityAt, accepted, emails: emailsFor(id) };
}

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  world = await World.create('dev-server');
  api = await startApi(
    { client: world.client, taskQueue: world.taskQueue, db: world.db, keys: [OPS, EXAMONE, READ], uiUrl: 'http://localhost:8233' },
    { port: 0 },
  );
  const res = await call('POST', '/v1/applications', { key: OPS.key, body: exampleApplication('summit-wl-clean') });
  expect(res.status).toBe(201);
  caseId = res.body.caseId;
  // Intake orders the exams and the APS; wait until it has, and its emails have stopped arriving.
  const state = await eventually(async () => {
    const s = await world.state(caseId);
    expect(s?.requirements.filter((r) => r.vendorCode).map((r) => r.status)).toEqual(expect.arrayContaining(['ORDERED']));
    expect(s.requirements.filter((r) => r.vendorCode).every((r) => r.status === 'ORDERED')).toBe(true);
    return s;
  });
  exam = state.requirements.find((r) => r.vendorCode === 'EXAMONE')!;
  aps = state.requirements.find((r) => r.vendorCode === 'APSNOW')!;
  let seen = -1;
  await eventually(async () => {
    const now = emailsFor(caseId);
    const settled = now === seen && now > 0;
    seen = now;
    expect(settled).toBe(true);
  }, 20_000, 1_000);
});
afterAll(async () => {
  await api?.close();
  await world?.close();
});

test('health needs no key; everything else, including the OpenAPI document, does', async () => {
  expect(await call('GET', '/v1/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  const noKey = await call('GET', '/v1/cases');
  expect(noKey).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
  expect(noKey.headers.get('www-authenticate')).toBe('Bearer');
  expect((await call('GET', '/v1/openapi.json')).status).toBe(401);
  expect((await call('GET', '/v1/openapi.json', { key: EXAMONE.key })).status).toBe(200);
});

test('Authorization: Bearer is accepted like x-api-key', async () => {
  expect((await call('GET', `/v1/cases/${caseId}`, { headers: { authorization: `Bearer ${READ.key}` } })).status).toBe(200);
  expect((await call('GET', `/v1/cases/${caseId}`, { headers: { authorization: `Bearer ${WRONG_KEY}` } })).status).toBe(401);
});

test('submitting: no key or a wrong key is 401, read and vendor keys are 403, and nothing is started', async () => {
  for (const [key, status] of [[undefined, 401], [WRONG_KEY, 401], [READ.key, 403], [EXAMONE.key, 403]] as const) {
    const app = exampleApplication('summit-wl-clean');
    const res = await call('POST', '/v1/applications', { ...(key ? { key } : {}), body: app });
    expect(res.status).toBe(status);
    const id = caseIdFor('SUMMIT', app.applicationNumber);
    await expect(world.handle(id).describe()).rejects.toThrow();
    expect(await world.db.case.count({ where: { id } })).toBe(0);
    expect(emailsFor(id)).toBe(0);
  }
});

test('reading: ops and read keys see cases; vendor keys see none, not even a case they work on', async () => {
  for (const key of [OPS.key, READ.key]) {
    const one = await call('GET', `/v1/cases/${caseId}`, { key });
    expect(one.status).toBe(200);
    expect((one.body as CaseState).requirements.map((r) => r.key)).toContain(exam.key);
  }
  await eventually(async () => {
    const list = await call('GET', '/v1/cases?carrier=SUMMIT&outstanding=PHYSSTMT', { key: READ.key });
    expect(list.status).toBe(200);
    expect(list.body.cases.map((c: { caseId: string }) => c.caseId)).toContain(caseId);
  });
  expect((await call('GET', `/v1/cases/${caseId}`, { key: EXAMONE.key })).status).toBe(403);
  expect((await call('GET', '/v1/cases', { key: EXAMONE.key })).status).toBe(403);
  expect(await call('GET', '/v1/cases/case-summit-no-such-app', { key: READ.key })).toMatchObject({ status: 404, body: { error: 'not_found' } });
  const badQuery = await call('GET', '/v1/cases?olderThanDays=soon', { key: READ.key });
  expect(badQuery).toMatchObject({ status: 400, body: { error: 'invalid_request', errors: [{ field: 'olderThanDays' }] } });
});

test('acting without the right key or role is refused and leaves the case as it was', async () => {
  const before = await fingerprint(caseId);
  const note = { text: 'should not be recorded' };
  const status = { status: 'COMPLETED' };
  const attempts: [string, string | undefined, unknown, number][] = [
    [`/v1/cases/${caseId}/actions/note`, undefined, note, 401],
    [`/v1/cases/${caseId}/actions/note`, WRONG_KEY, note, 401],
    [`/v1/cases/${caseId}/actions/note`, READ.key, note, 403],
    [`/v1/cases/${caseId}/actions/note`, EXAMONE.key, note, 403],
    [`/v1/cases/${caseId}/actions/receive-requirement`, EXAMONE.key, { key: exam.key }, 403],
    [`/v1/cases/${caseId}/actions/vendor-status`, EXAMONE.key, { key: exam.key, ...status }, 403],
    [`/v1/cases/${caseId}/actions/withdraw`, READ.key, { reason: 'not allowed' }, 403],
    [`/v1/vendor/requirements/${caseId}/${exam.key}/status`, undefined, status, 401],
    [`/v1/vendor/requirements/${caseId}/${exam.key}/status`, WRONG_KEY, status, 401],
    [`/v1/vendor/requirements/${caseId}/${exam.key}/status`, READ.key, status, 403],
  ];
  for (const [path, key, body, expected] of attempts) {
    const res = await call('POST', path, { ...(key ? { key } : {}), body });
    expect([path, key, res.status]).toEqual([path, key, expected]);
  }
  expect(await fingerprint(caseId)).toEqual(before);
});

test("a vendor key on another vendor's order, or a requirement the case lacks, is 403 to read or report, and nothing changes", async () => {
  const before = await fingerprint(caseId);
  const onAps = await call('POST', `/v1/vendor/requirements/${caseId}/${aps.key}/status`, { key: EXAMONE.key, body: { status: 'COMPLETED' } });
  expect(onAps.status).toBe(403);
  expect(onAps.body.message).toContain('EXAMONE');
  const unknown = await call('POST', `/v1/vendor/requirements/${caseId}/NO-SUCH-REQ/status`, { key: EXAMONE.key, body: { status: 'COMPLETED' } });
  expect(unknown.status).toBe(403);
  expect((await call('GET', `/v1/vendor/requirements/${caseId}/${aps.key}`, { key: EXAMONE.key })).status).toBe(403);
  expect((await call('GET', `/v1/vendor/requirements/${caseId}/NO-SUCH-REQ`, { key: EXAMONE.key })).status).toBe(403);
  expect((await call('GET', '/v1/vendor/requirements/case-summit-no-such-app/PARAMED', { key: EXAMONE.key })).status).toBe(403);
  expect((await call('GET', '/v1/vendor/requirements/case-summit-no-such-app/PARAMED', { key: OPS.key })).status).toBe(404);
  expect(await call('GET', `/v1/vendor/requirements/${caseId}/NO-SUCH-REQ`, { key: OPS.key })).toMatchObject({ status: 404, body: { error: 'not_found' } });
  expect((await call('GET', `/v1/vendor/requirements/${caseId}/${exam.key}`, { key: READ.key })).status).toBe(403);
  expect(await fingerprint(caseId)).toEqual(before);
  expect((await world.state(caseId)).requirements.find((r) => r.key === aps.key)?.status).toBe('ORDERED');
});

test('bad bodies are 422 with the fields named, and nothing changes', async () => {
  const before = await fingerprint(caseId);
  const noDate = await call('POST', `/v1/cases/${caseId}/actions/vendor-status`, { key: OPS.key, body: { key: exam.key, status: 'SCHEDULED' } });
  expect(noDate).toMatchObject({ status: 422, body: { error: 'invalid_request', errors: [{ field: 'scheduledFor', message: 'is required when the status is SCHEDULED' }] } });
  const vendorNoDate = await call('POST', `/v1/vendor/requirements/${caseId}/${exam.key}/status`, { key: EXAMONE.key, body: { status: 'SCHEDULED' } });
  expect(vendorNoDate).toMatchObject({ status: 422, body: { errors: [{ field: 'scheduledFor' }] } });
  const waive = await call('POST', `/v1/cases/${caseId}/actions/waive-requirement`, { key: OPS.key, body: { key: exam.key } });
  expect((waive.body.errors as FieldError[]).map((e) => e.field)).toEqual(['reason']);
  const decision = await call('POST', `/v1/cases/${caseId}/actions/decision`, { key: OPS.key, body: { decision: 'MAYBE' } });
  expect([decision.status, (decision.body.errors as FieldError[]).map((e) => e.field)]).toEqual([422, ['decision']]);
  expect(await fingerprint(caseId)).toEqual(before);
});

test('a refused action is 422 action_refused; an unknown case is 404', async () => {
  const refused = await call('POST', `/v1/cases/${caseId}/actions/receive-requirement`, { key: OPS.key, body: { key: 'NOPE' } });
  expect(refused).toMatchObject({ status: 422, body: { error: 'action_refused' } });
  expect(refused.body.message).toContain('no requirement "NOPE"');
  const missing = await call('POST', '/v1/cases/case-summit-no-such-app/actions/note', { key: OPS.key, body: { text: 'hello' } });
  expect(missing).toMatchObject({ status: 404, body: { error: 'not_found', caseId: 'case-summit-no-such-app' } });
});

test("a vendor reports on and reads its own order, sees nothing else of the case, and is recorded under its key's name", async () => {
  const when = tomorrow();
  const scheduled = await call('POST', `/v1/vendor/requirements/${caseId}/${exam.key}/status`, {
    key: EXAMONE.key,
    body: { status: 'SCHEDULED', scheduledFor: when, providerOrderNumber: 'EO-778812', actor: 'someone-else' },
  });
  expect(scheduled.status).toBe(200);
  expect(Object.keys(scheduled.body).sort()).toEqual(['applicationNumber', 'carrierCode', 'caseId', 'caseOpen', 'requirement']);
  expect(scheduled.body).toMatchObject({ caseId, caseOpen: true, requirement: { key: exam.key, status: 'SCHEDULED', scheduledFor: when, providerOrderNumber: 'EO-778812' } });
  expect(scheduled.body.requirement.history.map((h: { status: string }) => h.status)).toEqual(['OUTSTANDING', 'ORDERED', 'SCHEDULED']);
  const state = await world.state(caseId);
  const seen = JSON.stringify(scheduled.body);
  for (const secret of [state.insuredName, state.broker.email, state.broker.npn, aps.key, 'api:examone']) expect(seen).not.toContain(secret);
  expect(state.requirements.find((r) => r.key === exam.key)?.history.at(-1)?.actor).toBe('api:examone');

  const read = await call('GET', `/v1/vendor/requirements/${caseId}/${exam.key}`, { key: EXAMONE.key });
  expect(read).toMatchObject({ status: 200, body: scheduled.body });

  const completed = await call('POST', `/v1/cases/${caseId}/actions/vendor-status`, { key: OPS.key, body: { key: exam.key, status: 'COMPLETED' } });
  expect(completed.status).toBe(200);
  expect((completed.body as CaseState).requirements.find((r) => r.key === exam.key)?.status).toBe('RECEIVED');
});

test('ops keys may take any action, recorded under the key name whatever the body says', async () => {
  const res = await call('POST', `/v1/cases/${caseId}/actions/note`, { key: OPS.key, body: { actor: 'cm:impostor', text: 'Broker called about the exam' } });
  expect(res.status).toBe(200);
  expect((res.body as CaseState).recentEvents.filter((e) => e.type === 'NOTE').at(-1)).toMatchObject({ actor: 'api:ops-desk', description: 'Broker called about the exam' });
  const withdrawn = await call('POST', `/v1/cases/${caseId}/actions/withdraw`, { key: OPS.key, body: { reason: 'Client bought coverage elsewhere' } });
  expect(withdrawn.status).toBe(200);
  expect((withdrawn.body as CaseState).outcome).toMatchObject({ outcome: 'WITHDRAWN', actor: 'api:ops-desk' });
});

test('an action on a closed case is 422 action_refused, not 404', async () => {
  const late = await call('POST', `/v1/cases/${caseId}/actions/note`, { key: OPS.key, body: { text: 'too late' } });
  expect(late).toMatchObject({ status: 422, body: { error: 'action_refused' } });
  expect((late.body as { message: string }).message).toContain('is closed');
});
