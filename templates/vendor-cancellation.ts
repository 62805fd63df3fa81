import { z } from 'zod';
import { caseFields, isoDate, line } from './fields';
import { formatDate } from './format';
import { facts, paragraph, renderLayout, type RenderedEmail } from './layout';

/** Tells a vendor to stop work on an order when its case closes, so nobody schedules a useless exam. */
export const VendorCancellationSchema = z.object({
  template: z.literal('vendor-cancellation'),
  ...caseFields,
  vendorName: line(120),
  orderNumber: line(40),
  requirementDescription: line(200),
  orderedOn: isoDate,
});

export type VendorCancellationData = z.infer<typeof VendorCancellationSchema>;

export function renderVendorCancellation(d: VendorCancellationData): RenderedEmail {
  return renderLayout(d, `Cancel order ${d.orderNumber}: case closed — ${d.insuredName}`, [
    paragraph(
      `Please cancel order ${d.orderNumber}, placed with ${d.vendorName} on ${formatDate(d.orderedOn)}: ` +
        'the case has closed and the result is no longer needed. Do not contact the insured about it.',
    ),
    facts([
      ['Order number', d.orderNumber],
      ['Requirement', d.requirementDescription],
      ['Insured', d.insuredName],
      ['Carrier', d.carrierName],
      ['Application number', d.applicationNumber],
      ['Our case reference', d.caseReference],
    ]),
  ]);
}
