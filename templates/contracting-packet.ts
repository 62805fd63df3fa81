import { z } from 'zod';
import {
  contractingFacts,
  contractingFields,
  contractingFrame,
  contractingItems,
  itemLine,
  itemsLabel,
  waitingCases,
  type ContractingItem,
} from './contracting-fields';
import { heading, list, paragraph, renderLayout, type Block, type RenderedEmail } from './layout';

/** Asks the broker for what the carrier needs before it will appoint them. */
export const ContractingPacketSchema = z.object({
  template: z.literal('contracting-packet'),
  ...contractingFields,
  items: contractingItems,
  waitingCases,
});

export type ContractingPacketData = z.infer<typeof ContractingPacketSchema>;

/*
 * What each kind of document must show for the desk to accept it, given only when the email
 * asks for one. Items arrive as descriptions, so the kind is read from the wording.
 */
const DOCUMENT_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bE&O\b|errors (and|&) omissions/i, 'The E&O certificate must show the insurance carrier, the limit of coverage and the expiry date.'],
  [/\bAML\b|anti-money/i, 'The AML training certificate must show the date you completed the course.'],
  [/licen[cs]e/i, 'Each license copy must show the license number and the expiry date.'],
];

const rulesFor = (items: readonly ContractingItem[]): string[] =>
  DOCUMENT_RULES.filter(([pattern]) => items.some((i) => pattern.test(i.description))).map(([, rule]) => rule);

export function renderContractingPacket(d: ContractingPacketData): RenderedEmail {
  const waiting: Block[] = d.waitingCases.length
    ? [
        paragraph(
          `${d.waitingCases.length === 1 ? 'This case is' : 'These cases are'} waiting on the appointment ` +
            `and cannot be submitted to ${d.carrierName} until it is in place:`,
        ),
        list(d.waitingCases),
      ]
    : [];
  return renderLayout(contractingFrame(d), `Contracting with ${d.carrierName}: ${itemsLabel(d.items)} needed from ${d.brokerName}`, [
    paragraph(
      `To write business with ${d.carrierName} through ${d.bgaName}, you need to be appointed with ${d.carrierName}. ` +
        `We request the appointment for you once we have the ${d.items.length === 1 ? 'item' : 'items'} below.`,
    ),
    contractingFacts(d),
    ...waiting,
    heading('What we need from you'),
    list(d.items.map(itemLine)),
    heading(d.items.length === 1 ? 'How to send it' : 'How to send them'),
    list([`Reply to this email with the documents attached, quoting reference ${d.contractingReference}.`, ...rulesFor(d.items)]),
    paragraph(`Questions? Write to our contracting desk at ${d.contractingEmail}.`),
  ]);
}
