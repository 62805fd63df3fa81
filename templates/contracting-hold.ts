import { z } from 'zod';
import { US_STATES } from '../domain/catalogue';
import { isoDate, line, npn, productCaseFields } from './fields';
import { caseLabel, formatDate } from './format';
import { facts, heading, list, paragraph, renderLayout, type RenderedEmail } from './layout';

export const ContractingHoldSchema = z
  .object({
    template: z.literal('contracting-hold'),
    ...productCaseFields,
    brokerName: line(120),
    brokerNpn: npn,
    licenseState: z.enum(US_STATES, { message: 'must be a two-letter US state code' }),
    missingLicense: z.boolean(),
    missingAppointment: z.boolean(),
    /** The day the broker's E&O certificate on file lapsed, when that holds the case. */
    eoExpiredOn: isoDate.optional(),
    heldSince: isoDate,
  })
  .superRefine((d, ctx) => {
    if (!d.missingLicense && !d.missingAppointment && !d.eoExpiredOn) {
      ctx.addIssue({ code: 'custom', path: ['missingLicense'], message: 'a hold needs a missing license, a missing appointment or a lapsed E&O certificate' });
    }
  });

export type ContractingHoldData = z.infer<typeof ContractingHoldSchema>;

export function renderContractingHold(d: ContractingHoldData): RenderedEmail {
  const gaps = [
    ...(d.missingLicense
      ? [
          {
            short: `${d.licenseState} license`,
            long: `an active ${d.licenseState} life license`,
            toRecord: `The broker’s active ${d.licenseState} life license: license number and expiry date.`,
          },
        ]
      : []),
    ...(d.missingAppointment
      ? [
          {
            short: `${d.carrierName} appointment`,
            long: `an appointment with ${d.carrierName}`,
            toRecord: `The broker’s appointment with ${d.carrierName}: the date of appointment.`,
          },
        ]
      : []),
    ...(d.eoExpiredOn
      ? [
          {
            short: 'E&O cover',
            long: `current errors-and-omissions cover (the certificate on file expired on ${formatDate(d.eoExpiredOn)})`,
            toRecord: 'A current E&O certificate: insurer, limit and expiry date (`bga broker eo`).',
          },
        ]
      : []),
  ];
  return renderLayout(d, `Contracting hold: ${d.brokerName} needs ${gaps.map((g) => g.short).join(' and ')} — ${caseLabel(d)}`, [
    paragraph(
      `This case has been on hold since ${formatDate(d.heldSince)} and cannot be submitted to ${d.carrierName}: ` +
        `our records show the broker lacks ${gaps.map((g) => g.long).join(' and ')}.`,
    ),
    facts([
      ['Broker', d.brokerName],
      ['NPN', d.brokerNpn],
      ['State of the application', d.licenseState],
      ['Carrier', d.carrierName],
      ['Insured', d.insuredName],
      ['Application number', d.applicationNumber],
      ['Case reference', d.caseReference],
    ]),
    heading('What to record to release the case'),
    list(gaps.map((g) => g.toRecord)),
    paragraph('Once this is recorded on the broker’s producer record, the case can go on to carrier submission.'),
  ]);
}
