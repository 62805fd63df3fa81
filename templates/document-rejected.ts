import { z } from 'zod';
import { caseFields, isoDate, line } from './fields';
import { formatDate } from './format';
import { facts, paragraph, renderLayout, type RenderedEmail } from './layout';

/** Tells whoever sent a document why it cannot be used, so the right one comes back. */
export const DocumentRejectedSchema = z.object({
  template: z.literal('document-rejected'),
  ...caseFields,
  fileName: line(200),
  receivedOn: isoDate,
  reason: line(500),
  fulfils: line(200).optional(),
});

export type DocumentRejectedData = z.infer<typeof DocumentRejectedSchema>;

export function renderDocumentRejected(d: DocumentRejectedData): RenderedEmail {
  return renderLayout(d, `Document not accepted: ${d.fileName} — ${d.insuredName}`, [
    paragraph(`We could not use ${d.fileName}, received on ${formatDate(d.receivedOn)}: ${d.reason}.`),
    paragraph('Please reply to this email with a corrected copy attached.'),
    facts([
      ['File', d.fileName],
      ...(d.fulfils ? ([['For', d.fulfils]] as [string, string][]) : []),
      ['Insured', d.insuredName],
      ['Carrier', d.carrierName],
      ['Application number', d.applicationNumber],
      ['Our case reference', d.caseReference],
    ]),
  ]);
}
