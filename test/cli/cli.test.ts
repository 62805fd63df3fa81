import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { caseIdFor } from '../../domain/application';
import { exampleApplication } from '../helpers/applications';
import { acrossToday, yearsAhead } from '../helpers/calendar';
import { eventually } from '../helpers/eventually';
import { unpatchedBundleFile } from '../helpers/unpatched-bundle';
import { cliEnv as sharedCliEnv, runBga } from '../helpers/cli';
import { World } from '../helpers/world';

/*
 * The real `bga` binary, one process per command, against this file's dev server,
 * PostgreSQL database and SMTP capture. Spawns cost about a second each, so every test
 * makes the few calls that its behaviour needs.
 */

let world: World;
let dir: string;

beforeAll(async () => {
  world = await World.create('dev-server');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bga-cli-'));
});
afterAll(async () => {
  await world?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const cliEnv = (overrides: Record<string, string | undefined> = {}) => sharedCliEnv(world, { BGA_ACTOR: 'cm:cli-test', ...overrides });
const bga = (args: string[], env = cliEnv()) => runBga(args, env);

function writeFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const app = exampleApplication('summit-wl-clean');
const caseId = caseIdFor('SUMMIT', app.applicationNumber);

test('submit refuses a bad file field by field, exit 2, and starts nothing', async () => {
  const bad = exampleApplication('summit-wl-clean', (a) => {
    (a.insured as { ssn: string }).ssn = '000-12-3456';
    a.insured.firstName = '';
  });
  const run = await bga(['submit', writeFile('bad.yaml', toYaml(bad))]);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.split('\n').map((l) => l.trim());
  expect(lines[0]).toMatch(/^bga: the application is not valid/);
  expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^insured\.ssn: /), expect.stringMatching(/^insured\.firstName: /)]));
  await expect(world.handle(caseIdFor('SUMMIT', bad.applicationNumber)).describe()).rejects.toThrow();
});

test('submit starts the case and prints its Web UI link; the same file again exits 3', async () => {
  await world.licensedBroker(app.broker.npn, 'GA', 'SUMMIT');
  const file = writeFile('okafor.json', JSON.stringify(app));
  const first = await bga(['submit', file]);
  expect(first).toMatchObject({ code: 0, stderr: '' });
  expect(first.stdout).toContain(caseId);
  expect(first.stdout).toContain(`http://localhost:8233/namespaces/default/workflows/${caseId}`);
  expect((await world.handle(caseId).describe()).status.name).toBe('RUNNING');

  const again = await bga(['submit', file]);
  expect(again.code).toBe(3);
  expect(again.stderr).toContain(`already submitted as case ${caseId}`);
});

test('status shows stage, open requirements with whom they wait on, events and emails; --json is pure JSON', async () => {
  const emails = await eventually(async () => {
    const row = await world.db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect(row.stage).toBe('REQUIREMENTS');
    const sent = await world.db.emailMessage.findMany({ where: { caseId, status: 'SENT' }, orderBy: { createdAt: 'asc' } });
    expect(sent.length).toBeGreaterThan(0);
    return sent;
  }, 60_000);

  const human = await bga(['status', caseId]);
  expect(human).toMatchObject({ code: 0, stderr: '' });
  expect(human.stdout).toMatch(/Stage: +REQUIREMENTS for \d+ days?/);
  expect(human.stdout).toContain('NIGO items open: none');
  expect(human.stdout).toMatch(/PARAMED .*ORDERED .*ExamOne .*\d{4}-\d{2}-\d{2} .* 0 /);
  expect(human.stdout).toMatch(/Recent events \(last \d+\):/);
  expect(human.stdout).toContain(emails[0]!.template);
  expect(human.stdout).toContain(emails[0]!.subject.slice(0, 60));

  const json = await bga(['status', caseId, '--json'], cliEnv({ DATABASE_URL: undefined }));
  expect(json.code).toBe(0);
  const parsed = JSON.parse(json.stdout) as { case: { caseId: string; stage: string }; emails: unknown };
  expect(parsed.case).toMatchObject({ caseId, stage: 'REQUIREMENTS' });
  expect(parsed.emails).toBeNull();
});

test('list --carrier shows the case in a table', async () => {
  await eventually(async () => {
    const ids: string[] = [];
    for await (const wf of world.client.workflow.list({ query: `BgaCarrier = 'SUMMIT' AND BgaStage = 'REQUIREMENTS'` })) ids.push(wf.workflowId);
    expect(ids).toContain(caseId);
  });
  const run = await bga(['list', '--carrier', 'summit']);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  expect(run.stdout).toMatch(new RegExp(`${caseId} +│ REQUIREMENTS +│ \\d+ +│ SUMMIT +│ ${app.broker.npn} +│ \\$1,500,000`));
  expect(run.stdout).toContain('1 case.');
});

