import { z } from 'zod';
import { US_STATES } from '../domain/catalogue';
import { isoDate, line, npn } from './fields';
import { formatDate } from './format';
import { facts, paragraph, renderLayout, type RenderedEmail } from './layout';

export const LicenseExpirySchema = z.object({
  template: z.literal('license-expiry'),
  bgaName: line(120),
  /** Names the notice in the footer, as a case reference does for case emails. */
  noticeReference: line(80),
  brokerName: line(120),
  brokerNpn: npn,
  licenseState: z.enum(US_STATES, { message: 'must be a two-letter US state code' }),
  licenseNumber: line(40),
  expiresOn: isoDate,
  /** The day the watch ran; the license has lapsed when it expired before that day. */
  asOf: isoDate,
  contractingEmail: line(200),
});

export type LicenseExpiryData = z.infer<typeof LicenseExpirySchema>;

const lapsed = (d: LicenseExpiryData) => d.expiresOn < d.asOf;

export function renderLicenseExpiry(d: LicenseExpiryData): RenderedEmail {
  const subject = lapsed(d)
    ? `License lapsed: ${d.brokerName}'s ${d.licenseState} life license expired on ${formatDate(d.expiresOn)}`
    : `License expiring: ${d.brokerName}'s ${d.licenseState} life license expires on ${formatDate(d.expiresOn)}`;
  const status = lapsed(d)
    ? `Our records show that this license expired on ${formatDate(d.expiresOn)}. We have marked it lapsed: ` +
      `new cases in ${d.licenseState} are held until a renewed license is on file, and no case is submitted on the lapsed one.`
    : `Our records show that this license expires on ${formatDate(d.expiresOn)}. ` +
      `Once it expires, cases in ${d.licenseState} are held until a renewed license is on file.`;
  return renderLayout({ bgaName: d.bgaName, caseReference: d.noticeReference }, subject, [
    paragraph(status),
    facts([
      ['Broker', `${d.brokerName} (NPN ${d.brokerNpn})`],
      ['State', d.licenseState],
      ['License number', d.licenseNumber],
      ['Expiry date', formatDate(d.expiresOn)],
    ]),
    paragraph(`Please send the renewed license (number and new expiry date) to ${d.contractingEmail}.`),
  ]);
}
