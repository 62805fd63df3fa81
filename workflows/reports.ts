import { ActivityFailure, ApplicationFailure, log, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type * as ApplicationSchemas from '../domain/application';
import { deliveryOptions, EMAIL_PERMANENT_ERRORS, recordsOptions } from './activity-options';

type Activities = ReturnType<typeof createActivities>;

const records = proxyActivities<Activities>(recordsOptions);
const delivery = proxyActivities<Activities>(deliveryOptions(['InvalidReportRequest', 'UnknownBroker', ...EMAIL_PERMANENT_ERRORS]));

export interface PendingCaseReportsInput {
  /** YYYY-MM-DD; names the week in the email and its idempotency key. Defaults to today (workflow time, UTC). */
  weekOf?: string;
}

export interface BrokerReportOutcome {
  npn: string;
  status: 'SENT' | 'ALREADY_SENT' | 'UNCONFIRMED' | 'NO_OPEN_CASES' | 'FAILED';
  error?: string;
}

export interface PendingCaseReportsResult {
  weekOf: string;
  reports: BrokerReportOutcome[];
}

/** Emails each broker with open cases their pending-case report; a re-run for the same week sends nothing twice. */
export async function pendingCaseReportsWorkflow(input: PendingCaseReportsInput = {}): Promise<PendingCaseReportsResult> {
  const weekOf = input.weekOf ?? new Date().toISOString().slice(0, 10);
  // Deferred: zod costs every workflow that loads it, and only this one needs it here.
  const { isoDate } = require('../domain/application') as typeof ApplicationSchemas;
  if (!isoDate.safeParse(weekOf).success) {
    throw ApplicationFailure.nonRetryable(`weekOf must be a date as YYYY-MM-DD, got ${JSON.stringify(weekOf)}`, 'InvalidReportRequest');
  }
  const npns = await records.listBrokersWithOpenCases.executeWithOptions(
    { startToCloseTimeout: '30 seconds', summary: 'List brokers with open cases' },
    [],
  );
  const reports: BrokerReportOutcome[] = [];
  // One broker at a time: a weekly batch has no hurry, and the SMTP relay sees a steady trickle.
  for (const npn of npns) {
    try {
      const { status } = await delivery.sendPendingCaseReport.executeWithOptions(
        { startToCloseTimeout: '2 minutes', summary: `Pending-case report to NPN ${npn}` },
        [{ brokerNpn: npn, weekOf }],
      );
      reports.push({ npn, status });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      // One refused address must not cost every other broker their report.
      const error = err.cause?.message ?? err.message;
      log.warn('Pending-case report not delivered', { npn, weekOf, error });
      reports.push({ npn, status: 'FAILED', error });
    }
  }
  return { weekOf, reports };
}
