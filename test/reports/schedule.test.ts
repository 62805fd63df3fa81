import { getPipelineReport, sendPendingReportsNow } from '../../client/reports';
import { ensurePendingReportSchedule, PENDING_REPORT_SCHEDULE_ID } from '../../platform/schedules';
import { acrossToday } from '../helpers/calendar';
import { eventually } from '../helpers/eventually';
import { World } from '../helpers/world';
import { DAY_MS, seedBroker, seedCase } from './seed';

/*
 * The Temporal Schedule and the on-demand trigger on the dev server: the Java time-skipping
 * server answers CreateSchedule with "Failed to create schedule".
 */

let world: World;
const BROKER = { npn: '17654321', name: 'Dana Whitfield', email: 'dana@peachtree.example' };

beforeAll(async () => {
  world = await World.create('dev-server');
  const brokerId = await seedBroker(world.db, BROKER);
  await seedCase(world.db, {
    brokerId,
    carrierCode: 'SUMMIT',
    applicationNumber: 'SM-2026-10431',
    insuredName: 'Margaret A. Okafor',
    stage: 'UNDERWRITING',
    faceAmount: 1_500_000,
    receivedAt: new Date(Date.now() - 30 * DAY_MS),
  });
});
afterAll(async () => world?.close());

const describeSchedule = () => world.client.schedule.getHandle(PENDING_REPORT_SCHEDULE_ID).describe();

test('the schedule is created once, left alone when current, and updated when the cron or task queue changes', async () => {
  // Two starts at once: one creates, the other finds it current.
  const both = await Promise.all([ensurePendingReportSchedule(world.client, world.taskQueue), ensurePendingReportSchedule(world.client, world.taskQueue)]);
  expect(both.sort()).toEqual(['created', 'unchanged']);
  expect(await ensurePendingReportSchedule(world.client, world.taskQueue)).toBe('unchanged');

  const created = await describeSchedule();
  expect(created.spec.calendars).toEqual([
    expect.objectContaining({
      minute: [{ start: 0, end: 0, step: 1 }],
      hour: [{ start: 13, end: 13, step: 1 }],
      dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }],
    }),
  ]);
  expect(created.action).toMatchObject({ type: 'startWorkflow', workflowType: 'pendingCaseReportsWorkflow', taskQueue: world.taskQueue, args: [{}] });
  expect(created.info.nextActionTimes[0]?.getUTCDay()).toBe(1);
  expect(created.info.nextActionTimes[0]?.getUTCHours()).toBe(13);

  const handle = world.client.schedule.getHandle(PENDING_REPORT_SCHEDULE_ID);
  await handle.pause('Thanksgiving week: no reports');
  const tuesdays = '30 14 * * TUE';
  expect(await ensurePendingReportSchedule(world.client, world.taskQueue, tuesdays)).toBe('updated');
  expect(await ensurePendingReportSchedule(world.client, world.taskQueue, tuesdays)).toBe('unchanged');
  const updated = await describeSchedule();
  expect(updated.spec.calendars?.[0]).toMatchObject({ minute: [{ start: 30, end: 30, step: 1 }], hour: [{ start: 14, end: 14, step: 1 }] });
  expect(updated.info.nextActionTimes[0]?.getUTCDay()).toBe(2);
  expect(updated.state).toMatchObject({ paused: true, note: 'Thanksgiving week: no reports' });
  await handle.unpause();

  expect(await ensurePendingReportSchedule(world.client, 'bga-other-queue')).toBe('updated');
  expect((await describeSchedule()).action).toMatchObject({ taskQueue: 'bga-other-queue' });
  expect(await ensurePendingReportSchedule(world.client, world.taskQueue)).toBe('updated');
  expect(await ensurePendingReportSchedule(world.client, world.taskQueue)).toBe('unchanged');
});

test('a cron with a # is refused before it reaches Temporal', async () => {
  await expect(ensurePendingReportSchedule(world.client, world.taskQueue, '0 13 * * MON#1')).rejects.toThrow(/without '#'/);
});

test('a scheduled run emails the broker, and the on-demand trigger the same day sends nothing twice', async () => {
  const { result: scheduled, days } = await acrossToday(async () => {
    await world.client.schedule.getHandle(PENDING_REPORT_SCHEDULE_ID).trigger();
    return eventually(async () => {
      const m = world.smtp.to(BROKER.email).find((x) => x.idempotencyKey.startsWith(`pending-report:${BROKER.npn}:`));
      expect(m).toBeDefined();
      return m!;
    });
  });
  const today = scheduled.idempotencyKey.split(':').at(-1)!;
  expect(days).toContain(today);
  expect(scheduled.text).toContain('Margaret A. Okafor: Summit Mutual Life application SM-2026-10431');
  expect(scheduled.text).toContain('Underwriting for 30 days.');

  const now = await sendPendingReportsNow(world.client, world.taskQueue);
  expect(now).toEqual({ weekOf: today, reports: [{ npn: BROKER.npn, status: 'ALREADY_SENT' }] });
  expect(world.smtp.to(BROKER.email)).toHaveLength(1);
  const manual = await world.client.workflow.getHandle(`pending-reports-manual-${today}`).describe();
  expect(manual.status.name).toBe('COMPLETED');
});

test('the pipeline report is there for callers holding only the database', async () => {
  const report = await getPipelineReport(world.db);
  expect(report.open).toEqual({ cases: 1, faceAmount: 1_500_000 });
  expect(report.ageing.find((a) => a.bucket === '16-30')).toEqual({ bucket: '16-30', cases: 1, faceAmount: 1_500_000 });
});
