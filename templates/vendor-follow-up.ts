import { z } from 'zod';
import { caseFields, days, isoDate, line, positiveCount } from './fields';
import { count, formatDate } from './format';
import { facts, paragraph, renderLayout, type RenderedEmail } from './layout';

export const VendorFollowUpSchema = z.object({
  template: z.literal('vendor-follow-up'),
  ...caseFields,
  vendorName: line(120),
  orderNumber: line(40),
  requirementDescription: line(200),
  orderedOn: isoDate,
  daysOpen: days,
  followUpNumber: positiveCount,
});

export type VendorFollowUpData = z.infer<typeof VendorFollowUpSchema>;

export function renderVendorFollowUp(d: VendorFollowUpData): RenderedEmail {
  const open = count(d.daysOpen, 'day');
  return renderLayout(d, `Follow-up ${d.followUpNumber} on order ${d.orderNumber} (open ${open}) — ${d.insuredName}`, [
    paragraph(
      `Follow-up ${d.followUpNumber}: order ${d.orderNumber}, placed with ${d.vendorName} on ${formatDate(d.orderedOn)}, ` +
        `has been open for ${open} and we have no result yet.`,
    ),
    facts([
      ['Order number', d.orderNumber],
      ['Requirement', d.requirementDescription],
      ['Insured', d.insuredName],
      ['Ordered on', formatDate(d.orderedOn)],
      ['Days open', String(d.daysOpen)],
      ['Carrier', d.carrierName],
      ['Application number', d.applicationNumber],
      ['Our case reference', d.caseReference],
    ]),
    paragraph('Please reply with the current status and the expected completion date, or send the result if it is ready.'),
  ]);
}
