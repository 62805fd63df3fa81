import { z } from 'zod';
import { isoDate, line, OutstandingItemSchema, productCaseFields } from './fields';
import { caseLabel, count, formatDate } from './format';
import { facts, paragraph, renderLayout, table, type RenderedEmail } from './layout';

const placement = { template: z.literal('placement'), ...productCaseFields, policyNumber: line(40) };

export const PlacementSchema = z.discriminatedUnion('stage', [
  z.object({
    ...placement,
    stage: z.literal('ISSUED'),
    deliveryRequirements: z.array(OutstandingItemSchema).min(1, 'must list at least one delivery requirement').max(20),
    deliverBy: isoDate.optional(),
  }),
  z.object({ ...placement, stage: z.literal('PLACED'), placedOn: isoDate }),
]);

export type PlacementData = z.infer<typeof PlacementSchema>;

export function renderPlacement(d: PlacementData): RenderedEmail {
  const policy = facts([
    ['Policy number', d.policyNumber],
    ['Insured', d.insuredName],
    ['Carrier', d.carrierName],
    ['Application number', d.applicationNumber],
  ]);
  if (d.stage === 'PLACED') {
    return renderLayout(d, `Policy ${d.policyNumber} placed — ${caseLabel(d)}`, [
      paragraph(`Congratulations! Policy ${d.policyNumber} for ${d.insuredName} was placed in force on ${formatDate(d.placedOn)}.`),
      policy,
      paragraph('Thank you for the business. This case is now complete.'),
    ]);
  }
  const toCollect = count(d.deliveryRequirements.length, 'delivery requirement');
  return renderLayout(d, `Policy ${d.policyNumber} issued: collect ${toCollect} — ${caseLabel(d)}`, [
    paragraph(`${d.carrierName} has issued policy ${d.policyNumber} for ${d.insuredName}. To place it in force, please collect:`),
    table(['Delivery requirement', 'What to do'], d.deliveryRequirements.map((r) => [r.description, r.action])),
    policy,
    paragraph(
      (d.deliverBy ? `Please return them by ${formatDate(d.deliverBy)}. ` : 'Please return them as soon as possible. ') +
        'If your client refuses the policy, tell us so we can close the case as not taken.',
    ),
  ]);
}
