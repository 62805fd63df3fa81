import type { FastifyInstance } from 'fastify';
import type { ApiKey } from '../../client/api/keys';
import { startApi } from '../../client/api/server';
import type { PipelineReport, Worklist } from '../../client/reports';
import { caseIdFor } from '../../domain/application';
import { exampleApplication } from '../helpers/applications';
import { acrossToday, utcDay } from '../helpers/calendar';
import { eventually } from '../helpers/eventually';
import { apiCall } from '../helpers/http';
import { World } from '../helpers/world';
import { seedContractingRequests } from '../reports/seed';

/* The report routes over a real socket, against this file's dev server, database and SMTP capture. */

const OPS: ApiKey = { name: 'ops-desk', key: 'ops-desk-secret-0123456789abcdef', role: 'ops' };
const EXAMONE: ApiKey = { name: 'examone', key: 'examone-secret-0123456789abcdefgh', role: 'vendor', vendor: 'EXAMONE' };
const READ: ApiKey = { name: 'dashboard', key: 'dashboard-secret-0123456789abcdef', role: 'read' };

let world: World;
let api: FastifyInstance;
const app = exampleApplication('summit-wl-clean');
const caseId = caseIdFor('SUMMIT', app.applicationNumber);

const call = (method: string, path: string, key?: string) => apiCall(api, method, path, key ? { key } : {});

beforeAll(async () => {
  world = await World.create('dev-server');
  api = await startApi(
    { client: world.client, taskQueue: world.taskQueue, db: world.db, keys: [OPS, EXAMONE, READ], uiUrl: 'http://localhost:8233' },
    { port: 0 },
  );
  await world.submit(app);
  // The pipeline report reads PostgreSQL: wait until intake has recorded the case.
  await eventually(async () => expect(await world.db.case.count({ where: { id: caseId } })).toBe(1), 60_000);
  await seedContractingRequests(world.db, caseId);
});

afterAll(async () => {
  await api?.close();
  await world?.close();
});

test('the pipeline report: ops and read keys get it, a vendor key is 403, no key 401', async () => {
  for (const key of [READ.key, OPS.key]) {
    const res = await call('GET', '/v1/reports/pipeline', key);
    expect(res.status).toBe(200);
    const report = res.body as PipelineReport;
    expect(report.open).toEqual({ cases: 1, faceAmount: 1_500_000 });
    expect(report.ageing.map((a) => a.bucket)).toEqual(['0-15', '16-30', '31-45', '46-60', '61-90', '90+']);
    expect(report.nigo).toMatchObject({ received: 1, nigo: 0, rate: 0 });
    expect(report.cycleTimes.receiptToClose).toEqual({ count: 0, medianDays: null, p90Days: null });
    expect(report.daysToAppointment).toEqual([{ carrierCode: 'SUMMIT', appointed: 2, medianDays: 15 }]);
  }
  expect(await call('GET', '/v1/reports/pipeline', EXAMONE.key)).toMatchObject({ status: 403, body: { error: 'forbidden' } });
  expect(await call('GET', '/v1/reports/pipeline')).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
});

test('sending pending reports: read and vendor keys are 403 and nothing starts; an ops key sends and gets each outcome', async () => {
  for (const key of [READ.key, EXAMONE.key]) {
    expect(await call('POST', '/v1/reports/pending', key)).toMatchObject({ status: 403, body: { error: 'forbidden' } });
  }
  await expect(world.handle(`pending-reports-manual-${utcDay()}`).describe()).rejects.toThrow();
  expect(world.smtp.messages.filter((m) => m.idempotencyKey.startsWith('pending-report:'))).toHaveLength(0);

  const { result: sent, days } = await acrossToday(() => call('POST', '/v1/reports/pending', OPS.key));
  expect(sent).toMatchObject({ status: 200, body: { reports: [{ npn: app.broker.npn, status: 'SENT' }] } });
  const today = (sent.body as { weekOf: string }).weekOf;
  expect(days).toContain(today);
  expect(world.smtp.to(app.broker.email).filter((m) => m.idempotencyKey === `pending-report:${app.broker.npn}:${today}`)).toHaveLength(1);
});

test('the worklist: ops and read keys get it, a vendor key is 403; a bad quietDays is 400 naming the field', async () => {
  for (const key of [OPS.key, READ.key]) {
    const res = await call('GET', '/v1/reports/worklist?quietDays=7', key);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ quietDays: 7, emails: [], contractingHolds: [], offersAwaitingAnswer: [], escalatedRequirements: [], quietCases: [] });
    // The submitted case's broker has no licence on file, so intake may have opened a request of its own by now: only the seeded broker's is checked.
    expect((res.body as Worklist).contracting.filter((c) => c.npn === '18765432')).toEqual([
      {
        npn: '18765432',
        brokerName: 'Marcus Bell',
        carrierCode: 'SUMMIT',
        workflowId: 'contracting-18765432-summit',
        stage: 'AT_CARRIER',
        waitingOn: 'CARRIER',
        missing: ['Appointment of Marcus Bell (NPN 18765432) with Summit Mutual, requested 2026-06-10'],
        casesWaiting: 1,
        daysInStage: 3,
      },
    ]);
  }
  expect((await call('GET', '/v1/reports/worklist', EXAMONE.key)).status).toBe(403);
  const bad = await call('GET', '/v1/reports/worklist?quietDays=soon', OPS.key);
  expect(bad).toMatchObject({ status: 400, body: { error: 'invalid_request', errors: [{ field: 'quietDays' }] } });
});

test('the OpenAPI document lists the report routes with their response schemas', async () => {
  const res = await call('GET', '/v1/openapi.json', READ.key);
  expect(res.status).toBe(200);
  const { paths, components } = res.body;
  expect(paths['/v1/reports/pipeline'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/PipelineReport' });
  expect(paths['/v1/reports/pending'].post.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/PendingReportsResult' });
  expect(paths['/v1/reports/worklist'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Worklist' });
  expect(Object.keys(components.schemas.PipelineReport.properties)).toEqual([
    'asOf',
    'open',
    'openByStage',
    'ageing',
    'nigo',
    'cycleTimes',
    'outstandingRequirements',
    'daysToAppointment',
  ]);
  expect(components.schemas.Worklist.properties.contracting.items.required).toEqual([
    'npn',
    'brokerName',
    'carrierCode',
    'workflowId',
    'stage',
    'waitingOn',
    'missing',
    'casesWaiting',
    'daysInStage',
  ]);
});
