import type { PendingCaseReportsResult, PipelineReport } from '../../client/reports';
import { caseIdFor } from '../../domain/application';
import { exampleApplication } from '../helpers/applications';
import { acrossToday } from '../helpers/calendar';
import { eventually } from '../helpers/eventually';
import { cliEnv, runBga } from '../helpers/cli';
import { World } from '../helpers/world';
import { seedContractingRequests } from '../reports/seed';

/*
 * `bga report` as the real binary against this file's dev server, database and SMTP capture,
 * with one case submitted from the shipped clean example.
 */

let world: World;
const app = exampleApplication('summit-wl-clean');
const caseId = caseIdFor('SUMMIT', app.applicationNumber);

beforeAll(async () => {
  world = await World.create('dev-server');
  await world.licensedBroker(app.broker.npn, 'GA', 'SUMMIT');
  await world.submit(app);
  // The report reads PostgreSQL; wait until intake has recorded the case and it has settled in its stage.
  await eventually(async () => {
    expect((await world.db.case.findUniqueOrThrow({ where: { id: caseId } })).stage).toBe('REQUIREMENTS');
  }, 60_000);
  await seedContractingRequests(world.db, caseId);
});

afterAll(async () => world?.close());

/** Only what the CLI should see: this file's servers, and the test worker's payload keys. */
const bga = (args: string[]) => runBga(args, cliEnv(world));

test('report pipeline --json counts the open case in its stage', async () => {
  const run = await bga(['report', 'pipeline', '--json']);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  const report = JSON.parse(run.stdout) as PipelineReport;
  expect(report.open).toEqual({ cases: 1, faceAmount: 1_500_000 });
  expect(report.openByStage.filter((s) => s.cases > 0)).toEqual([{ stage: 'REQUIREMENTS', cases: 1, faceAmount: 1_500_000 }]);
  expect(report.ageing.find((a) => a.bucket === '0-15')).toEqual({ bucket: '0-15', cases: 1, faceAmount: 1_500_000 });
  expect(report.daysToAppointment).toEqual([{ carrierCode: 'SUMMIT', appointed: 2, medianDays: 15 }]);
});

test('report pipeline prints the sections as tables', async () => {
  const run = await bga(['report', 'pipeline']);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  expect(run.stdout).toMatch(/1 open case, \$1,500,000 face amount/);
  expect(run.stdout).toMatch(/REQUIREMENTS +│ 1 +│ \$1,500,000/);
  expect(run.stdout).toMatch(/0-15 +│ 1 +│ \$1,500,000/);
  expect(run.stdout).toContain('NIGO rate: 0.0% (0 of 1 cases received since');
  expect(run.stdout).toMatch(/Receipt → close +│ 0 +│ — +│ —/);
  expect(run.stdout).toMatch(/PHYSSTMT +│ 1 +│ \d+/);
  expect(run.stdout).toMatch(/EXAMONE +│ \d+ +│ \d+/);
  expect(run.stdout).toMatch(/Days to appointment \(contracting request opened → appointed\):\n.*\n│ Carrier +│ Appointed +│ Median days +│\n│ SUMMIT +│ 2 +│ 15\.00 +│/);
});

test('report worklist lists what needs a person, as tables or JSON; a bad --quiet-days is a usage error', async () => {
  const human = await bga(['report', 'worklist']);
  expect(human).toMatchObject({ code: 0, stderr: '' });
  expect(human.stdout).toMatch(/^Worklist as of /);
  expect(human.stdout).toContain('Held for contracting: none');
  expect(human.stdout).toMatch(
    /Contracting under way \(bga contracting status <npn> <carrier>\) \(1\):\n.*\n│ NPN +│ Broker +│ Carrier +│ Stage +│ Waiting on +│ Missing +│ Cases +│ Days +│\n│ 18765432 +│ Marcus Bell +│ SUMMIT +│ At carrier +│ CARRIER +│ Appointment of Marcus Bell \(NPN 18765432\) with Summit Mutual, request… +│ 1 +│ 3 +│/,
  );
  const json = await bga(['report', 'worklist', '--quiet-days', '3', '--json']);
  expect(json.code).toBe(0);
  expect(JSON.parse(json.stdout)).toMatchObject({
    quietDays: 3,
    quietCases: [],
    contracting: [
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
    ],
  });
  expect((await bga(['report', 'worklist', '--quiet-days', '0'])).code).toBe(64);
});

test('report pending needs --send-now (exit 64); with it each broker gets one report a day', async () => {
  const unconfirmed = await bga(['report', 'pending']);
  expect(unconfirmed.code).toBe(64);
  expect(unconfirmed.stderr).toContain('add --send-now');

  const { result: sent, days } = await acrossToday(() => bga(['report', 'pending', '--send-now', '--json']));
  expect(sent).toMatchObject({ code: 0, stderr: '' });
  const result = JSON.parse(sent.stdout) as PendingCaseReportsResult;
  expect(days).toContain(result.weekOf);
  const today = result.weekOf;
  expect(result).toEqual({ weekOf: today, reports: [{ npn: app.broker.npn, status: 'SENT' }] });
  expect(world.smtp.to(app.broker.email).filter((m) => m.idempotencyKey === `pending-report:${app.broker.npn}:${today}`)).toHaveLength(1);

  const again = await bga(['report', 'pending', '--send-now']);
  expect(again).toMatchObject({ code: 0, stderr: '' });
  expect(again.stdout).toMatch(new RegExp(`${app.broker.npn} +│ ALREADY_SENT`));
});
