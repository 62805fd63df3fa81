import { type Client, ScheduleAlreadyRunning, type ScheduleDescription, type ScheduleSpec } from '@temporalio/client';

export const PENDING_REPORT_SCHEDULE_ID = 'bga-pending-case-reports';
/** Mondays at 13:00 UTC: morning on the US east coast, before brokers' week gets going. */
export const DEFAULT_PENDING_REPORT_CRON = '0 13 * * MON';

export const LICENSE_EXPIRY_SCHEDULE_ID = 'bga-license-expiry-watch';
/** Every day at 12:00 UTC, so notices reach brokers at the start of their business day. */
export const DEFAULT_LICENSE_EXPIRY_CRON = '0 12 * * *';

export type ScheduleChange = 'created' | 'updated' | 'unchanged';

/** A workflow the product runs on a calendar, with no arguments: each run takes its own date. */
interface ScheduledWorkflow {
  scheduleId: string;
  workflowType: 'pendingCaseReportsWorkflow' | 'licenseExpiryWatchWorkflow';
  /** The server appends the scheduled time, so each run has its own ID. */
  workflowId: string;
  summary: string;
  /** The variable that sets the cron, named in errors. */
  cronVariable: string;
}

const PENDING_REPORTS: ScheduledWorkflow = {
  scheduleId: PENDING_REPORT_SCHEDULE_ID,
  workflowType: 'pendingCaseReportsWorkflow',
  workflowId: 'pending-case-reports',
  summary: 'Weekly pending-case reports to brokers',
  cronVariable: 'BGA_PENDING_REPORT_CRON',
};

const LICENSE_EXPIRY_WATCH: ScheduledWorkflow = {
  scheduleId: LICENSE_EXPIRY_SCHEDULE_ID,
  workflowType: 'licenseExpiryWatchWorkflow',
  workflowId: 'license-expiry-watch',
  summary: 'Daily watch of broker licenses expiring within 30 days',
  cronVariable: 'BGA_LICENSE_EXPIRY_CRON',
};

/*
 * The server compiles a cron string into calendar fields, and describe() returns only those.
 * Temporal keeps the text after '#' as the calendar's comment, so the cron itself rides along
 * there and a later start can tell whether the configured cron changed.
 */
function specFor(cron: string): ScheduleSpec {
  return { cronExpressions: [`${cron} # ${cron}`] };
}

function actionFor(w: ScheduledWorkflow, taskQueue: string) {
  return {
    type: 'startWorkflow' as const,
    workflowType: w.workflowType,
    workflowId: w.workflowId,
    taskQueue,
    // No date: a run caught up after downtime keys its emails by its own date too.
    args: [{}],
    staticSummary: w.summary,
  };
}

function isCurrent(d: ScheduleDescription, w: ScheduledWorkflow, cron: string, taskQueue: string): boolean {
  const comments = (d.spec.calendars ?? []).map((c) => c.comment);
  return (
    comments.length === 1 &&
    comments[0] === cron &&
    d.action.type === 'startWorkflow' &&
    d.action.workflowType === w.workflowType &&
    d.action.taskQueue === taskQueue
  );
}

/**
 * Creates the schedule, or brings an existing one in line with the configured cron and task
 * queue. Safe to call on every start and from two starts at once. A schedule an operator paused
 * stays paused.
 */
async function ensureSchedule(client: Client, w: ScheduledWorkflow, taskQueue: string, cron: string): Promise<ScheduleChange> {
  if (cron.includes('#')) throw new Error(`${w.cronVariable} must be a plain cron expression without '#', got ${JSON.stringify(cron)}`);
  try {
    await client.schedule.create({ scheduleId: w.scheduleId, spec: specFor(cron), action: actionFor(w, taskQueue) });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(w.scheduleId);
  if (isCurrent(await handle.describe(), w, cron, taskQueue)) return 'unchanged';
  await handle.update((previous) => ({ ...previous, spec: specFor(cron), action: actionFor(w, taskQueue) }));
  return 'updated';
}

export const ensurePendingReportSchedule = (client: Client, taskQueue: string, cron: string = DEFAULT_PENDING_REPORT_CRON) =>
  ensureSchedule(client, PENDING_REPORTS, taskQueue, cron);

export const ensureLicenseExpirySchedule = (client: Client, taskQueue: string, cron: string = DEFAULT_LICENSE_EXPIRY_CRON) =>
  ensureSchedule(client, LICENSE_EXPIRY_WATCH, taskQueue, cron);
