import { z } from 'zod';
import { positiveCount } from './fields';
import { contractingFields, contractingFrame, contractingItems, itemLine, itemsLabel } from './contracting-fields';
import { count } from './format';
import { facts, heading, list, paragraph, renderLayout, type RenderedEmail } from './layout';

/** Tells the contracting desk that reminders have not moved the broker: a person should call. */
export const ContractingEscalationSchema = z.object({
  template: z.literal('contracting-escalation'),
  ...contractingFields,
  items: contractingItems,
  remindersSent: positiveCount,
});

export type ContractingEscalationData = z.infer<typeof ContractingEscalationSchema>;

export function renderContractingEscalation(d: ContractingEscalationData): RenderedEmail {
  const reminders = count(d.remindersSent, 'reminder');
  return renderLayout(
    contractingFrame(d),
    `Call the broker: ${d.brokerName} has not sent ${itemsLabel(d.items)} after ${reminders} — ${d.carrierName} contracting`,
    [
      paragraph(
        `${d.brokerName} has not sent what the ${d.carrierName} appointment needs after ${reminders}. ` +
          'The automated reminders are not moving this; please call the broker.',
      ),
      facts([
        ['Broker', d.brokerName],
        ['NPN', d.brokerNpn],
        ['Carrier', d.carrierName],
        ['Reminders sent', String(d.remindersSent)],
        ['Contracting reference', d.contractingReference],
      ]),
      heading('Still outstanding'),
      list(d.items.map(itemLine)),
      paragraph(
        `Each reminder asked the broker to reply with the documents or write to ${d.contractingEmail}. ` +
          'Record what the broker tells you on the contracting request.',
      ),
    ],
  );
}
