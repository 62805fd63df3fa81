import { z } from 'zod';
import { isoDate, line, npn } from './fields';
import { formatDate } from './format';
import { facts, paragraph, renderLayout, type RenderedEmail } from './layout';

/* The expiry watch's notice about cover other than a licence: the E&O certificate, or a carrier appointment. */
export const CoverExpirySchema = z.object({
  template: z.literal('cover-expiry'),
  bgaName: line(120),
  /** Names the notice in the footer, as a case reference does for case emails. */
  noticeReference: line(80),
  brokerName: line(120),
  brokerNpn: npn,
  kind: z.enum(['EO', 'APPOINTMENT']),
  /** What expires, in words: "E&O certificate from Acme Professional ($1,000,000 limit)", "appointment with Summit Mutual Life". */
  what: line(200),
  expiresOn: isoDate,
  /** The day the watch ran; the cover has lapsed when it expired before that day. */
  asOf: isoDate,
  contractingEmail: line(200),
});

export type CoverExpiryData = z.infer<typeof CoverExpirySchema>;

export function renderCoverExpiry(d: CoverExpiryData): RenderedEmail {
  const lapsed = d.expiresOn < d.asOf;
  const noun = d.kind === 'EO' ? 'E&O certificate' : 'appointment';
  const subject = `${d.kind === 'EO' ? 'E&O cover' : 'Appointment'} ${lapsed ? 'lapsed' : 'expiring'}: ${d.brokerName}'s ${d.what} ${lapsed ? 'expired' : 'expires'} on ${formatDate(d.expiresOn)}`;
  const consequence =
    d.kind === 'EO'
      ? 'Without current E&O cover no case of yours is submitted to a carrier: each is held until a current certificate is on file.'
      : 'Without the appointment no case of yours is submitted to that carrier: each is held until the appointment is renewed.';
  const status = lapsed
    ? `Our records show that your ${d.what} expired on ${formatDate(d.expiresOn)}. We have marked it lapsed. ${consequence}`
    : `Our records show that your ${d.what} expires on ${formatDate(d.expiresOn)}. ${consequence}`;
  const next =
    d.kind === 'EO'
      ? `Please send the renewed certificate (insurer, limit and new expiry date) to ${d.contractingEmail}.`
      : `Please ask the carrier to renew the appointment, and tell ${d.contractingEmail} the new date.`;
  return renderLayout({ bgaName: d.bgaName, caseReference: d.noticeReference }, subject, [
    paragraph(status),
    facts([
      ['Broker', `${d.brokerName} (NPN ${d.brokerNpn})`],
      ['What', d.what],
      [`${noun[0]!.toUpperCase()}${noun.slice(1)} expiry`, formatDate(d.expiresOn)],
    ]),
    paragraph(next),
  ]);
}
