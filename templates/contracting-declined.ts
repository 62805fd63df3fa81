import { z } from 'zod';
import { line } from './fields';
import { contractingFields, contractingFrame, waitingCases } from './contracting-fields';
import { facts, heading, list, paragraph, renderLayout, type Block, type RenderedEmail } from './layout';

/** Tells the broker the carrier declined to appoint them; the contracting desk gets a copy. */
export const ContractingDeclinedSchema = z.object({
  template: z.literal('contracting-declined'),
  ...contractingFields,
  reason: line(500),
  waitingCases,
});

export type ContractingDeclinedData = z.infer<typeof ContractingDeclinedSchema>;

export function renderContractingDeclined(d: ContractingDeclinedData): RenderedEmail {
  const n = d.waitingCases.length;
  const cases: Block[] = n
    ? [
        heading('Cases waiting on this appointment'),
        list(d.waitingCases),
        paragraph(
          `${n === 1 ? 'This case stays' : 'These cases stay'} on hold: without the appointment ` +
            `${n === 1 ? 'it' : 'they'} cannot be submitted to ${d.carrierName}.`,
        ),
      ]
    : [paragraph('No case of yours is waiting on this appointment.')];
  return renderLayout(contractingFrame(d), `Contracting with ${d.carrierName}: appointment declined`, [
    paragraph(`${d.carrierName} has declined to appoint you through ${d.bgaName}.`),
    facts([
      ['Broker', `${d.brokerName} (NPN ${d.brokerNpn})`],
      ['Carrier', d.carrierName],
      ['Reason given', d.reason],
      ['Contracting reference', d.contractingReference],
    ]),
    ...cases,
    heading('What you can do'),
    paragraph(
      `Write to our contracting desk at ${d.contractingEmail}, quoting reference ${d.contractingReference}, to ` +
        `ask whether ${d.carrierName} would reconsider and what it would need` +
        (n ? ', or talk through placing the waiting cases with another carrier.' : '.'),
    ),
  ]);
}
