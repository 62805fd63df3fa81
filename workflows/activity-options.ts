import type { ActivityOptions } from '@temporalio/common';

/* Timeouts and retries of the two kinds of activity, shared by every workflow. */

/** Database and rules: quick, retried until PostgreSQL answers. */
export const recordsOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/** SMTP and vendor/carrier channels: may be down for a while; back off up to 10 minutes, a late email beats a lost one. */
export function deliveryOptions(nonRetryableErrorTypes: string[]): ActivityOptions {
  return {
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes },
  };
}

/** Errors of the mail activity that no retry can fix. */
export const EMAIL_PERMANENT_ERRORS = ['InvalidEmailRequest', 'EmailRejected'];
