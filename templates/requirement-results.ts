import { z } from 'zod';
import { caseFields, isoDate, line } from './fields';
import { formatDate } from './format';
import { facts, paragraph, renderLayout, type RenderedEmail } from './layout';

/** A requirement's document sent to the carrier after the ACORD 103, with the file attached. */
export const RequirementResultsSchema = z.object({
  template: z.literal('requirement-results'),
  ...caseFields,
  fileName: line(200),
  requirementDescription: line(200),
  carrierOrderNumber: line(40).optional(),
  receivedOn: isoDate,
});

export type RequirementResultsData = z.infer<typeof RequirementResultsSchema>;

export function renderRequirementResults(d: RequirementResultsData): RenderedEmail {
  return renderLayout(d, `Requirement received: ${d.requirementDescription} — ${d.insuredName}, application ${d.applicationNumber}`, [
    paragraph(`Attached is ${d.fileName}, received on ${formatDate(d.receivedOn)}, for the requirement below on this application.`),
    facts([
      ['Requirement', d.requirementDescription],
      ...(d.carrierOrderNumber ? ([['Your order number', d.carrierOrderNumber]] as [string, string][]) : []),
      ['File', d.fileName],
      ['Insured', d.insuredName],
      ['Carrier', d.carrierName],
      ['Application number', d.applicationNumber],
      ['Our case reference', d.caseReference],
    ]),
  ]);
}
