import { z } from 'zod';
import { isoDate, OutstandingItemSchema, productCaseFields } from './fields';
import { caseLabel, count, formatDate } from './format';
import { facts, heading, paragraph, renderLayout, table, type RenderedEmail } from './layout';

/** REJECTED: a document came back but cannot be used (e.g. unsigned), so it is outstanding again. */
const CHANGES = ['ADDED_BY_CARRIER', 'RECEIVED', 'WAIVED', 'REJECTED'] as const;

export const RequirementUpdateSchema = z.object({
  template: z.literal('requirement-update'),
  ...productCaseFields,
  change: z.enum(CHANGES, { message: `must be one of ${CHANGES.join(', ')}` }),
  requirement: OutstandingItemSchema,
  changedOn: isoDate,
  outstanding: z.array(OutstandingItemSchema).max(50, 'must list at most 50 items'),
});

export type RequirementUpdateData = z.infer<typeof RequirementUpdateSchema>;

export function renderRequirementUpdate(d: RequirementUpdateData): RenderedEmail {
  const on = formatDate(d.changedOn);
  const item = d.requirement.description;
  const forCase = `for ${d.insuredName} (application ${d.applicationNumber})`;
  const { headline, sentence } = {
    ADDED_BY_CARRIER: {
      headline: `Requirement added by ${d.carrierName}`,
      sentence: `On ${on}, ${d.carrierName} added a requirement ${forCase}: ${item}.`,
    },
    RECEIVED: { headline: 'Requirement received', sentence: `On ${on}, we received ${item} ${forCase}.` },
    WAIVED: { headline: 'Requirement waived', sentence: `On ${on}, ${item} was waived ${forCase}.` },
    REJECTED: {
      headline: 'Requirement returned',
      sentence: `On ${on}, we could not accept the ${item} received ${forCase}; it is outstanding again.`,
    },
  }[d.change];
  const still = d.outstanding.length ? `${count(d.outstanding.length, 'item')} outstanding` : 'nothing outstanding';
  return renderLayout(d, `${headline}: ${item} (${still}) — ${caseLabel(d)}`, [
    paragraph(sentence),
    ...(d.requirement.action ? [facts([['What to do', d.requirement.action]])] : []),
    heading('Still outstanding'),
    table(['Item', 'What to do'], d.outstanding.map((i) => [i.description, i.action]), 'Nothing is outstanding on this case right now.'),
    paragraph(`Questions? Reply to this email quoting case reference ${d.caseReference}.`),
  ]);
}
