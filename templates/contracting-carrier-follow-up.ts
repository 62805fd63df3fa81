import { z } from 'zod';
import { isoDate, positiveCount } from './fields';
import { contractingFields, contractingFrame, contractingItems, itemLine } from './contracting-fields';
import { formatDate } from './format';
import { facts, heading, list, paragraph, renderLayout, type RenderedEmail } from './layout';

/**
 * Chases an appointment request the carrier has not answered. Goes to the carrier's
 * appointments desk, or to our contracting desk when the carrier takes requests on a portal.
 */
export const ContractingCarrierFollowUpSchema = z.object({
  template: z.literal('contracting-carrier-follow-up'),
  ...contractingFields,
  /** The appointment request being chased. */
  items: contractingItems,
  followUpNumber: positiveCount,
  requestedOn: isoDate,
});

export type ContractingCarrierFollowUpData = z.infer<typeof ContractingCarrierFollowUpSchema>;

export function renderContractingCarrierFollowUp(d: ContractingCarrierFollowUpData): RenderedEmail {
  const requested = formatDate(d.requestedOn);
  return renderLayout(
    contractingFrame(d),
    `Follow-up ${d.followUpNumber}: appointment status for ${d.brokerName} (NPN ${d.brokerNpn}), requested ${requested}`,
    [
      paragraph(
        `Follow-up ${d.followUpNumber}: on ${requested}, ${d.bgaName} asked ${d.carrierName} to appoint ${d.brokerName}, ` +
          'and we have not yet heard whether the appointment is made.',
      ),
      facts([
        ['Broker', d.brokerName],
        ['NPN', d.brokerNpn],
        ['Carrier', d.carrierName],
        ['Requested on', requested],
        ['Our contracting reference', d.contractingReference],
      ]),
      heading('Appointment request'),
      list(d.items.map(itemLine)),
      paragraph(
        `Please reply to ${d.contractingEmail} with the status: the appointment date and appointment number if it is made, ` +
          'or what is holding it up if not.',
      ),
    ],
  );
}
