import type { Prisma } from '../../prisma/generated/client';
import { loadRulesConfig } from '../../activities/rules-config';
import { type Worklist, worklist } from '../../activities/reports/worklist';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { daysBefore, seedBroker, seedCase, seedRequirement } from './seed';

const NOW = new Date('2026-06-15T12:00:00Z');
const ago = (days: number) => daysBefore(NOW, days);

let database: TestDatabase;
let list: Worklist;

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  const brokerId = await seedBroker(db, { npn: '17654321', name: 'Dana Whitfield', email: 'dana@peachtree.example' });
  const seed = (applicationNumber: string, carrierCode: 'SUMMIT' | 'HARBOR', stage: string, stageDaysAgo: number, lastActivityDaysAgo = stageDaysAgo) =>
    seedCase(db, {
      brokerId,
      carrierCode,
      applicationNumber,
      insuredName: `Insured ${applicationNumber}`,
      stage,
      faceAmount: 500_000,
      receivedAt: ago(stageDaysAgo + 10),
      stageEnteredAt: ago(stageDaysAgo),
      ...(stage === 'CLOSED' ? { closedAt: ago(stageDaysAgo), outcome: 'WITHDRAWN' } : {}),
    }).then(async (id) => {
      await db.case.update({ where: { id }, data: { lastActivityAt: ago(lastActivityDaysAgo) } });
      return id;
    });
  const chased = async (caseId: string, key: string, followUpCount: number, vendorCode?: string, status = 'ORDERED') => {
    await seedRequirement(db, caseId, {
      key,
      code: key.split(':')[0]!,
      description: `Requirement ${key}`,
      fulfiller: vendorCode ? 'APS_VENDOR' : 'BROKER',
      status,
      requestedAt: ago(30),
      ...(vendorCode ? { vendorCode } : {}),
    });
    await db.requirement.update({ where: { caseId_key: { caseId, key } }, data: { followUpCount } });
  };

  await seed('HOLD-1', 'SUMMIT', 'LICENSING_HOLD', 4);
  await seed('OFFER-1', 'HARBOR', 'OFFER_PENDING', 2);
  const quiet = await seed('QUIET-1', 'SUMMIT', 'UNDERWRITING', 40, 20);
  await seed('BUSY-1', 'SUMMIT', 'UNDERWRITING', 40, 13);
  const summit = await seed('REQ-1', 'SUMMIT', 'REQUIREMENTS', 1);
  const harbor = await seed('REQ-2', 'HARBOR', 'REQUIREMENTS', 1);
  const closed = await seed('DONE-1', 'SUMMIT', 'CLOSED', 50);

  // Summit allows 3 vendor follow-ups and 3 broker reminders; Harbor 2 of each (config/rules.json).
  await chased(summit, 'PHYSSTMT:dr-a', 3, 'APSNOW');
  await chased(summit, 'PHYSSTMT:dr-b', 2, 'APSNOW');
  await chased(summit, 'HIPAA', 3);
  await chased(summit, 'AGENTRPT', 5, undefined, 'RECEIVED');
  await chased(harbor, 'PARAMED', 2, 'APPS');
  await chased(closed, 'PHYSSTMT:dr-c', 9, 'APSNOW');

  const email = (idempotencyKey: string, status: string, caseId: string | null, createdAt?: Date) =>
    db.emailMessage.create({
      data: { idempotencyKey, caseId, template: 'reminder', to: 'dana@peachtree.example', subject: `Subject ${idempotencyKey}`, text: 't', html: 'h', status, messageId: `<${idempotencyKey}@bga>`, attempts: 1, ...(createdAt ? { createdAt } : {}) },
    });
  await email('k-stalled', 'PENDING', quiet, new Date(NOW.getTime() - 61 * 60_000));
  await email('k-unconfirmed', 'UNCONFIRMED', quiet);
  await email('k-failed', 'FAILED', null);
  await email('k-sent', 'SENT', quiet);
  await email('k-pending', 'PENDING', quiet);

  // Contracting requests as syncContracting mirrors them: two running, one appointed (closed, so not listed).
  const marcus = await seedBroker(db, { npn: '18765432', name: 'Marcus Bell', email: 'marcus@peachtree.example' });
  const request = (carrierCode: string, stage: string, openedDaysAgo: number, stageDaysAgo: number, more: Partial<Prisma.ContractingRequestUncheckedCreateInput>) => {
    const workflowId = `contracting-18765432-${carrierCode.toLowerCase()}`;
    return db.contractingRequest.create({
      data: { id: `${workflowId}@${ago(openedDaysAgo).toISOString()}`, workflowId, brokerId: marcus, carrierCode, stage, missing: [], caseIds: [], openedAt: ago(openedDaysAgo), stageEnteredAt: ago(stageDaysAgo), ...more },
    });
  };
  await request('SUMMIT', 'AT_CARRIER', 12, 5, {
    waitingOn: 'CARRIER',
    missing: [{ item: 'APPOINTMENT', description: 'Appointment of Marcus Bell (NPN 18765432) with Summit Mutual, requested 2026-06-10', waitingOn: 'CARRIER' }],
    caseIds: [summit, quiet],
  });
  await request('HARBOR', 'COLLECTING_PACKET', 9, 9, {
    waitingOn: 'BROKER',
    missing: [
      { item: 'EO_CERTIFICATE', description: 'E&O certificate', waitingOn: 'BROKER', problem: 'limit below $1,000,000' },
      { item: 'AML_TRAINING', description: 'AML training certificate', waitingOn: 'BROKER' },
    ],
  });
  await request('ATLAS', 'APPOINTED', 40, 30, { appointedOn: new Date('2026-05-16T00:00:00Z'), closedAt: ago(30) });

  list = await worklist(db, await loadRulesConfig(), NOW, 14);
});
afterAll(async () => database?.drop());

