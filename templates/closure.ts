import { z } from 'zod';
import { isoDate, line, productCaseFields } from './fields';
import { caseLabel, formatDate } from './format';
import { facts, heading, paragraph, renderLayout, table, type RenderedEmail } from './layout';

const CLOSURE_REASONS = ['WITHDRAWN', 'CLOSED_INCOMPLETE', 'NOT_TAKEN'] as const;
type ClosureReason = (typeof CLOSURE_REASONS)[number];

export const ClosureSchema = z.object({
  template: z.literal('closure'),
  ...productCaseFields,
  reason: z.enum(CLOSURE_REASONS, { message: `must be one of ${CLOSURE_REASONS.join(', ')}` }),
  reasonText: line(500),
  closedOn: isoDate,
  outstandingAtClose: z.array(z.object({ description: line(200) })).max(50, 'must list at most 50 items'),
});

export type ClosureData = z.infer<typeof ClosureSchema>;

const HEADLINES: Record<ClosureReason, string> = {
  WITHDRAWN: 'Case withdrawn',
  CLOSED_INCOMPLETE: 'Case closed as incomplete',
  NOT_TAKEN: 'Case closed: policy not taken',
};

export function renderClosure(d: ClosureData): RenderedEmail {
  return renderLayout(d, `${HEADLINES[d.reason]} — ${caseLabel(d)}`, [
    paragraph(
      `We closed the case for ${d.insuredName} (${d.carrierName}, application ${d.applicationNumber}) on ${formatDate(d.closedOn)}. ` +
        'No further action is taken on it.',
    ),
    facts([
      ['Status', HEADLINES[d.reason]],
      ['Reason', d.reasonText],
      ['Case reference', d.caseReference],
    ]),
    heading('Outstanding at close'),
    table(['Item'], d.outstandingAtClose.map((i) => [i.description])),
    paragraph(`If this is not what you expected, reply to this email quoting case reference ${d.caseReference}.`),
  ]);
}
