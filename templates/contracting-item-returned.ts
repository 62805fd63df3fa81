import { z } from 'zod';
import { contractingFacts, contractingFields, contractingFrame, returnedItems } from './contracting-fields';
import { count } from './format';
import { paragraph, renderLayout, table, type RenderedEmail } from './layout';

/** Sends packet items back to the broker with what was wrong, so the right copy comes back. */
export const ContractingItemReturnedSchema = z.object({
  template: z.literal('contracting-item-returned'),
  ...contractingFields,
  items: returnedItems,
});

export type ContractingItemReturnedData = z.infer<typeof ContractingItemReturnedSchema>;

export function renderContractingItemReturned(d: ContractingItemReturnedData): RenderedEmail {
  const [first, ...rest] = d.items;
  const others = rest.length ? ` and ${count(rest.length, 'other item')}` : '';
  const one = d.items.length === 1;
  return renderLayout(contractingFrame(d), `Contracting with ${d.carrierName}: please send again — ${first?.description ?? ''}${others}`, [
    paragraph(
      `We could not use ${one ? 'one of the items' : 'some of the items'} you sent for your appointment with ${d.carrierName}. ` +
        `${one ? 'It needs' : 'Each needs'} to be sent again before we can request the appointment.`,
    ),
    contractingFacts(d),
    table(['Item', 'What was wrong'], d.items.map((i) => [i.description, i.problem])),
    paragraph(
      `Please reply to this email with a corrected copy of ${one ? 'it' : 'each'} attached, quoting reference ${d.contractingReference}.`,
    ),
    paragraph(`Questions? Write to our contracting desk at ${d.contractingEmail}.`),
  ]);
}
