import { pipelineReport, type PipelineReport } from '../../activities/reports/pipeline';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { DAY_MS, daysBefore, seedBroker, seedCase, seedEvent, seedRequirement, seedVisit } from './seed';

const NOW = new Date('2026-06-15T12:00:00Z');
const ago = (days: number) => daysBefore(NOW, days);
const HOUR_MS = 3_600_000;

let database: TestDatabase;
let report: PipelineReport;

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  const brokerId = await seedBroker(db, { npn: '17654321', name: 'Dana Whitfield', email: 'dana@peachtree.example' });
  const open = (applicationNumber: string, stage: string, receivedDaysAgo: number, faceAmount: number) =>
    seedCase(db, {
      brokerId,
      carrierCode: 'SUMMIT',
      applicationNumber,
      insuredName: `Insured ${applicationNumber}`,
      stage,
      faceAmount,
      receivedAt: ago(receivedDaysAgo),
    });
  const closed = (applicationNumber: string, outcome: string, receivedDaysAgo: number, closedDaysAgo: number) =>
    seedCase(db, {
      brokerId,
      carrierCode: 'HARBOR',
      applicationNumber,
      insuredName: `Insured ${applicationNumber}`,
      stage: 'CLOSED',
      outcome,
      faceAmount: 500_000,
      receivedAt: ago(receivedDaysAgo),
      closedAt: ago(closedDaysAgo),
    });

  // Open cases, each at an ageing boundary: 15 days is still 0-15; 30 days 23 hours is 30 whole days.
  const c1 = await open('A-1001', 'COMPLETENESS_REVIEW', 3, 250_000);
  const c2 = await open('A-1002', 'REQUIREMENTS', 15, 1_000_000);
  const c3 = await open('A-1003', 'REQUIREMENTS', 16, 500_000);
  const c4 = await open('A-1004', 'UNDERWRITING', 30 + 23 / 24, 2_000_000);
  const c5 = await open('A-1005', 'UNDERWRITING', 45, 750_000);
  await open('A-1006', 'LICENSING_HOLD', 60, 100_000);
  await open('A-1007', 'APPROVED', 90, 300_000);
  await open('A-1008', 'PLACEMENT', 91, 1_250_000);
  // Closed cases: receipt to close of 20, 40, 5 and 45 days.
  const c9 = await closed('H-2001', 'PLACED', 120, 100);
  await closed('H-2002', 'DECLINED', 50, 10);
  await closed('H-2003', 'WITHDRAWN', 20, 15);
  const c12 = await closed('H-2004', 'CLOSED_INCOMPLETE', 80, 35);

  // NIGO: three cases in the 90-day window (one found twice), one older case outside it.
  await seedEvent(db, c1, 'NIGO_FOUND', ago(3));
  await seedEvent(db, c1, 'NIGO_FOUND', ago(2));
  await seedEvent(db, c5, 'NIGO_FOUND', ago(45));
  await seedEvent(db, c12, 'NIGO_FOUND', ago(80));
  await seedEvent(db, c9, 'NIGO_FOUND', ago(120));
  await seedEvent(db, c3, 'IN_GOOD_ORDER', ago(16));

  // Finished visits: completeness review 6 h, 2, 3, 4 and 10 days; requirements 10 and 20; underwriting 12.5.
  const visit = (caseId: string, stage: string, enteredDaysAgo: number, lengthMs: number) =>
    seedVisit(db, caseId, stage, ago(enteredDaysAgo), new Date(ago(enteredDaysAgo).getTime() + lengthMs));
  await visit(c1, 'COMPLETENESS_REVIEW', 100, 6 * HOUR_MS);
  await visit(c2, 'COMPLETENESS_REVIEW', 100, 2 * DAY_MS);
  await visit(c3, 'COMPLETENESS_REVIEW', 100, 3 * DAY_MS);
  await visit(c4, 'COMPLETENESS_REVIEW', 100, 4 * DAY_MS);
  await visit(c5, 'COMPLETENESS_REVIEW', 100, 10 * DAY_MS);
  await visit(c3, 'REQUIREMENTS', 80, 10 * DAY_MS);
  await visit(c4, 'REQUIREMENTS', 80, 20 * DAY_MS);
  await visit(c9, 'UNDERWRITING', 110, 12.5 * DAY_MS);
  // Not counted: the stage a case is in now, and the end state.
  await seedVisit(db, c4, 'UNDERWRITING', ago(10), null);
  await seedVisit(db, c9, 'CLOSED', ago(100), ago(100));

  const req = (caseId: string, key: string, status: string, requestedDaysAgo: number, vendorCode?: string) =>
    seedRequirement(db, caseId, {
      key,
      code: key.split(':')[0]!,
      description: key,
      fulfiller: vendorCode === 'APSNOW' ? 'APS_VENDOR' : vendorCode ? 'EXAM_VENDOR' : 'BROKER',
      status,
      requestedAt: ago(requestedDaysAgo),
      ...(vendorCode ? { vendorCode } : {}),
    });
  await req(c3, 'PARAMED', 'ORDERED', 20, 'EXAMONE');
  await req(c3, 'BLOOD', 'SCHEDULED', 12, 'EXAMONE');
  await req(c3, 'URINE', 'SCHEDULED', 12, 'EXAMONE');
  await req(c4, 'PHYSSTMT:dr-ana-ruiz', 'ORDERED', 40, 'APSNOW');
  await req(c5, 'PHYSSTMT:dr-li-chen', 'ORDERED', 25, 'APSNOW');
  await req(c2, 'HIPAA', 'OUTSTANDING', 5);
  await req(c4, 'MIBCHECK', 'OUTSTANDING', 30);
  // Not open: received, waived, cancelled.
  await req(c5, 'PARAMED', 'RECEIVED', 50, 'EXAMONE');
  await req(c5, 'HIPAA', 'WAIVED', 50);
  await req(c9, 'PHYSSTMT:dr-old', 'CANCELLED', 110, 'APSNOW');

  // Contracting: Summit appointed after 10 and 20 days, Harbor after 3 calendar days (opened mid-afternoon); running and declined ones not counted.
  const request = (carrierCode: string, stage: string, openedAt: string, appointedOn: string | null) =>
    db.contractingRequest.create({
      data: {
        id: `contracting-17654321-${carrierCode.toLowerCase()}@${openedAt}`,
        workflowId: `contracting-17654321-${carrierCode.toLowerCase()}`,
        brokerId,
        carrierCode,
        stage,
        waitingOn: stage === 'AT_CARRIER' ? 'CARRIER' : null,
        missing: [],
        caseIds: [],
        openedAt: new Date(openedAt),
        stageEnteredAt: new Date(openedAt),
        appointedOn: appointedOn ? new Date(`${appointedOn}T00:00:00Z`) : null,
        closedAt: stage === 'AT_CARRIER' ? null : new Date(appointedOn ? `${appointedOn}T00:00:00Z` : openedAt),
      },
    });
  await request('SUMMIT', 'APPOINTED', '2026-01-05T00:00:00.000Z', '2026-01-15');
  await request('SUMMIT', 'APPOINTED', '2026-03-01T00:00:00.000Z', '2026-03-21');
  await request('SUMMIT', 'AT_CARRIER', '2026-06-01T00:00:00.000Z', null);
  await request('HARBOR', 'APPOINTED', '2026-06-01T15:00:00.000Z', '2026-06-04');
  await request('HARBOR', 'DECLINED', '2026-02-01T00:00:00.000Z', null);

  report = await pipelineReport(db, NOW);
});