test('an action records the actor and prints the new state; a refused one exits 2 naming the field', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const received = await bga(['requirement', 'receive', caseId, 'MIBCHECK', '--on', today, '--note', 'MIB clear', '--as', 'cm:pat']);
  expect(received).toMatchObject({ code: 0, stderr: '' });
  expect(received.stdout).toContain('Requirement MIBCHECK received.');
  expect(received.stdout).toContain(`Case ${caseId}`);
  const mib = (await world.state(caseId)).requirements.find((r) => r.key === 'MIBCHECK')!;
  expect(mib).toMatchObject({ status: 'RECEIVED', fulfilledOn: today });
  expect(mib.history.at(-1)).toMatchObject({ status: 'RECEIVED', actor: 'cm:pat', note: 'MIB clear' });

  const refused = await bga(['requirement', 'receive', caseId, 'MIBCHECK']);
  expect(refused.code).toBe(2);
  expect(refused.stdout).toBe('');
  expect(refused.stderr).toMatch(/^bga: .*key: requirement MIBCHECK is already received/);
});

test('broker license and appoint write the contracting records', async () => {
  const npn = app.broker.npn;
  const expires = `${yearsAhead(3)}-06-30`;
  const license = await bga(['broker', 'license', npn, '--state', 'fl', '--number', 'W778812', '--expires', expires]);
  expect(license).toMatchObject({ code: 0, stderr: '' });
  expect(license.stdout).toMatch(new RegExp(`FL +│ W778812 +│ ${expires} +│ active`));

  const appoint = await bga(['broker', 'appoint', npn, '--carrier', 'harbor', '--on', '2026-01-05', '--as', 'cm:pat', '--json']);
  expect(appoint.code).toBe(0);
  const shown = JSON.parse(appoint.stdout) as { appointments: { carrierCode: string; recordedBy: string }[]; openCases: { caseId: string }[] };
  expect(shown.appointments).toEqual(expect.arrayContaining([expect.objectContaining({ carrierCode: 'HARBOR', recordedBy: 'cm:pat' })]));
  expect(shown.openCases).toEqual([expect.objectContaining({ caseId })]);

  const broker = await world.db.broker.findUniqueOrThrow({ where: { npn }, include: { licenses: true, appointments: true } });
  expect(broker.licenses.find((l) => l.state === 'FL')).toMatchObject({ licenseNumber: 'W778812', active: true, expiresOn: new Date(`${expires}T00:00:00Z`) });
  expect(broker.appointments.find((a) => a.carrierCode === 'HARBOR')).toMatchObject({ active: true, recordedBy: 'cm:pat', appointedOn: new Date('2026-01-05T00:00:00Z') });

  // Without --on, the appointment is dated today.
  const newcomer = '99887766';
  expect((await bga(['broker', 'add', newcomer, '--name', 'Lee Newcomer', '--email', 'lee@newcomer.example'])).code).toBe(0);
  const { result: appointed, days } = await acrossToday(() => bga(['broker', 'appoint', newcomer, '--carrier', 'SUMMIT']));
  expect(appointed.code).toBe(0);
  const added = await world.db.broker.findUniqueOrThrow({ where: { npn: newcomer }, include: { appointments: true } });
  expect(added.appointments.map((a) => a.carrierCode)).toEqual(['SUMMIT']);
  expect(days).toContain(added.appointments[0]?.appointedOn.toISOString().slice(0, 10));
});

test('a licence for a broker not on file says the command that adds them, and that command does', async () => {
  const npn = '55501234';
  const expires = `${yearsAhead(2)}-03-31`;
  const args = ['broker', 'license', npn, '--state', 'GA', '--number', 'GA-5550', '--expires', expires];
  const missing = await bga(args);
  expect(missing.code).toBe(4);
  expect(missing.stderr).toContain(`No broker with NPN ${npn} is on file. Add them in the same command:\n  bga broker license ${npn} --state GA --number GA-5550 --expires ${expires} --name "…" --email …`);
  expect(await world.db.broker.count({ where: { npn } })).toBe(0);

  expect((await bga([...args, '--name', 'Lee Newcomer'])).stderr).toBe(`bga: --email: must be given with --name to add broker ${npn}, who is not on file\n`);
  expect(await world.db.broker.count({ where: { npn } })).toBe(0);

  const added = await bga([...args, '--name', 'Lee Newcomer', '--email', 'lee@newcomer.example']);
  expect(added).toMatchObject({ code: 0, stderr: '' });
  const broker = await world.db.broker.findUniqueOrThrow({ where: { npn }, include: { licenses: true } });
  expect([broker.name, broker.email, broker.licenses.map((l) => l.state)]).toEqual(['Lee Newcomer', 'lee@newcomer.example', ['GA']]);
});

