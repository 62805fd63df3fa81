import { z } from 'zod';
import { isoDate, line, productCaseFields } from './fields';
import { caseLabel, formatDate } from './format';
import { facts, paragraph, renderLayout, type Block, type RenderedEmail } from './layout';

const decision = { template: z.literal('decision'), ...productCaseFields };

export const DecisionSchema = z.discriminatedUnion('outcome', [
  z.object({ ...decision, outcome: z.literal('APPROVED_AS_APPLIED'), riskClass: line(80) }),
  z.object({
    ...decision,
    outcome: z.literal('APPROVED_OTHER_THAN_APPLIED'),
    /** Optional because the application itself names no class, only tobacco use. */
    appliedRiskClass: line(80).optional(),
    offeredRiskClass: line(80),
    /** A table rating or flat extra, e.g. "Table 2 (+50%)". */
    rating: line(200).optional(),
    respondBy: isoDate.optional(),
  }),
  z.object({ ...decision, outcome: z.literal('POSTPONED'), reason: line(500), postponeUntil: isoDate.optional() }),
  z.object({ ...decision, outcome: z.literal('DECLINED'), reason: line(500) }),
]);

export type DecisionData = z.infer<typeof DecisionSchema>;

export function renderDecision(d: DecisionData): RenderedEmail {
  const { subject, blocks } = content(d);
  return renderLayout(d, `${subject} — ${caseLabel(d)}`, [
    ...blocks,
    paragraph(`Questions? Reply to this email quoting case reference ${d.caseReference}.`),
  ]);
}

function content(d: DecisionData): { subject: string; blocks: Block[] } {
  const app = `application ${d.applicationNumber} for ${d.insuredName}`;
  switch (d.outcome) {
    case 'APPROVED_AS_APPLIED':
      return {
        subject: `Approved as applied (${d.riskClass})`,
        blocks: [
          paragraph(`Good news: ${d.carrierName} has approved ${app} as applied, at ${d.riskClass}.`),
          paragraph('The carrier now issues the policy. We will send you the delivery requirements to collect as soon as it is issued.'),
        ],
      };
    case 'APPROVED_OTHER_THAN_APPLIED':
      return {
        subject: `Approved other than applied (${d.offeredRiskClass}): client must accept or decline`,
        blocks: [
          paragraph(`${d.carrierName} has approved ${app}, but not as applied. It offers different terms:`),
          facts([
            ...(d.appliedRiskClass ? [['Applied for', d.appliedRiskClass] as const] : []),
            ['Offered', d.offeredRiskClass],
            ...(d.rating ? [['Rating', d.rating] as const] : []),
          ]),
          paragraph(
            `Action needed: please review the offer with ${d.insuredName} and get the client’s decision to accept or decline it` +
              (d.respondBy ? `, and let us know by ${formatDate(d.respondBy)}.` : ', then let us know.') +
              ' If the client accepts, the policy is issued on the offered terms and an amendment is signed at delivery.',
          ),
        ],
      };
    case 'POSTPONED':
      return {
        subject: 'Postponed',
        blocks: [
          paragraph(`${d.carrierName} has postponed ${app}.`),
          facts([
            ['Reason', d.reason],
            ...(d.postponeUntil ? [['Postponed until', formatDate(d.postponeUntil)] as const] : []),
          ]),
          paragraph(
            d.postponeUntil
              ? `Your client may apply again after ${formatDate(d.postponeUntil)}.`
              : 'The carrier has not given a date after which your client may apply again.',
          ),
        ],
      };
    case 'DECLINED':
      return {
        subject: 'Declined',
        blocks: [paragraph(`${d.carrierName} has declined ${app}.`), facts([['Reason', d.reason]])],
      };
  }
}
