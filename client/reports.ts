import type { Client } from '@temporalio/client';
import { type PipelineReport, pipelineReport } from '../activities/reports/pipeline';
import type { Db } from '../platform/db';
import type { PendingCaseReportsResult, pendingCaseReportsWorkflow } from '../workflows/reports';

export type { PendingCaseReportsResult, PipelineReport };

/**
 * Sends this week's pending-case reports now and waits for the outcome per broker. One run per
 * day: a second call while it runs waits on the same run, and a call after it finished re-runs
 * it harmlessly, since each broker's email is keyed by NPN and date and goes out only once.
 */
export async function sendPendingReportsNow(client: Client, taskQueue: string): Promise<PendingCaseReportsResult> {
  const today = new Date().toISOString().slice(0, 10);
  return client.workflow.execute<typeof pendingCaseReportsWorkflow>('pendingCaseReportsWorkflow', {
    workflowId: `pending-reports-manual-${today}`,
    taskQueue,
    // Pinned to the ID's date, so a run that crosses midnight still names the day it was asked for.
    args: [{ weekOf: today }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: 'Pending-case reports to brokers, sent on demand',
  });
}

/** The manager's pipeline report as of now. */
export function getPipelineReport(db: Db): Promise<PipelineReport> {
  return pipelineReport(db, new Date());
}
