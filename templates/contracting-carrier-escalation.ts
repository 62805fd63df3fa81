import { z } from 'zod';
import { isoDate, positiveCount } from './fields';
import { contractingFields, contractingFrame, contractingItems, itemLine } from './contracting-fields';
import { count, formatDate } from './format';
import { facts, heading, list, paragraph, renderLayout, type RenderedEmail } from './layout';

/** Tells the contracting desk that follow-ups have not got an answer from the carrier. */
export const ContractingCarrierEscalationSchema = z.object({
  template: z.literal('contracting-carrier-escalation'),
  ...contractingFields,
  /** The appointment request that has gone unanswered. */
  items: contractingItems,
  followUpsSent: positiveCount,
  requestedOn: isoDate,
});

export type ContractingCarrierEscalationData = z.infer<typeof ContractingCarrierEscalationSchema>;

export function renderContractingCarrierEscalation(d: ContractingCarrierEscalationData): RenderedEmail {
  const followUps = count(d.followUpsSent, 'follow-up');
  const requested = formatDate(d.requestedOn);
  return renderLayout(
    contractingFrame(d),
    `Appointment stalled: ${d.carrierName} has not answered ${followUps} on ${d.brokerName} (NPN ${d.brokerNpn})`,
    [
      paragraph(
        `${d.carrierName} has not answered ${followUps} on the appointment of ${d.brokerName}, requested on ${requested}. ` +
          'The automated follow-up cannot move this further; please contact the carrier’s appointments team.',
      ),
      facts([
        ['Broker', d.brokerName],
        ['NPN', d.brokerNpn],
        ['Carrier', d.carrierName],
        ['Requested on', requested],
        ['Follow-ups sent', String(d.followUpsSent)],
        ['Contracting reference', d.contractingReference],
      ]),
      heading('Waiting at the carrier'),
      list(d.items.map(itemLine)),
      paragraph(`Each follow-up asked the carrier to reply to ${d.contractingEmail}.`),
      paragraph('Once the carrier answers, record the appointment (date and appointment number) or the decline on the contracting request.'),
    ],
  );
}
