import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec } from '../../platform/codec';
import type { PendingCaseReportsResult, pendingCaseReportsWorkflow } from '../../workflows/reports';
import { TEST_KEY_RING } from '../helpers/keys';
import { World } from '../helpers/world';
import { DAY_MS, seedBroker, seedCase, seedRequirement } from './seed';

/*
 * The weekly pending-case report workflow on the time-skipping server, with the real
 * activities, database and SMTP: what each broker receives, and that nothing goes twice.
 */

let world: World;
const ago = (days: number) => new Date(Date.now() - days * DAY_MS - 3_600_000);

const DANA = { npn: '17654321', name: 'Dana Whitfield & <Associates>', email: 'dana@peachtree.example' };
const MARCUS = { npn: '20448813', name: 'Marcus Bell', email: 'marcus@bellrisk.example' };
const RETIRED = { npn: '30551177', name: 'Ruth Ames', email: 'ruth@ames.example' };
const BROKEN = { npn: '41236690', name: 'Typo Agency', email: 'no' };

beforeAll(async () => {
  world = await World.create('time-skipping');
  const db = world.db;
  const dana = await seedBroker(db, DANA);
  const marcus = await seedBroker(db, MARCUS);
  const retired = await seedBroker(db, RETIRED);
  const broken = await seedBroker(db, BROKEN);

  const summit = await seedCase(db, {
    brokerId: dana,
    carrierCode: 'SUMMIT',
    applicationNumber: 'SM-2026-10431',
    insuredName: 'Margaret A. Okafor',
    stage: 'REQUIREMENTS',
    faceAmount: 1_500_000,
    receivedAt: ago(20),
    stageEnteredAt: ago(12),
  });
  await seedRequirement(db, summit, {
    key: 'PHYSSTMT:dr-ana-ruiz',
    code: 'PHYSSTMT',
    description: 'Attending physician statement — Dr. Ana Ruiz',
    fulfiller: 'APS_VENDOR',
    vendorCode: 'APSNOW',
    status: 'ORDERED',
    requestedAt: ago(12),
  });
  await seedRequirement(db, summit, {
    code: 'HIPAA',
    description: 'HIPAA authorization, signed',
    fulfiller: 'BROKER',
    status: 'OUTSTANDING',
    requestedAt: ago(12),
  });
  await seedRequirement(db, summit, {
    code: 'PARAMED',
    description: 'Paramedical exam',
    fulfiller: 'EXAM_VENDOR',
    vendorCode: 'EXAMONE',
    status: 'RECEIVED',
    requestedAt: ago(12),
  });
  await seedCase(db, {
    brokerId: dana,
    carrierCode: 'HARBOR',
    applicationNumber: 'HL-77120',
    insuredName: "Renée O'Connor <Trustee>",
    stage: 'COMPLETENESS_REVIEW',
    faceAmount: 750_000,
    receivedAt: ago(3),
  });
  await seedCase(db, {
    brokerId: dana,
    carrierCode: 'SUMMIT',
    applicationNumber: 'SM-2025-99001',
    insuredName: 'Closed Case Insured',
    stage: 'CLOSED',
    outcome: 'PLACED',
    faceAmount: 250_000,
    receivedAt: ago(200),
    closedAt: ago(120),
  });
  await seedCase(db, {
    brokerId: marcus,
    carrierCode: 'HARBOR',
    applicationNumber: 'HL-80311',
    insuredName: 'Walter Pruitt',
    stage: 'UNDERWRITING',
    faceAmount: 2_000_000,
    receivedAt: ago(40),
    stageEnteredAt: ago(5),
  });
  await seedCase(db, {
    brokerId: retired,
    carrierCode: 'SUMMIT',
    applicationNumber: 'SM-2025-88002',
    insuredName: 'Long Gone',
    stage: 'CLOSED',
    outcome: 'WITHDRAWN',
    faceAmount: 100_000,
    receivedAt: ago(300),
    closedAt: ago(250),
  });
  await seedCase(db, {
    brokerId: broken,
    carrierCode: 'SUMMIT',
    applicationNumber: 'SM-2026-10999',
    insuredName: 'Ivy Hart',
    stage: 'APPROVED',
    faceAmount: 400_000,
    receivedAt: ago(60),
    stageEnteredAt: ago(2),
  });
});
afterAll(async () => world?.close());

function runReports(workflowId: string, weekOf?: string): Promise<PendingCaseReportsResult> {
  return world.client.workflow.execute<typeof pendingCaseReportsWorkflow>('pendingCaseReportsWorkflow', {
    workflowId,
    taskQueue: world.taskQueue,
    args: [weekOf ? { weekOf } : {}],
  });
}

