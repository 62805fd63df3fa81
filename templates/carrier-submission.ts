import { z } from 'zod';
import { isoDate, line, npn, productCaseFields, wholeDollars } from './fields';
import { count, formatDate, formatMoney, productName } from './format';
import { facts, heading, paragraph, renderLayout, table, type RenderedEmail } from './layout';

export const CarrierSubmissionSchema = z.object({
  template: z.literal('carrier-submission'),
  ...productCaseFields,
  planName: line(80),
  faceAmount: wholeDollars,
  brokerName: line(120),
  brokerNpn: npn,
  attachmentName: line(120),
  requirementsToFollow: z
    .array(z.object({ description: line(200), orderedFrom: line(120).optional(), orderedOn: isoDate.optional() }))
    .max(50, 'must list at most 50 requirements'),
});

export type CarrierSubmissionData = z.infer<typeof CarrierSubmissionSchema>;

export function renderCarrierSubmission(d: CarrierSubmissionData): RenderedEmail {
  const pending = d.requirementsToFollow.length;
  const toFollow = pending ? `${count(pending, 'requirement')} to follow` : 'complete';
  return renderLayout(
    d,
    `New business submission: app ${d.applicationNumber} (${d.insuredName}) — ${d.planName} ${formatMoney(d.faceAmount)} — ${toFollow}`,
    [
      paragraph(
        `Please find attached the ACORD TXLife 103 new business submission (${d.attachmentName}) for application ${d.applicationNumber}.`,
      ),
      facts([
        ['Insured', d.insuredName],
        ['Carrier', d.carrierName],
        ['Product', productName(d.planName, d.productType)],
        ['Face amount', formatMoney(d.faceAmount)],
        ['Application number', d.applicationNumber],
        ['Writing broker', `${d.brokerName} (NPN ${d.brokerNpn})`],
        ['Submitted by', d.bgaName],
        ['Our case reference', d.caseReference],
      ]),
      heading('Requirements to follow'),
      table(
        ['Requirement', 'Status'],
        d.requirementsToFollow.map((r) => [r.description, orderStatus(r.orderedFrom, r.orderedOn)]),
        'None: the submission is complete.',
      ),
      paragraph(`We will forward each requirement as it arrives, quoting application ${d.applicationNumber}.`),
    ],
  );
}

function orderStatus(from: string | undefined, on: string | undefined): string {
  if (!on) return from ? `To be ordered from ${from}` : 'To follow';
  return from ? `Ordered from ${from} on ${formatDate(on)}` : `Ordered on ${formatDate(on)}`;
}
