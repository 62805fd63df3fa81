import { z } from 'zod';
import { isoDate, OutstandingItemSchema, positiveCount, productCaseFields } from './fields';
import { caseLabel, count, formatDate } from './format';
import { paragraph, renderLayout, table, type RenderedEmail } from './layout';

export const ReminderSchema = z.object({
  template: z.literal('reminder'),
  ...productCaseFields,
  reminderNumber: positiveCount,
  outstanding: z.array(OutstandingItemSchema).min(1, 'must list at least one item').max(50, 'must list at most 50 items'),
  nextDeadline: isoDate,
});

export type ReminderData = z.infer<typeof ReminderSchema>;

export function renderReminder(d: ReminderData): RenderedEmail {
  const items = count(d.outstanding.length, 'item');
  return renderLayout(d, `Reminder ${d.reminderNumber}: ${items} still outstanding — ${caseLabel(d)}`, [
    paragraph(
      `Reminder ${d.reminderNumber}: we are still waiting for ${items} on the application for ${d.insuredName} ` +
        `(${d.carrierName}, application ${d.applicationNumber}).`,
    ),
    table(['Outstanding item', 'What to do'], d.outstanding.map((i) => [i.description, i.action])),
    paragraph(`Please send them by ${formatDate(d.nextDeadline)}, quoting case reference ${d.caseReference}.`),
  ]);
}
