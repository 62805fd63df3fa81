import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ApiKey } from '../../client/api/keys';
import { startApi } from '../../client/api/server';
import { freePort } from '../../platform/ports';
import { exampleApplication, type ExampleName } from '../helpers/applications';
import { cliEnv, runBga } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { World } from '../helpers/world';

/*
 * `bga status` answered by the HTTP API must print what the direct path (Temporal and
 * PostgreSQL) prints for the same case. The API run gets an unreachable Temporal and no
 * database, so only the API can have answered it.
 */

const READ: ApiKey = { name: 'status-reader', key: 'status-reader-secret-0123456789abcdef', role: 'read' };

let world: World;
let api: FastifyInstance;
let apiUrl: string;

beforeAll(async () => {
  world = await World.create('dev-server');
  // The same Web UI base as the CLI's default, so both paths link the case alike.
  api = await startApi({ client: world.client, taskQueue: world.taskQueue, db: world.db, keys: [READ], uiUrl: 'http://localhost:8233' }, { port: 0 });
  apiUrl = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await api?.close();
  await world?.close();
});

const direct = () => cliEnv(world);
const viaApi = () => cliEnv(world, { BGA_API_URL: apiUrl, BGA_API_KEY: READ.key, TEMPORAL_ADDRESS: '127.0.0.1:9', DATABASE_URL: undefined });

/** A new case once intake is done: the same state and emails for two seconds, so both paths read the same case. */
async function settledCase(example: ExampleName): Promise<string> {
  const { caseId } = await world.submit(exampleApplication(example));
  const snapshot = async () => JSON.stringify([await world.state(caseId), await world.db.emailMessage.findMany({ where: { caseId } })]);
  let seen = '';
  await eventually(async () => {
    const now = await snapshot();
    const settled = now === seen;
    seen = now;
    expect(settled).toBe(true);
  }, 30_000, 2_000);
  return caseId;
}

test.each<ExampleName>(['summit-wl-clean', 'harbor-iul-nigo'])('status of the %s case: the API path prints what the direct path prints', async (example) => {
  const caseId = await settledCase(example);
  const [fromTemporal, fromApi] = [await runBga(['status', caseId], direct()), await runBga(['status', caseId], viaApi())];
  expect(fromApi).toEqual(fromTemporal);
  expect(fromApi).toEqual({ code: 0, stdout: expect.stringContaining(`Case ${caseId} — `), stderr: '' });
  expect(fromApi.stdout).toMatch(/^Emails \(\d+\):/m);

  const [jsonTemporal, jsonApi] = [await runBga(['status', caseId, '--json'], direct()), await runBga(['status', '--json', caseId], viaApi())];
  expect({ ...jsonApi, stdout: '' }).toEqual({ code: 0, stdout: '', stderr: '' });
  // The API sends the case's keys in its schema's order, so the JSON is compared as values.
  expect(JSON.parse(jsonApi.stdout)).toEqual(JSON.parse(jsonTemporal.stdout));
  expect(JSON.parse(jsonApi.stdout).emails.length).toBeGreaterThan(0);
});

test('with no BGA_API_URL, the API of the local stack answers, with the read key `npm start` wrote into BGA_DATA_DIR', async () => {
  const caseId = await settledCase('harbor-iul-nigo');
  const expected = await runBga(['status', caseId], direct());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bga-status-api-'));
  try {
    fs.writeFileSync(path.join(dataDir, 'api-keys.json'), JSON.stringify([READ]));
    const port = String((api.server.address() as AddressInfo).port);
    // No TEMPORAL_ADDRESS: as in the local setup, where the direct path would look for Temporal on localhost:9, which is closed.
    const local = cliEnv(world, { BGA_DATA_DIR: dataDir, BGA_API_PORT: port, TEMPORAL_ADDRESS: undefined, BGA_TEMPORAL_PORT: '9', DATABASE_URL: undefined });
    expect(await runBga(['status', caseId], local)).toEqual(expected);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a case that does not exist: the same message and exit 4 either way', async () => {
  const [fromTemporal, fromApi] = [await runBga(['status', 'case-nobody-0'], direct()), await runBga(['status', 'case-nobody-0'], viaApi())];
  expect(fromApi).toEqual(fromTemporal);
  expect(fromApi).toEqual({ code: 4, stdout: '', stderr: 'bga: No case case-nobody-0. Find case IDs with `bga list`.\n' });
});

test('an API that does not answer, or refuses the key: said on stderr, and the direct path answers', async () => {
  const caseId = await settledCase('harbor-iul-nigo');
  const expected = await runBga(['status', caseId], direct());
  const closed = `http://127.0.0.1:${await freePort()}`;
  const unreachable = await runBga(['status', caseId], cliEnv(world, { BGA_API_URL: closed, BGA_API_KEY: READ.key }));
  expect(unreachable).toEqual({
    ...expected,
    stderr: `bga: the API at ${closed} did not answer (connect ECONNREFUSED ${closed.slice(7)}); reading Temporal and PostgreSQL directly instead.\n`,
  });
  const refused = await runBga(['status', caseId], cliEnv(world, { BGA_API_URL: apiUrl, BGA_API_KEY: 'not-a-key-anyone-was-given-0123456789' }));
  expect(refused).toEqual({ ...expected, stderr: `bga: the API at ${apiUrl} answered 401 unauthorized; reading Temporal and PostgreSQL directly instead.\n` });
});

test('BGA_API_URL without BGA_API_KEY stops bga naming the variable (exit 64)', async () => {
  const run = await runBga(['status', 'case-nobody-0'], cliEnv(world, { BGA_API_URL: apiUrl }));
  expect(run.code).toBe(64);
  expect(run.stderr).toMatch(/BGA_API_KEY: is required when BGA_API_URL is set/);
});
