import { z } from 'zod';
import { isoDate, line, productCaseFields, wholeDollars } from './fields';
import { caseLabel, formatDate, formatMoney, productName } from './format';
import { facts, heading, list, paragraph, renderLayout, type RenderedEmail } from './layout';

export const AcknowledgementSchema = z.object({
  template: z.literal('acknowledgement'),
  ...productCaseFields,
  planName: line(80),
  faceAmount: wholeDollars,
  receivedOn: isoDate,
});

export type AcknowledgementData = z.infer<typeof AcknowledgementSchema>;

export function renderAcknowledgement(d: AcknowledgementData): RenderedEmail {
  return renderLayout(d, `Case received: ${caseLabel(d)}`, [
    paragraph(`We received the application for ${d.insuredName} on ${formatDate(d.receivedOn)} and opened case ${d.caseReference}.`),
    facts([
      ['Insured', d.insuredName],
      ['Carrier', d.carrierName],
      ['Product', productName(d.planName, d.productType)],
      ['Face amount', formatMoney(d.faceAmount)],
      ['Application number', d.applicationNumber],
      ['Case reference', d.caseReference],
    ]),
    heading('What happens next'),
    list([
      'We check the application for missing forms, information and signatures. If anything is missing, you get one email listing every item.',
      'We order the underwriting requirements, such as exams and physician statements, and tell you what your client needs to do.',
      `We submit the case to ${d.carrierName} underwriting and keep you posted on every requirement and on the decision.`,
    ]),
  ]);
}
