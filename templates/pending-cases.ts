import { z } from 'zod';
import { REQUIREMENT_STATUSES, STAGES } from '../domain/case';
import { days, isoDate, line, npn } from './fields';
import { count, formatDate } from './format';
import { heading, paragraph, renderLayout, table, type Block, type RenderedEmail } from './layout';

const openStage = z.enum(STAGES).exclude(['CLOSED']);
export type OpenStage = z.infer<typeof openStage>;
const openStatus = z.enum(REQUIREMENT_STATUSES).extract(['OUTSTANDING', 'ORDERED', 'SCHEDULED']);
export type OpenStatus = z.infer<typeof openStatus>;

const PendingCaseSchema = z.object({
  caseReference: line(80),
  carrierName: line(120),
  applicationNumber: line(30),
  insuredName: line(120),
  stage: openStage,
  daysInStage: days,
  outstanding: z
    .array(z.object({ description: line(200), status: openStatus }))
    .max(50, 'must list at most 50 items'),
});

export const PendingCasesSchema = z.object({
  template: z.literal('pending-cases'),
  bgaName: line(120),
  /** The report's own reference, for the footer; each case carries its case reference too. */
  reportReference: line(80),
  brokerName: line(120),
  brokerNpn: npn,
  weekOf: isoDate,
  cases: z.array(PendingCaseSchema).min(1, 'must list at least one case').max(500, 'must list at most 500 cases'),
});

export type PendingCasesData = z.infer<typeof PendingCasesSchema>;

const STAGE_LABELS: Record<OpenStage, string> = {
  COMPLETENESS_REVIEW: 'Completeness review',
  REQUIREMENTS: 'Requirements',
  LICENSING_HOLD: 'Licensing hold',
  UNDERWRITING: 'Underwriting',
  OFFER_PENDING: 'Offer pending',
  APPROVED: 'Approved, awaiting issue',
  PLACEMENT: 'Placement',
};

const STATUS_LABELS: Record<OpenStatus, string> = {
  OUTSTANDING: 'Outstanding',
  ORDERED: 'Ordered',
  SCHEDULED: 'Scheduled',
};

/** NIGO items live in the workflow, not the requirement table; the broker already has them in the NIGO email. */
function noItemsText(stage: OpenStage): string {
  return stage === 'COMPLETENESS_REVIEW'
    ? 'No requirements yet: the application is in completeness review. Anything not in good order is listed in our separate email.'
    : 'No outstanding requirements.';
}

function caseBlocks(c: PendingCasesData['cases'][number]): Block[] {
  return [
    heading(`${c.insuredName}: ${c.carrierName} application ${c.applicationNumber}`),
    paragraph(`${STAGE_LABELS[c.stage]} for ${count(c.daysInStage, 'day')}. Case reference ${c.caseReference}.`),
    table(
      ['Outstanding item', 'Status'],
      c.outstanding.map((i) => [i.description, STATUS_LABELS[i.status]]),
      noItemsText(c.stage),
    ),
  ];
}

export function renderPendingCases(d: PendingCasesData): RenderedEmail {
  const open = count(d.cases.length, 'open case');
  return renderLayout({ bgaName: d.bgaName, caseReference: d.reportReference }, `Pending-case report for the week of ${formatDate(d.weekOf)}: ${open}`, [
    paragraph(`Dear ${d.brokerName} (NPN ${d.brokerNpn}), you have ${open} with ${d.bgaName}. Here is where each one stands and what it is still waiting for.`),
    table(
      ['Insured', 'Carrier', 'Application', 'Stage', 'Days in stage'],
      d.cases.map((c) => [c.insuredName, c.carrierName, c.applicationNumber, STAGE_LABELS[c.stage], String(c.daysInStage)]),
    ),
    ...d.cases.flatMap(caseBlocks),
    paragraph('To ask about a case, reply to this email quoting its case reference.'),
  ]);
}
