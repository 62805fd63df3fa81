import type { FastifyInstance } from 'fastify';
import type { ApiKey } from '../../client/api/keys';
import { startApi } from '../../client/api/server';
import { exampleApplication } from '../helpers/applications';
import { eventually } from '../helpers/eventually';
import { apiCall } from '../helpers/http';
import { World } from '../helpers/world';

/* Brokers' self-service over a real socket, against this file's dev server, database and SMTP capture. */

const OPS: ApiKey = { name: 'ops-desk', key: 'ops-desk-secret-0123456789abcdef', role: 'ops' };
const REYES: ApiKey = { name: 'reyes-financial', key: 'reyes-secret-0123456789abcdefghij', role: 'broker', npn: '17654321' };

let world: World;
let api: FastifyInstance;
let summitCase: string;
let harborCase: string;
const summit = exampleApplication('summit-wl-clean');
const harbor = exampleApplication('harbor-iul-nigo');

const call = (path: string, key?: string, method = 'GET') => apiCall(api, method, path, key ? { key } : {});

beforeAll(async () => {
  world = await World.create('dev-server');
  api = await startApi({ client: world.client, taskQueue: world.taskQueue, db: world.db, keys: [OPS, REYES], uiUrl: 'http://localhost:8233' }, { port: 0 });
  summitCase = (await world.submit(summit)).caseId;
  harborCase = (await world.submit(harbor)).caseId;
  // Visibility lists a new case a moment after it starts, with its broker's NPN; its requirements come once intake has planned them.
  await eventually(async () => {
    const { cases } = (await call('/v1/broker/cases', REYES.key)).body;
    expect(cases).toHaveLength(1);
    expect(cases[0].outstanding.map((o: { description: string }) => o.description)).toEqual(expect.arrayContaining([expect.stringMatching(/^Paramedical exam/)]));
  }, 30_000, 500);
});
afterAll(async () => {
  await api?.close();
  await world?.close();
});

test("a broker key lists its own open cases: what is outstanding, who it waits on, what the client must do, and nothing internal", async () => {
  const { status, body } = await call('/v1/broker/cases', REYES.key);
  expect(status).toBe(200);
  expect(body.npn).toBe('17654321');
  const [c] = body.cases;
  expect(c).toMatchObject({ caseId: summitCase, applicationNumber: summit.applicationNumber, insuredName: 'Margaret A. Okafor', carrierName: 'Summit Mutual Life' });
  const paramed = c.outstanding.find((o: { description: string }) => o.description.startsWith('Paramedical exam'));
  expect(paramed).toMatchObject({ waitingOn: 'CLIENT_AND_EXAMINER', clientAction: expect.stringContaining('Schedule the paramedical exam') });
  expect(c.outstanding.some((o: { waitingOn: string }) => o.waitingOn === 'PHYSICIAN')).toBe(true);
  const text = JSON.stringify(body);
  for (const secret of [summit.insured.ssn, harborCase, 'orders@examone.example', 'EXAMONE-', '"rules"', 'recentEvents']) expect(text).not.toContain(secret);
});

test("a broker key may not see another broker's cases, whether it names them or guesses their IDs", async () => {
  expect((await call('/v1/broker/cases?npn=20456789', REYES.key)).status).toBe(403);
  expect((await call(`/v1/broker/cases/${harborCase}`, REYES.key)).status).toBe(403);
  expect((await call('/v1/broker/cases/case-summit-no-such-app', REYES.key)).status).toBe(403);
  expect((await call(`/v1/broker/cases/${summitCase}`, REYES.key))).toMatchObject({ status: 200, body: { caseId: summitCase } });
});

test('a broker key reads nothing else and changes nothing', async () => {
  expect((await call('/v1/cases', REYES.key)).status).toBe(403);
  expect((await call(`/v1/cases/${summitCase}`, REYES.key)).status).toBe(403);
  expect((await call('/v1/reports/pipeline', REYES.key)).status).toBe(403);
  expect((await call(`/v1/cases/${summitCase}/actions/note`, REYES.key, 'POST')).status).toBe(403);
});

test("ops keys read any broker's view by NPN, including the items not in good order; without an NPN it is 400", async () => {
  const res = await eventually(async () => {
    const r = await call('/v1/broker/cases?npn=20456789', OPS.key);
    expect(r.body.cases).toHaveLength(1);
    return r;
  });
  expect(res.body.cases[0]).toMatchObject({ caseId: harborCase, stage: 'COMPLETENESS_REVIEW' });
  expect(res.body.cases[0].notInGoodOrder).toEqual(expect.arrayContaining(['HIPAA authorization is not dated']));
  expect(await call('/v1/broker/cases', OPS.key)).toMatchObject({ status: 400, body: { errors: [{ field: 'npn' }] } });
});
