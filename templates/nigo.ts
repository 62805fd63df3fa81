import { z } from 'zod';
import { isoDate, line, productCaseFields } from './fields';
import { caseLabel, count, formatDate } from './format';
import { paragraph, renderLayout, table, type RenderedEmail } from './layout';

export const NigoSchema = z.object({
  template: z.literal('nigo'),
  ...productCaseFields,
  items: z
    .array(z.object({ description: line(200), action: line(300) }))
    .min(1, 'must list at least one item')
    .max(50, 'must list at most 50 items'),
  closeIncompleteOn: isoDate,
});

export type NigoData = z.infer<typeof NigoSchema>;

export function renderNigo(d: NigoData): RenderedEmail {
  const deadline = formatDate(d.closeIncompleteOn);
  return renderLayout(d, `Action needed: ${count(d.items.length, 'item')} missing — ${caseLabel(d)}`, [
    paragraph(
      `The application for ${d.insuredName} (${d.carrierName}, application ${d.applicationNumber}) is not in good order. ` +
        `This is the complete list of what we need before we can submit it:`,
    ),
    table(['Item', 'What to do'], d.items.map((i) => [i.description, i.action])),
    paragraph(`Please send everything by ${deadline}. If items are still missing after that date, the case closes as incomplete.`),
    paragraph(`Reply to this email with the documents attached, quoting case reference ${d.caseReference}.`),
  ]);
}
