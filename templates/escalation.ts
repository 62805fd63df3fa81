import { z } from 'zod';
import { days, isoDate, line, productCaseFields } from './fields';
import { caseLabel, count, formatDate } from './format';
import { facts, heading, paragraph, renderLayout, table, type RenderedEmail } from './layout';

export const EscalationSchema = z.object({
  template: z.literal('escalation'),
  ...productCaseFields,
  brokerName: line(120),
  reason: line(500),
  outstanding: z.array(z.object({ description: line(200), daysOpen: days })).max(50, 'must list at most 50 items'),
  followUps: z.array(z.object({ on: isoDate, description: line(200) })).max(50, 'must list at most 50 follow-ups'),
});

export type EscalationData = z.infer<typeof EscalationSchema>;

export function renderEscalation(d: EscalationData): RenderedEmail {
  const summary = d.outstanding.length
    ? `${count(d.outstanding.length, 'item')} open, oldest ${count(Math.max(...d.outstanding.map((i) => i.daysOpen)), 'day')}`
    : `${count(d.followUps.length, 'follow-up')} done`;
  return renderLayout(d, `Needs a case manager: ${summary} — ${caseLabel(d)}`, [
    paragraph('This case needs a person: the automated follow-up cannot move it forward on its own.'),
    facts([
      ['Reason', d.reason],
      ['Insured', d.insuredName],
      ['Carrier', d.carrierName],
      ['Application number', d.applicationNumber],
      ['Broker', d.brokerName],
      ['Case reference', d.caseReference],
    ]),
    heading('Outstanding items'),
    table(['Item', 'Open for'], d.outstanding.map((i) => [i.description, count(i.daysOpen, 'day')])),
    heading('Follow-ups done'),
    table(['Date', 'Follow-up'], d.followUps.map((f) => [formatDate(f.on), f.description])),
  ]);
}