test('emails a person must check: unconfirmed, failing, and pending for over an hour (stalled); not sent or freshly pending ones', () => {
  expect(list.emails.map((e) => [e.subject, e.status])).toEqual([
    ['Subject k-stalled', 'STALLED'],
    ['Subject k-unconfirmed', 'UNCONFIRMED'],
    ['Subject k-failed', 'FAILED'],
  ]);
});

test('cases held for contracting and counter-offers awaiting an answer, with days in that stage', () => {
  expect(list.contractingHolds.map((c) => [c.applicationNumber, c.daysInStage, c.brokerName])).toEqual([['HOLD-1', 4, 'Dana Whitfield']]);
  expect(list.offersAwaitingAnswer.map((c) => [c.applicationNumber, c.daysInStage])).toEqual([['OFFER-1', 2]]);
});

test("requirements chased as often as their carrier allows, still open, on open cases only", () => {
  expect(list.escalatedRequirements.map((r) => [r.key, r.waitingOn, r.followUps]).sort()).toEqual([
    ['HIPAA', 'BROKER', 3],
    ['PARAMED', 'APPS', 2],
    ['PHYSSTMT:dr-a', 'APSNOW', 3],
  ]);
  expect(list.escalatedRequirements.every((r) => r.daysOpen === 30)).toBe(true);
});

test('open cases quiet for the given number of days or more, oldest first; closed ones are not', () => {
  expect(list.quietCases.map((c) => [c.applicationNumber, c.daysSinceActivity])).toEqual([['QUIET-1', 20]]);
});

test('contracting requests still running, the longest in their stage first, with what is missing and the cases waiting; ended ones are not', () => {
  expect(list.contracting).toEqual([
    {
      npn: '18765432',
      brokerName: 'Marcus Bell',
      carrierCode: 'HARBOR',
      workflowId: 'contracting-18765432-harbor',
      stage: 'COLLECTING_PACKET',
      waitingOn: 'BROKER',
      missing: ['E&O certificate', 'AML training certificate'],
      casesWaiting: 0,
      daysInStage: 9,
    },
    {
      npn: '18765432',
      brokerName: 'Marcus Bell',
      carrierCode: 'SUMMIT',
      workflowId: 'contracting-18765432-summit',
      stage: 'AT_CARRIER',
      waitingOn: 'CARRIER',
      missing: ['Appointment of Marcus Bell (NPN 18765432) with Summit Mutual, requested 2026-06-10'],
      casesWaiting: 2,
      daysInStage: 5,
    },
  ]);
});