afterAll(async () => database?.drop());

test('median days to appointment per carrier, from the request opening to the appointment date', () => {
  expect(report.daysToAppointment).toEqual([
    // Opened 15:00 on 1 June, appointed 4 June: three calendar days, as the appointment has a date and no time.
    { carrierCode: 'HARBOR', appointed: 1, medianDays: 3 },
    // 10 and 20 days.
    { carrierCode: 'SUMMIT', appointed: 2, medianDays: 15 },
  ]);
});

test('open cases by stage, in pipeline order, with face amount totals', () => {
  expect(report.asOf).toBe('2026-06-15T12:00:00.000Z');
  expect(report.open).toEqual({ cases: 8, faceAmount: 6_150_000 });
  expect(report.openByStage).toEqual([
    { stage: 'COMPLETENESS_REVIEW', cases: 1, faceAmount: 250_000 },
    { stage: 'REQUIREMENTS', cases: 2, faceAmount: 1_500_000 },
    { stage: 'LICENSING_HOLD', cases: 1, faceAmount: 100_000 },
    { stage: 'UNDERWRITING', cases: 2, faceAmount: 2_750_000 },
    { stage: 'OFFER_PENDING', cases: 0, faceAmount: 0 },
    { stage: 'APPROVED', cases: 1, faceAmount: 300_000 },
    { stage: 'PLACEMENT', cases: 1, faceAmount: 1_250_000 },
  ]);
});

