import { z } from 'zod';
import { REQUIREMENT_CODES } from '../domain/catalogue';
import { AddressSchema } from '../domain/application';
import { caseFields, isoDate, line, phone } from './fields';
import { formatDate } from './format';
import { facts, heading, paragraph, renderLayout, type RenderedEmail } from './layout';

/*
 * Goes outside the BGA, so it carries only what the vendor needs to schedule and
 * identify the order: no SSN, no date of birth (the vendor matches on the order number).
 */
export const VendorOrderSchema = z
  .object({
    template: z.literal('vendor-order'),
    ...caseFields,
    vendorName: line(120),
    orderNumber: line(40),
    orderedOn: isoDate,
    requirement: z.object({
      code: z.enum(REQUIREMENT_CODES, { message: 'must be a known requirement code' }),
      description: line(200),
    }),
    insuredPhone: phone,
    insuredAddress: AddressSchema,
    physician: z.object({ name: line(120), practice: line(120).optional(), phone }).optional(),
  })
  .superRefine((d, ctx) => {
    if (d.requirement.code === 'PHYSSTMT' && !d.physician) {
      ctx.addIssue({ code: 'custom', path: ['physician'], message: 'is required for an attending physician statement' });
    }
  });

export type VendorOrderData = z.infer<typeof VendorOrderSchema>;

export function renderVendorOrder(d: VendorOrderData): RenderedEmail {
  const a = d.insuredAddress;
  const address = [a.line1, a.line2, `${a.city}, ${a.state} ${a.zip}`].filter((part) => part !== undefined).join(', ');
  return renderLayout(d, `New order ${d.orderNumber}: ${d.requirement.description} — ${d.insuredName} (${d.carrierName} app ${d.applicationNumber})`, [
    paragraph(`${d.bgaName} orders the following from ${d.vendorName}. Please quote order number ${d.orderNumber} in every reply.`),
    facts([
      ['Order number', d.orderNumber],
      ['Ordered on', formatDate(d.orderedOn)],
      ['Requirement', `${d.requirement.description} (${d.requirement.code})`],
      ['Carrier', d.carrierName],
      ['Application number', d.applicationNumber],
      ['Our case reference', d.caseReference],
    ]),
    heading('Insured (for scheduling)'),
    facts([
      ['Name', d.insuredName],
      ['Phone', d.insuredPhone],
      ['Address', address],
    ]),
    ...(d.physician
      ? [
          heading('Physician'),
          facts([
            ['Name', d.physician.name],
            ...(d.physician.practice ? [['Practice', d.physician.practice] as const] : []),
            ['Phone', d.physician.phone],
          ]),
        ]
      : []),
    paragraph('Please confirm receipt of this order and tell us the scheduled or expected completion date.'),
  ]);
}
