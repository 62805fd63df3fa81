import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { isoDate } from '../domain/application';
import { US_STATES, type UsState } from '../domain/catalogue';
import { npn } from '../templates/fields';
import type { ActivityDeps } from './deps';
import type { mailActivities } from './mail';
import { loadRulesConfig } from './rules-config';

/** How far ahead the watch warns of an expiry. */
export const EXPIRY_WARNING_DAYS = 30;

const WatchRequestSchema = z.object({ asOf: isoDate });
const NoticeRequestSchema = z.object({ npn, state: z.enum(US_STATES), expiresOn: isoDate, asOf: isoDate });
export type LicenseNoticeRequest = z.infer<typeof NoticeRequestSchema>;

export interface ExpiringLicense {
  npn: string;
  state: UsState;
  expiresOn: string;
}

export interface LicenseNoticeResult {
  /** RENEWED: the license on file changed since it was listed; nothing is sent. */
  status: 'SENT' | 'ALREADY_SENT' | 'UNCONFIRMED' | 'RENEWED';
  lapsed: boolean;
}

const DAY_MS = 86_400_000;
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

function parsed<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw ApplicationFailure.nonRetryable(
      `Invalid ${what}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      'InvalidExpiryWatchRequest',
    );
  }
  return result.data;
}

/*
 * One notice per license, expiry date and phase: a warning while it is about to expire, and one
 * more once it has lapsed. The key is made of those facts alone, so a daily run, a retried
 * activity or a re-run schedule finds it already sent; a renewal brings a new expiry date, and so
 * a new key, for the next cycle.
 */
const noticeKey = (r: LicenseNoticeRequest, lapsed: boolean) =>
  `license-expiry:${r.npn}:${r.state}:${r.expiresOn}:${lapsed ? 'lapsed' : 'warning'}`;

export function licenseExpiryActivities({ db }: ActivityDeps, mail: ReturnType<typeof mailActivities>) {
  return {
    /** Active licenses that expire within the warning window of `asOf`, or have already expired, in a stable order. */
    async listExpiringLicenses(raw: { asOf: string }): Promise<ExpiringLicense[]> {
      const { asOf } = parsed(WatchRequestSchema, raw, 'expiry watch request');
      const rows = await db.brokerLicense.findMany({
        where: { active: true, expiresOn: { lte: new Date(day(asOf).getTime() + EXPIRY_WARNING_DAYS * DAY_MS) } },
        include: { broker: { select: { npn: true } } },
        orderBy: [{ expiresOn: 'asc' }, { state: 'asc' }, { brokerId: 'asc' }],
      });
      // The state column is written only from validated state codes (bga broker license, the API).
      return rows.map((r) => ({ npn: r.broker.npn, state: r.state as UsState, expiresOn: isoDay(r.expiresOn) }));
    },

    /**
     * Marks a license that expired before `asOf` inactive, then emails the broker, copying
     * contracting. A license renewed or replaced since it was listed is left alone.
     */
    async sendLicenseExpiryNotice(raw: LicenseNoticeRequest): Promise<LicenseNoticeResult> {
      const request = parsed(NoticeRequestSchema, raw, 'license expiry notice');
      const broker = await db.broker.findUnique({ where: { npn: request.npn }, include: { licenses: { where: { state: request.state } } } });
      const license = broker?.licenses[0];
      const lapsed = request.expiresOn < request.asOf;
      if (!broker || !license || isoDay(license.expiresOn) !== request.expiresOn) return { status: 'RENEWED', lapsed };
      // Conditional on the expiry listed: a renewal recorded meanwhile keeps its license active.
      if (lapsed) await db.brokerLicense.updateMany({ where: { id: license.id, expiresOn: day(request.expiresOn) }, data: { active: false } });
      const { settings } = await loadRulesConfig();
      const sent = await mail.sendEmail({
        key: noticeKey(request, lapsed),
        to: broker.email,
        cc: settings.contractingEmail,
        data: {
          template: 'license-expiry',
          bgaName: settings.bgaName,
          noticeReference: `LIC-${request.npn}-${request.state}-${request.expiresOn}`,
          brokerName: broker.name,
          brokerNpn: broker.npn,
          licenseState: request.state,
          licenseNumber: license.licenseNumber,
          expiresOn: request.expiresOn,
          asOf: request.asOf,
          contractingEmail: settings.contractingEmail,
        },
      });
      return { status: sent.status, lapsed };
    },
  };
}
