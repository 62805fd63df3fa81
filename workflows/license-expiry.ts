import { ActivityFailure, ApplicationFailure, log, patched, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { ExpiringCover } from '../activities/cover-expiry';
import type * as ApplicationSchemas from '../domain/application';
import { deliveryOptions, EMAIL_PERMANENT_ERRORS, recordsOptions } from './activity-options';

type Activities = ReturnType<typeof createActivities>;

const records = proxyActivities<Activities>(recordsOptions);
const delivery = proxyActivities<Activities>(deliveryOptions(['InvalidExpiryWatchRequest', ...EMAIL_PERMANENT_ERRORS]));

export interface LicenseExpiryWatchInput {
  /** YYYY-MM-DD; the day the watch looks from. Defaults to today (workflow time, UTC). */
  asOf?: string;
}

export interface LicenseNoticeOutcome {
  npn: string;
  state: string;
  expiresOn: string;
  status: 'SENT' | 'ALREADY_SENT' | 'UNCONFIRMED' | 'RENEWED' | 'FAILED';
  lapsed?: boolean;
  error?: string;
}

export type CoverNoticeOutcome = ExpiringCover & {
  status: LicenseNoticeOutcome['status'];
  lapsed?: boolean;
  error?: string;
};

export interface LicenseExpiryWatchResult {
  asOf: string;
  notices: LicenseNoticeOutcome[];
  /** E&O certificates and appointments; absent from runs before the watch looked at them. */
  cover?: CoverNoticeOutcome[];
}

/** The watch looks at E&O certificates and appointments too; runs started before replay without. */
const WATCH_COVER = 'expiry-watch-eo-and-appointments';

/** Warns brokers and contracting of licenses about to expire, and marks the expired ones lapsed; a re-run sends nothing twice. */
export async function licenseExpiryWatchWorkflow(input: LicenseExpiryWatchInput = {}): Promise<LicenseExpiryWatchResult> {
  const asOf = input.asOf ?? new Date().toISOString().slice(0, 10);
  // Deferred: zod costs every workflow that loads it, and only this one needs it here.
  const { isoDate } = require('../domain/application') as typeof ApplicationSchemas;
  if (!isoDate.safeParse(asOf).success) {
    throw ApplicationFailure.nonRetryable(`asOf must be a date as YYYY-MM-DD, got ${JSON.stringify(asOf)}`, 'InvalidExpiryWatchRequest');
  }
  const expiring = await records.listExpiringLicenses.executeWithOptions(
    { startToCloseTimeout: '30 seconds', summary: `List licenses expiring by 30 days after ${asOf}` },
    [{ asOf }],
  );
  const notices: LicenseNoticeOutcome[] = [];
  for (const license of expiring) {
    try {
      const { status, lapsed } = await delivery.sendLicenseExpiryNotice.executeWithOptions(
        { startToCloseTimeout: '2 minutes', summary: `License notice to NPN ${license.npn} (${license.state}, expires ${license.expiresOn})` },
        [{ ...license, asOf }],
      );
      notices.push({ ...license, status, lapsed });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      // One refused address must not cost every other broker their notice.
      const error = err.cause?.message ?? err.message;
      log.warn('License expiry notice not delivered', { ...license, asOf, error });
      notices.push({ ...license, status: 'FAILED', error });
    }
  }
  if (!patched(WATCH_COVER)) return { asOf, notices };
  const expiringCover = await records.listExpiringCover.executeWithOptions(
    { startToCloseTimeout: '30 seconds', summary: `List E&O certificates and appointments expiring by 30 days after ${asOf}` },
    [{ asOf }],
  );
  const cover: CoverNoticeOutcome[] = [];
  for (const item of expiringCover) {
    const what = item.kind === 'EO' ? 'E&O certificate' : `${item.carrierCode} appointment`;
    try {
      const { status, lapsed } = await delivery.sendCoverExpiryNotice.executeWithOptions(
        { startToCloseTimeout: '2 minutes', summary: `${what} notice to NPN ${item.npn} (expires ${item.expiresOn})` },
        [{ ...item, asOf }],
      );
      cover.push({ ...item, status, lapsed });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const error = err.cause?.message ?? err.message;
      log.warn('Cover expiry notice not delivered', { ...item, asOf, error });
      cover.push({ ...item, status: 'FAILED', error });
    }
  }
  return { asOf, notices, cover };
}