test('ageing of open cases by whole days since receipt', () => {
  expect(report.ageing).toEqual([
    { bucket: '0-15', cases: 2, faceAmount: 1_250_000 },
    { bucket: '16-30', cases: 2, faceAmount: 2_500_000 },
    { bucket: '31-45', cases: 1, faceAmount: 750_000 },
    { bucket: '46-60', cases: 1, faceAmount: 100_000 },
    { bucket: '61-90', cases: 1, faceAmount: 300_000 },
    { bucket: '90+', cases: 1, faceAmount: 1_250_000 },
  ]);
});

test('NIGO rate over the cases received in the last 90 days, counting each case once', () => {
  // Received in the window: 7 open (not the one 91 days old) and 3 closed (not the one 120 days old).
  expect(report.nigo).toEqual({ since: '2026-03-17T12:00:00.000Z', received: 10, nigo: 3, rate: 0.3 });
});

test('median and p90 cycle time per stage from finished visits, and receipt to close', () => {
  expect(report.cycleTimes.byStage).toEqual([
    // 0.25, 2, 3, 4, 10: p90 lies 60% of the way from 4 to 10.
    { stage: 'COMPLETENESS_REVIEW', count: 5, medianDays: 3, p90Days: 7.6 },
    { stage: 'REQUIREMENTS', count: 2, medianDays: 15, p90Days: 19 },
    { stage: 'UNDERWRITING', count: 1, medianDays: 12.5, p90Days: 12.5 },
  ]);
  // 5, 20, 40, 45 days: the median is halfway from 20 to 40; p90 is 70% of the way from 40 to 45.
  expect(report.cycleTimes.receiptToClose).toEqual({ count: 4, medianDays: 30, p90Days: 43.5 });
});

test('open requirements by code and by vendor with the oldest open days, largest and longest-waiting first', () => {
  expect(report.outstandingRequirements.byCode).toEqual([
    { code: 'PHYSSTMT', open: 2, oldestOpenDays: 40 },
    { code: 'MIBCHECK', open: 1, oldestOpenDays: 30 },
    { code: 'PARAMED', open: 1, oldestOpenDays: 20 },
    { code: 'BLOOD', open: 1, oldestOpenDays: 12 },
    { code: 'URINE', open: 1, oldestOpenDays: 12 },
    { code: 'HIPAA', open: 1, oldestOpenDays: 5 },
  ]);
  expect(report.outstandingRequirements.byVendor).toEqual([
    { vendorCode: 'EXAMONE', open: 3, oldestOpenDays: 20 },
    { vendorCode: 'APSNOW', open: 2, oldestOpenDays: 40 },
    { vendorCode: null, open: 2, oldestOpenDays: 30 },
  ]);
});

test('an empty pipeline reports zeros and no rates rather than failing', async () => {
  const empty = await createTestDatabase();
  try {
    const r = await pipelineReport(empty.db, NOW);
    expect(r.open).toEqual({ cases: 0, faceAmount: 0 });
    expect(r.nigo).toEqual({ since: '2026-03-17T12:00:00.000Z', received: 0, nigo: 0, rate: null });
    expect(r.cycleTimes).toEqual({ byStage: [], receiptToClose: { count: 0, medianDays: null, p90Days: null } });
    expect(r.outstandingRequirements).toEqual({ byCode: [], byVendor: [] });
    expect(r.daysToAppointment).toEqual([]);
  } finally {
    await empty.drop();
  }
});