test('an unknown case exits 4', async () => {
  const run = await bga(['status', 'case-summit-no-such-app']);
  expect(run.code).toBe(4);
  expect(run.stderr).toContain('bga: No case case-summit-no-such-app');
});

test('an unreachable Temporal server exits 5 and names the address tried', async () => {
  const run = await bga(['list'], cliEnv({ TEMPORAL_ADDRESS: '127.0.0.1:1' }));
  expect(run.code).toBe(5);
  expect(run.stderr).toMatch(/^bga: Cannot reach Temporal at 127\.0\.0\.1:1/);
});

test('check-replay: a healthy system replays; a release changed without patched() is refused with exit 6, naming the case', async () => {
  const { caseId } = await world.submit(exampleApplication('summit-wl-clean'));
  await eventually(async () => expect((await world.state(caseId))?.stage).toBe('REQUIREMENTS'));
  const released = cliEnv({ WORKFLOW_BUNDLE_PATH: process.env.BGA_TEST_WORKFLOW_BUNDLE });
  const all = await bga(['check-replay', '--all', '--json'], released);
  expect(all.code).toBe(0);
  const healthy = JSON.parse(all.stdout) as { checked: number; failures: unknown[] };
  expect(healthy.checked).toBeGreaterThanOrEqual(1);
  expect(healthy.failures).toEqual([]);
  expect((await bga(['check-replay', caseId], released)).stdout).toContain('All 1 replay against this checkout');

  const unpatched = await unpatchedBundleFile();
  try {
    const refused = await bga(['check-replay', caseId], cliEnv({ WORKFLOW_BUNDLE_PATH: unpatched.file }));
    expect(refused.code).toBe(6);
    expect(refused.stdout).toContain(caseId);
    expect(refused.stderr).toContain("1 of 1 checked do not replay against this checkout's workflow code");
  } finally {
    unpatched.remove();
  }
  expect((await bga(['check-replay'], released)).code).toBe(64);
  expect((await bga(['check-replay', caseId, '--include-closed'], released)).stderr).toContain('--include-closed goes with --all');
}, 120_000);

test('email resend and confirm settle UNCONFIRMED emails by key; an unknown key exits 4, a settled one 2', async () => {
  const row = (key: string) => ({
    idempotencyKey: key,
    template: 'reminder',
    to: 'daniel.reyes@reyesfinancial.example',
    subject: `Reminder ${key}`,
    text: 'Please send the HIPAA form.',
    html: '<p>Please send the HIPAA form.</p>',
    status: 'UNCONFIRMED',
    messageId: `<${key}@bga.mail>`,
  });
  await world.db.emailMessage.createMany({ data: [row('cli-unconfirmed-1'), row('cli-unconfirmed-2')] });
  const resent = await bga(['email', 'resend', 'cli-unconfirmed-1', '--as', 'cm:jordan'], cliEnv({ SMTP_URL: world.smtp.url }));
  expect(resent).toMatchObject({ code: 0, stderr: '' });
  expect(resent.stdout).toContain('is SENT: resent by cm:jordan');
  await eventually(async () => expect(world.smtp.messages.filter((m) => m.idempotencyKey === 'cli-unconfirmed-1')).toHaveLength(1));

  const confirmed = await bga(['email', 'confirm', 'cli-unconfirmed-2', '--note', 'Broker has it', '--json']);
  expect(confirmed.code).toBe(0);
  expect(JSON.parse(confirmed.stdout)).toMatchObject({ status: 'SENT', resolution: 'CONFIRMED', resolvedBy: 'cm:cli-test' });
  expect((await bga(['email', 'confirm', 'cli-unconfirmed-2', '--note', 'again'])).code).toBe(2);
  expect((await bga(['email', 'confirm', 'no-such-key', '--note', 'x'])).code).toBe(4);
  expect((await bga(['email', 'resend', 'cli-unconfirmed-2'])).stderr).toContain('SMTP_URL is not set');
});
