import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { isoDate } from '../domain/application';
import { npn } from '../templates/fields';
import type { ActivityDeps } from './deps';
import { EXPIRY_WARNING_DAYS } from './license-expiry';
import type { mailActivities } from './mail';
import { loadRulesConfig } from './rules-config';

/*
 * The expiry watch's other half: E&O certificates and carrier appointments that expire within
 * the warning window or have expired. One notice per item, expiry date and phase, keyed by those
 * facts alone, as for licences; a lapsed item is marked so that the gate holds new business.
 */

const DAY_MS = 86_400_000;
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export type ExpiringCover = { kind: 'EO'; npn: string; expiresOn: string } | { kind: 'APPOINTMENT'; npn: string; carrierCode: string; expiresOn: string };

const CoverNoticeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('EO'), npn, expiresOn: isoDate, asOf: isoDate }),
  z.object({ kind: z.literal('APPOINTMENT'), npn, carrierCode: z.string().min(1).max(40), expiresOn: isoDate, asOf: isoDate }),
]);
export type CoverNoticeRequest = z.infer<typeof CoverNoticeSchema>;

export interface CoverNoticeResult {
  /** RENEWED: the cover on file changed since it was listed; nothing is sent. */
  status: 'SENT' | 'ALREADY_SENT' | 'UNCONFIRMED' | 'RENEWED';
  lapsed: boolean;
}

const money = (n: number) => `$${n.toLocaleString('en-US')}`;

export function coverExpiryActivities({ db }: ActivityDeps, mail: ReturnType<typeof mailActivities>) {
  return {
    /** Unlapsed E&O certificates and active appointments with an end date inside the window, in a stable order. */
    async listExpiringCover(raw: { asOf: string }): Promise<ExpiringCover[]> {
      const parsed = isoDate.safeParse(raw.asOf);
      if (!parsed.success) throw ApplicationFailure.nonRetryable(`asOf must be a date as YYYY-MM-DD, got ${JSON.stringify(raw.asOf)}`, 'InvalidExpiryWatchRequest');
      const until = new Date(day(parsed.data).getTime() + EXPIRY_WARNING_DAYS * DAY_MS);
      const [certificates, appointments] = await Promise.all([
        db.brokerEoCertificate.findMany({ where: { lapsed: false, expiresOn: { lte: until } }, include: { broker: { select: { npn: true } } }, orderBy: [{ expiresOn: 'asc' }, { brokerId: 'asc' }] }),
        db.brokerAppointment.findMany({
          where: { active: true, expiresOn: { not: null, lte: until } },
          include: { broker: { select: { npn: true } } },
          orderBy: [{ expiresOn: 'asc' }, { carrierCode: 'asc' }, { brokerId: 'asc' }],
        }),
      ]);
      return [
        ...certificates.map((c): ExpiringCover => ({ kind: 'EO', npn: c.broker.npn, expiresOn: isoDay(c.expiresOn) })),
        ...appointments.map((a): ExpiringCover => ({ kind: 'APPOINTMENT', npn: a.broker.npn, carrierCode: a.carrierCode, expiresOn: isoDay(a.expiresOn!) })),
      ];
    },

    /** Marks lapsed cover as such, then emails the broker, copying contracting; cover renewed since it was listed is left alone. */
    async sendCoverExpiryNotice(raw: CoverNoticeRequest): Promise<CoverNoticeResult> {
      const parsed = CoverNoticeSchema.safeParse(raw);
      if (!parsed.success) {
        throw ApplicationFailure.nonRetryable(`Invalid cover notice: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 'InvalidExpiryWatchRequest');
      }
      const r = parsed.data;
      const lapsed = r.expiresOn < r.asOf;
      const broker = await db.broker.findUnique({ where: { npn: r.npn }, include: { eoCertificate: true, appointments: true } });
      if (!broker) return { status: 'RENEWED', lapsed };
      const { settings, carriers } = await loadRulesConfig();
      let what: string;
      let reference: string;
      if (r.kind === 'EO') {
        const eo = broker.eoCertificate;
        if (!eo || isoDay(eo.expiresOn) !== r.expiresOn) return { status: 'RENEWED', lapsed };
        // Conditional on the expiry listed: a renewal recorded meanwhile stands.
        if (lapsed) await db.brokerEoCertificate.updateMany({ where: { id: eo.id, expiresOn: day(r.expiresOn) }, data: { lapsed: true } });
        what = `E&O certificate from ${eo.insurer} (${money(eo.limitDollars)} limit)`;
        reference = `EO-${r.npn}-${r.expiresOn}`;
      } else {
        const a = broker.appointments.find((x) => x.carrierCode === r.carrierCode);
        if (!a || !a.expiresOn || isoDay(a.expiresOn) !== r.expiresOn) return { status: 'RENEWED', lapsed };
        if (lapsed) await db.brokerAppointment.updateMany({ where: { id: a.id, expiresOn: day(r.expiresOn) }, data: { active: false } });
        what = `appointment with ${carriers.find((c) => c.code === r.carrierCode)?.name ?? r.carrierCode}`;
        reference = `APPT-${r.npn}-${r.carrierCode}-${r.expiresOn}`;
      }
      const sent = await mail.sendEmail({
        key: `cover-expiry:${reference}:${lapsed ? 'lapsed' : 'warning'}`,
        to: broker.email,
        cc: settings.contractingEmail,
        data: {
          template: 'cover-expiry',
          bgaName: settings.bgaName,
          noticeReference: reference,
          brokerName: broker.name,
          brokerNpn: broker.npn,
          kind: r.kind,
          what,
          expiresOn: r.expiresOn,
          asOf: r.asOf,
          contractingEmail: settings.contractingEmail,
        },
      });
      return { status: sent.status, lapsed };
    },
  };
}