test('each broker with open cases gets one report listing their open cases and outstanding items', async () => {
  const result = await runReports('pending-reports-week-1', '2026-11-30');
  expect(result).toEqual({
    weekOf: '2026-11-30',
    reports: [
      { npn: DANA.npn, status: 'SENT' },
      { npn: MARCUS.npn, status: 'SENT' },
      { npn: BROKEN.npn, status: 'FAILED', error: expect.stringContaining('Invalid email request') },
    ],
  });
  expect(world.smtp.messages.map((m) => m.idempotencyKey).sort()).toEqual([
    `pending-report:${DANA.npn}:2026-11-30`,
    `pending-report:${MARCUS.npn}:2026-11-30`,
  ]);

  const [dana] = world.smtp.to(DANA.email);
  expect(dana?.subject).toBe('Pending-case report for the week of Monday, November 30, 2026: 2 open cases');
  expect(dana?.html).toContain('Dear Dana Whitfield &amp; &lt;Associates&gt; (NPN 17654321)');
  expect(dana?.html).toContain('Renée O&#39;Connor &lt;Trustee&gt;');
  expect(dana?.html).not.toContain('<Trustee>');
  expect(dana?.text).toContain("Renée O'Connor <Trustee>: Harbor Life application HL-77120");
  expect(dana?.text).toContain('Margaret A. Okafor: Summit Mutual Life application SM-2026-10431');
  expect(dana?.text).toContain('Requirements for 12 days. Case reference case-summit-sm-2026-10431.');
  expect(dana?.text).toContain('1. Attending physician statement — Dr. Ana Ruiz\n   Status: Ordered\n2. HIPAA authorization, signed\n   Status: Outstanding');
  expect(dana?.html).toContain('<td style="padding:6px 10px;border:1px solid #d9dde3;text-align:left;vertical-align:top;">HIPAA authorization, signed</td>');
  // Received requirements and closed cases are not pending.
  expect(dana?.text).not.toContain('Paramedical exam');
  expect(dana?.text).not.toContain('SM-2025-99001');

  const [marcus] = world.smtp.to(MARCUS.email);
  expect(marcus?.text).toContain('Walter Pruitt: Harbor Life application HL-80311');
  expect(marcus?.text).toContain('Underwriting for 5 days.');
  expect(marcus?.text).not.toContain('Okafor');
  expect(world.smtp.to(RETIRED.email)).toHaveLength(0);

  const stored = await world.db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: `pending-report:${DANA.npn}:2026-11-30` } });
  expect([stored.template, stored.status, stored.caseId]).toEqual(['pending-cases', 'SENT', null]);

  // The event list names each broker's report.
  const history = await world.client.workflow.getHandle('pending-reports-week-1').fetchHistory();
  const encrypted = (history.events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes && e.userMetadata?.summary ? [e.userMetadata.summary] : []));
  const summaries = (await new EncryptionCodec(TEST_KEY_RING).decode(encrypted)).map((p) => defaultPayloadConverter.fromPayload<string>(p));
  expect(summaries).toEqual([
    'List brokers with open cases',
    `Pending-case report to NPN ${DANA.npn}`,
    `Pending-case report to NPN ${MARCUS.npn}`,
    `Pending-case report to NPN ${BROKEN.npn}`,
  ]);
});

test('running the same week again sends no second email', async () => {
  const before = world.smtp.messages.length;
  const result = await runReports('pending-reports-week-1-again', '2026-11-30');
  expect(result.reports.map((r) => [r.npn, r.status])).toEqual([
    [DANA.npn, 'ALREADY_SENT'],
    [MARCUS.npn, 'ALREADY_SENT'],
    [BROKEN.npn, 'FAILED'],
  ]);
  expect(world.smtp.messages.length).toBe(before);
});

test('without weekOf the run is for the date on the workflow clock', async () => {
  // The test server's clock, which has moved past the wall clock by now: each finished run skips time ahead.
  const today = new Date(await world.env.currentTimeMs()).toISOString().slice(0, 10);
  const result = await runReports('pending-reports-today');
  expect(result.weekOf).toBe(today);
  expect(world.smtp.to(DANA.email).map((m) => m.idempotencyKey)).toContain(`pending-report:${DANA.npn}:${today}`);
});

test('a malformed weekOf fails the run before any email', async () => {
  const before = world.smtp.messages.length;
  await expect(runReports('pending-reports-bad', '30/11/2026')).rejects.toThrow(/failed/i);
  expect(world.smtp.messages.length).toBe(before);
});
