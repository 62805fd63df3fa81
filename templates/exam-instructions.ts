import { z } from 'zod';
import { line, phone, productCaseFields } from './fields';
import { caseLabel } from './format';
import { paragraph, renderLayout, table, type RenderedEmail } from './layout';

export const ExamInstructionsSchema = z.object({
  template: z.literal('exam-instructions'),
  ...productCaseFields,
  requirements: z
    .array(z.object({ description: line(200), clientAction: line(300) }))
    .min(1, 'must list at least one requirement')
    .max(30, 'must list at most 30 requirements'),
  vendorName: line(120),
  vendorPhone: phone.optional(),
});

export type ExamInstructionsData = z.infer<typeof ExamInstructionsSchema>;

export function renderExamInstructions(d: ExamInstructionsData): RenderedEmail {
  const caller = d.vendorPhone ? `${d.vendorName} (${d.vendorPhone})` : d.vendorName;
  return renderLayout(d, `Client exam: ${d.vendorName} will call to schedule — ${caseLabel(d)}`, [
    paragraph(
      `${d.carrierName} needs the following from ${d.insuredName} for application ${d.applicationNumber}. ` +
        `Please go through it with your client so nothing holds up underwriting.`,
    ),
    table(['Requirement', 'What your client must do'], d.requirements.map((r) => [r.description, r.clientAction])),
    paragraph(`${caller} will call ${d.insuredName} to schedule. Please ask your client to take the call and keep the appointment.`),
  ]);
}
