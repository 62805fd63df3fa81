import { type Client, ScheduleAlreadyRunning, type ScheduleDescription, type ScheduleOptionsStartWorkflowAction, type ScheduleSpec } from '@temporalio/client';
import type { pendingCaseReportsWorkflow } from '../workflows/reports';

export const PENDING_REPORT_SCHEDULE_ID = 'bga-pending-case-reports';
/** Mondays at 13:00 UTC: morning on the US east coast, before brokers' week gets going. */
export const DEFAULT_PENDING_REPORT_CRON = '0 13 * * MON';

export type ScheduleChange = 'created' | 'updated' | 'unchanged';

type ReportAction = ScheduleOptionsStartWorkflowAction<typeof pendingCaseReportsWorkflow>;

/*
 * The server compiles a cron string into calendar fields, and describe() returns only those.
 * Temporal keeps the text after '#' as the calendar's comment, so the cron itself rides along
 * there and a later start can tell whether the configured cron changed.
 */
function specFor(cron: string): ScheduleSpec {
  return { cronExpressions: [`${cron} # ${cron}`] };
}

function actionFor(taskQueue: string): ReportAction {
  return {
    type: 'startWorkflow',
    workflowType: 'pendingCaseReportsWorkflow',
    // The server appends the scheduled time, so each run has its own ID.
    workflowId: 'pending-case-reports',
    taskQueue,
    // No weekOf: each run takes its own date, so a run caught up after downtime keys its emails by that date too.
    args: [{}],
    staticSummary: 'Weekly pending-case reports to brokers',
  };
}

function isCurrent(d: ScheduleDescription, cron: string, taskQueue: string): boolean {
  const comments = (d.spec.calendars ?? []).map((c) => c.comment);
  return (
    comments.length === 1 &&
    comments[0] === cron &&
    d.action.type === 'startWorkflow' &&
    d.action.workflowType === 'pendingCaseReportsWorkflow' &&
    d.action.taskQueue === taskQueue
  );
}

/**
 * Creates the weekly pending-case report schedule, or brings an existing one in line with the
 * configured cron and task queue. Safe to call on every start and from two starts at once.
 * A schedule an operator paused stays paused.
 */
export async function ensurePendingReportSchedule(
  client: Client,
  taskQueue: string,
  cron: string = DEFAULT_PENDING_REPORT_CRON,
): Promise<ScheduleChange> {
  if (cron.includes('#')) throw new Error(`BGA_PENDING_REPORT_CRON must be a plain cron expression without '#', got ${JSON.stringify(cron)}`);
  try {
    await client.schedule.create({ scheduleId: PENDING_REPORT_SCHEDULE_ID, spec: specFor(cron), action: actionFor(taskQueue) });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(PENDING_REPORT_SCHEDULE_ID);
  if (isCurrent(await handle.describe(), cron, taskQueue)) return 'unchanged';
  await handle.update((previous) => ({ ...previous, spec: specFor(cron), action: actionFor(taskQueue) }));
  return 'updated';
}
