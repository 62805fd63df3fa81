import { z } from 'zod';
import { US_STATES } from '../domain/catalogue';
import { line, positiveCount } from './fields';
import { contractingFields, contractingFrame } from './contracting-fields';
import { count } from './format';
import { facts, heading, paragraph, renderLayout, table, type RenderedEmail } from './layout';

/** Asks the carrier to appoint the broker, with the packet described and its documents attached. */
export const ContractingAppointmentRequestSchema = z.object({
  template: z.literal('contracting-appointment-request'),
  ...contractingFields,
  /** The states to appoint in. */
  states: z
    .array(z.enum(US_STATES, { message: 'must be a two-letter US state code' }))
    .min(1, 'must name at least one state')
    .max(US_STATES.length, `must name at most ${US_STATES.length} states`),
  /** 1 for the first request; more when it is sent again. */
  attempt: positiveCount,
  /** Each packet item, with a line such as "Acme E&O, $1,000,000, expires 2027-06-30". */
  packet: z
    .array(z.object({ description: line(200), detail: line(300).optional() }))
    .min(1, 'must list at least one item')
    .max(30, 'must list at most 30 items'),
  /** How many of the packet's documents are attached. */
  attachedFiles: z.number().int('must be a whole number').min(0, 'must not be negative'),
});

export type ContractingAppointmentRequestData = z.infer<typeof ContractingAppointmentRequestSchema>;

export function renderContractingAppointmentRequest(d: ContractingAppointmentRequestData): RenderedEmail {
  const states = d.states.join(', ');
  const resent = d.attempt > 1;
  const attached = d.attachedFiles
    ? `The packet’s ${count(d.attachedFiles, 'document')} ${d.attachedFiles === 1 ? 'is' : 'are'} attached to this email.`
    : `No documents are attached to this email; write to ${d.contractingEmail} if you need copies.`;
  return renderLayout(
    contractingFrame(d),
    `Appointment request: ${d.brokerName} (NPN ${d.brokerNpn}) in ${states}${resent ? ' — resent' : ''}`,
    [
      paragraph(
        `${d.bgaName} requests the appointment of ${d.brokerName} (NPN ${d.brokerNpn}) with ${d.carrierName} in ${states}.` +
          (resent ? ` This request is sent again (attempt ${d.attempt}): we have no answer to the earlier one.` : ''),
      ),
      facts([
        ['Broker', d.brokerName],
        ['NPN', d.brokerNpn],
        [d.states.length === 1 ? 'State' : 'States', states],
        ['Agency', d.bgaName],
        ['Our contracting reference', d.contractingReference],
      ]),
      heading('Contracting packet'),
      table(['Item', 'Detail'], d.packet.map((p) => [p.description, p.detail])),
      paragraph(attached),
      paragraph(
        `Once the appointment is made, please reply to ${d.contractingEmail} with the appointment date and the appointment number, ` +
          `quoting reference ${d.contractingReference}. If anything is missing, tell us at the same address.`,
      ),
    ],
  );
}
