import { z } from 'zod';
import { caseFields, line } from './fields';
import { facts, heading, paragraph, renderLayout, table, type RenderedEmail } from './layout';

/** Answers a reply whose attachments could not be kept, file by file, so the sender can send the right ones. */
export const AttachmentsRefusedSchema = z.object({
  template: z.literal('attachments-refused'),
  ...caseFields,
  subject: line(200),
  refused: z.array(z.object({ fileName: line(200), problem: line(500) })).min(1).max(20),
  kept: z.array(line(200)).max(20),
});

export type AttachmentsRefusedData = z.infer<typeof AttachmentsRefusedSchema>;

export function renderAttachmentsRefused(d: AttachmentsRefusedData): RenderedEmail {
  return renderLayout(d, `Attachments not accepted: ${d.insuredName}, application ${d.applicationNumber}`, [
    paragraph(`Thank you for your email "${d.subject}". We could not accept ${d.refused.length === 1 ? 'one attachment' : `${d.refused.length} attachments`}:`),
    table(['File', 'Why'], d.refused.map((r) => [r.fileName, r.problem])),
    ...(d.kept.length ? [heading('Received'), paragraph(`We received ${d.kept.join(', ')}, which will be reviewed.`)] : []),
    paragraph('We accept PDF, TIFF, JPEG and PNG files. Please reply to this email with the corrected files attached.'),
    facts([
      ['Insured', d.insuredName],
      ['Carrier', d.carrierName],
      ['Application number', d.applicationNumber],
      ['Our case reference', d.caseReference],
    ]),
  ]);
}
