import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { PENDING_REPORT_SCHEDULE_ID } from '../../platform/schedules';
import { projectRoot } from '../../platform/paths';
import { freePort } from '../../platform/ports';
import { exampleApplication } from '../helpers/applications';
import { cliEnv } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { unpatchedBundleFile } from '../helpers/unpatched-bundle';
import { World } from '../helpers/world';

/*
 * What production runs instead of `npm start`: `npm run deploy` once per release, then
 * `npm run api` (and `npm run worker`) processes, configured only by the environment.
 */

let world: World;
const children: ChildProcess[] = [];

beforeAll(async () => {
  world = await World.create('dev-server');
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await world?.close();
});

interface Exit {
  code: number | null;
  output: string;
}

function launch(script: string, env: NodeJS.ProcessEnv): { child: ChildProcess; exited: Promise<Exit> } {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(projectRoot, script)], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code) => resolve({ code, output })));
  return { child, exited };
}

const OPS_KEY = 'prod-ops-secret-0123456789abcdefgh';
const apiKeys = JSON.stringify([{ name: 'ops-desk', key: OPS_KEY, role: 'ops' }]);

test('npm run deploy migrates, registers and creates the report schedule, and a second run changes nothing', async () => {
  const first = await launch('scripts/deploy.ts', cliEnv(world, { BGA_PENDING_REPORT_CRON: '0 14 * * TUE', WORKFLOW_BUNDLE_PATH: process.env.BGA_TEST_WORKFLOW_BUNDLE })).exited;
  expect(first.code).toBe(0);
  expect(first.output).toContain('Database schema is up to date');
  expect(first.output).toContain('Pending-case report schedule created');
  expect(first.output).toContain('License expiry watch schedule created');
  const schedule = await world.client.schedule.getHandle(PENDING_REPORT_SCHEDULE_ID).describe();
  expect(schedule.action).toMatchObject({ workflowType: 'pendingCaseReportsWorkflow', taskQueue: world.taskQueue });

  const again = await launch('scripts/deploy.ts', cliEnv(world, { BGA_PENDING_REPORT_CRON: '0 14 * * TUE', WORKFLOW_BUNDLE_PATH: process.env.BGA_TEST_WORKFLOW_BUNDLE })).exited;
  expect(again.code).toBe(0);
  expect(again.output).toContain('Search attributes already registered');
  expect(again.output).toContain('Pending-case report schedule unchanged');
  expect(again.output).toContain('License expiry watch schedule unchanged');
});

test('npm run deploy refuses a release whose workflow code does not replay a running case, before changing anything', async () => {
  const { caseId } = await world.submit(exampleApplication('summit-wl-clean'));
  await eventually(async () => expect((await world.state(caseId))?.stage).toBe('REQUIREMENTS'));
  const unpatched = await unpatchedBundleFile();
  try {
    const refused = await launch('scripts/deploy.ts', cliEnv(world, { WORKFLOW_BUNDLE_PATH: unpatched.file })).exited;
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`does not replay: ${caseId} (applicationWorkflow)`);
    expect(refused.output).toMatch(/\d+ of \d+ running workflows do not replay against this release's workflow code, so it was not deployed and nothing was changed/);
    // Refused before the first step that changes anything.
    expect(refused.output).not.toMatch(/migrations|schema is up to date|search attributes|schedule/i);

    const released = await launch('scripts/deploy.ts', cliEnv(world, { WORKFLOW_BUNDLE_PATH: process.env.BGA_TEST_WORKFLOW_BUNDLE })).exited;
    expect(released.code).toBe(0);
    expect(released.output).toMatch(/Replay check: all [1-9]\d* running workflows replay against this release/);
  } finally {
    unpatched.remove();
    await world.handle(caseId).terminate('test over');
  }
}, 180_000);

test('npm run deploy without DATABASE_URL stops at once and says what is missing', async () => {
  const run = await launch('scripts/deploy.ts', cliEnv(world, { DATABASE_URL: undefined })).exited;
  expect(run.code).toBe(1);
  expect(run.output).toContain('needs DATABASE_URL');
});

test('npm run api refuses to start without BGA_API_KEYS, naming the variable', async () => {
  const run = await launch('client/api/main.ts', cliEnv(world, { BGA_API_PORT: String(await freePort()) })).exited;
  expect(run.code).toBe(1);
  expect(run.output).toContain('BGA_API_KEYS is not set');
});

test('npm run api serves the API from configuration alone and stops cleanly on SIGTERM', async () => {
  const port = await freePort();
  const { child, exited } = launch('client/api/main.ts', cliEnv(world, { BGA_API_PORT: String(port), BGA_API_KEYS: apiKeys }));
  const base = `http://127.0.0.1:${port}/v1`;
  await eventually(async () => expect((await fetch(`${base}/health`)).status).toBe(200), 30_000, 250);

  const app = exampleApplication('summit-wl-clean');
  const submitted = await fetch(`${base}/applications`, {
    method: 'POST',
    headers: { 'x-api-key': OPS_KEY, 'content-type': 'application/json' },
    body: JSON.stringify(app),
  });
  expect(submitted.status).toBe(201);
  const { caseId } = (await submitted.json()) as { caseId: string };
  const read = await eventually(async () => {
    const res = await fetch(`${base}/cases/${caseId}`, { headers: { 'x-api-key': OPS_KEY } });
    expect(res.status).toBe(200);
    return (await res.json()) as { applicationNumber: string };
  });
  expect(read.applicationNumber).toBe(app.applicationNumber);
  expect((await fetch(`${base}/cases/${caseId}`, { headers: { 'x-api-key': 'not-a-key-0123456789abcdefghij' } })).status).toBe(401);

  child.kill('SIGTERM');
  const exit = await exited;
  expect(exit.code).toBe(0);
  expect(exit.output).toContain('API stopped');
  await world.handle(caseId).terminate('test over');
});

test('npm run codec-server refuses to listen beyond loopback without tokens, and with a token asks for it', async () => {
  const open = await launch('client/codec-main.ts', cliEnv(world, { BGA_CODEC_HOST: '0.0.0.0', BGA_CODEC_PORT: String(await freePort()) })).exited;
  expect(open.code).toBe(1);
  expect(open.output).toContain('needs BGA_CODEC_TOKENS');

  const port = await freePort();
  const { child, exited } = launch('client/codec-main.ts', cliEnv(world, { BGA_CODEC_PORT: String(port), BGA_CODEC_TOKENS: 'ui-token-0123456789' }));
  const decode = (authorization?: string) =>
    fetch(`http://127.0.0.1:${port}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ payloads: [] }),
    });
  await eventually(async () => expect((await decode()).status).toBe(401), 30_000, 250);
  expect((await decode('Bearer ui-token-0123456789')).status).toBe(200);
  child.kill('SIGTERM');
  expect((await exited).code).toBe(0);
});
