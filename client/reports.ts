import type { Client } from '@temporalio/client';
import { type PipelineReport, pipelineReport } from '../activities/reports/pipeline';
import { DEFAULT_QUIET_DAYS, type Worklist, worklist } from '../activities/reports/worklist';
import { loadRulesConfig } from '../activities/rules-config';
import type { Db } from '../platform/db';
import type { PendingCaseReportsResult, pendingCaseReportsWorkflow } from '../workflows/reports';

export type { PendingCaseReportsResult, PipelineReport, Worklist };
export { DEFAULT_QUIET_DAYS };

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

/** The case managers' queue as of now; escalation limits come from the current carrier rules. */
export async function getWorklist(db: Db, quietDays = DEFAULT_QUIET_DAYS): Promise<Worklist> {
  return worklist(db, await loadRulesConfig(), new Date(), quietDays);
}
