import { z } from 'zod';
import { positiveCount } from './fields';
import { contractingFacts, contractingFields, contractingFrame, contractingItems, itemLine, itemsLabel } from './contracting-fields';
import { list, paragraph, renderLayout, type RenderedEmail } from './layout';

export const ContractingReminderSchema = z.object({
  template: z.literal('contracting-reminder'),
  ...contractingFields,
  items: contractingItems,
  reminderNumber: positiveCount,
});

export type ContractingReminderData = z.infer<typeof ContractingReminderSchema>;

export function renderContractingReminder(d: ContractingReminderData): RenderedEmail {
  const one = d.items.length === 1;
  return renderLayout(
    contractingFrame(d),
    `Reminder ${d.reminderNumber}: ${itemsLabel(d.items)} still needed for your ${d.carrierName} appointment`,
    [
      paragraph(
        `Reminder ${d.reminderNumber}: we are still waiting for ${one ? 'this item' : 'these items'} before we can ask ` +
          `${d.carrierName} to appoint you:`,
      ),
      list(d.items.map(itemLine)),
      contractingFacts(d),
      paragraph(`Please reply to this email with ${one ? 'it' : 'them'} attached, quoting reference ${d.contractingReference}.`),
      paragraph(`If you have already sent ${one ? 'it' : 'them'}, or have a question, write to our contracting desk at ${d.contractingEmail}.`),
    ],
  );
}
