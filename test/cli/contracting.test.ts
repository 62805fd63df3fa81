import type { ApiKey } from '../../client/api/keys';
import { startApi } from '../../client/api/server';
import { caseIdFor } from '../../domain/application';
import { contractingView } from '../../client/contracting';
import { contractingWorkflowId } from '../../workflows/contracting-messages';
import { signedPdf } from '../helpers/document-files';
import { exampleApplication } from '../helpers/applications';
import { eventually } from '../helpers/eventually';
import { apiCall } from '../helpers/http';
import { cliEnv, runBga } from '../helpers/cli';
import { World } from '../helpers/world';

/*
 * `bga contracting` as the real binary, and the contracting API, against the dev server: a case
 * for a broker with no licence on file starts contracting within seconds, and status says what
 * is missing and who it waits on.
 */

let world: World;
const app = exampleApplication('summit-wl-clean');
const caseId = caseIdFor('SUMMIT', app.applicationNumber);
const npn = app.broker.npn;
const OPS: ApiKey = { name: 'ops-desk', key: 'ops-desk-secret-0123456789abcdef', role: 'ops' };

beforeAll(async () => {
  world = await World.create('dev-server');
});
afterAll(async () => world?.close());

const bga = (args: string[]) => runBga(args, cliEnv(world));

test('a case for a broker with no licence on file starts contracting at once; bga contracting status says what is missing and who it waits on', async () => {
  await world.submit(app);
  const running = await eventually(async () => {
    const d = await world.client.workflow.getHandle(contractingWorkflowId(npn, 'SUMMIT')).describe();
    expect(d.status.name).toBe('RUNNING');
    return d;
  }, 30_000);
  expect(running.type).toBe('contractingWorkflow');
  // What a manager filters on in the Web UI: the same keys as the cases.
  await eventually(async () => {
    const d = await world.client.workflow.getHandle(contractingWorkflowId(npn, 'SUMMIT')).describe();
    expect(d.searchAttributes).toMatchObject({ BgaStage: ['COLLECTING_PACKET'], BgaBrokerNpn: [npn], BgaCarrier: ['SUMMIT'], BgaWaitingOn: ['BROKER'], BgaOutstandingCount: [5] });
  }, 30_000);
  await eventually(async () => expect(await world.db.contractingRequest.count()).toBe(1), 30_000);

  const status = await bga(['contracting', 'status', npn]);
  expect(status).toMatchObject({ code: 0, stderr: '' });
  expect(status.stdout).toContain(`Contracting: ${app.broker.name} (NPN ${npn}) with Summit Mutual Life — contracting-${npn}-summit`);
  expect(status.stdout).toMatch(/Stage: At producer \(COLLECTING_PACKET\) since \d{4}-\d{2}-\d{2}; waiting on BROKER/);
  expect(status.stdout).toContain('Missing (5)');
  expect(status.stdout).toContain('IRS Form W-9, signed');
  expect(status.stdout).toContain(`Cases waiting: ${caseId} (GA)`);

  const json = JSON.parse((await bga(['contracting', 'status', npn, 'summit', '--json'])).stdout) as { missing: { item: string; waitingOn: string }[] };
  expect(json.missing.map((m) => m.item)).toEqual(['CARRIER_CONTRACT', 'W9', 'EO_CERTIFICATE', 'AML_TRAINING', 'RESIDENT_LICENSE']);

  const list = await bga(['contracting', 'list', '--open']);
  expect(list).toMatchObject({ code: 0 });
  expect(list.stdout).toMatch(new RegExp(`${npn} .*SUMMIT .*COLLECTING_PACKET`));
});

test('bga contracting receive takes an item, and refuses a bad one naming the option', async () => {
  const notDocument = await bga(['contracting', 'receive', npn, 'SUMMIT', 'w9', '--file', 'package.json']);
  expect(notDocument.code).toBe(2);
  expect(notDocument.stderr).toContain('--file: ');
  const ok = await bga(['contracting', 'receive', npn, 'SUMMIT', 'w9', '--file', 'examples/documents/signed-hipaa-authorization.pdf', '--as', 'contracting:lee']);
  expect(ok).toMatchObject({ code: 0, stderr: '' });
  const live = await contractingView(world.client, npn, 'SUMMIT');
  const w9 = live?.state.packet.find((e) => e.item === 'W9')?.file;
  expect(w9).toMatchObject({ fileName: 'signed-hipaa-authorization.pdf', contentType: 'application/pdf' });
  // Kept encrypted in this world's store, under its hash.
  expect((await world.documents.get(w9!.sha256)).equals(signedPdf)).toBe(true);
  expect(ok.stdout).toContain('Missing (4)');
  expect(ok.stdout).toContain('Received: IRS Form W-9, signed');

  const badState = await bga(['contracting', 'receive', npn, 'SUMMIT', 'RESIDENT_LICENSE', '--state', 'Georgia', '--number', 'GA-1', '--expires', '2099-01-31']);
  expect(badState.code).toBe(2);
  expect(badState.stderr).toContain('give its two-letter code, GA');
  const lowLimit = await bga(['contracting', 'receive', npn, 'SUMMIT', 'EO_CERTIFICATE', '--insurer', 'Acme', '--limit', '250000', '--expires', '2099-01-31']);
  expect(lowLimit.code).toBe(2);
  expect(lowLimit.stderr).toMatch(/limit/);
  const unknown = await bga(['contracting', 'status', '55555555', 'SUMMIT']);
  expect(unknown.code).toBe(4);
  expect(unknown.stderr).toContain('No contracting request for NPN 55555555 with SUMMIT');
});

test('the API lists the request, reads it live, and refuses a bad input with the field', async () => {
  const api = await startApi({ client: world.client, taskQueue: world.taskQueue, db: world.db, keys: [OPS], uiUrl: 'http://localhost:8233' }, { port: 0 });
  try {
    const call = (method: string, path: string, body?: unknown) => apiCall(api, method, path, { key: OPS.key, ...(body ? { body } : {}) });
    const list = await call('GET', `/v1/contracting?npn=${npn}`);
    expect(list.status).toBe(200);
    expect((list.body as { contracting: { carrierCode: string }[] }).contracting.map((r) => r.carrierCode)).toEqual(['SUMMIT']);
    const live = await call('GET', `/v1/contracting/${npn}/summit`);
    expect(live.status).toBe(200);
    expect((live.body as { waitingOn: string }).waitingOn).toBe('BROKER');
    const bad = await call('POST', `/v1/contracting/${npn}/SUMMIT/actions/receive-item`, { item: 'AML_TRAINING', completedOn: '2001-01-01' });
    expect(bad.status).toBe(422);
    expect((bad.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['completedOn']);
    expect((await call('GET', '/v1/contracting/55555555/SUMMIT')).status).toBe(404);
  } finally {
    await api.close();
  }
});

test('an appointment recorded with bga broker appoint closes the running contracting request', async () => {
  const run = await bga(['broker', 'appoint', npn, '--carrier', 'SUMMIT', '--as', 'contracting:lee']);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  expect(run.stdout).toContain(`The running contracting request contracting-${npn}-summit was closed.`);
  const result = await world.client.workflow.getHandle(contractingWorkflowId(npn, 'SUMMIT')).result();
  expect(result).toEqual({ stage: 'CANCELLED', reason: expect.stringMatching(/^Appointment on \d{4}-\d{2}-\d{2} recorded outside contracting$/) });
  const status = await bga(['contracting', 'status', npn]);
  expect(status.stdout).toContain('SUMMIT: Cancelled (CANCELLED)');
});
