import type { PacketItem } from '../carrier-config';
import type { UsState } from '../catalogue';
import type { ChannelRef } from '../evaluation';
import type { ContractingState, PacketEntry, PacketFile } from './state';

/*
 * What the core asks the shell to do, as plain data. Every key is built from the request
 * (NPN and carrier) and the business fact it is about, never from randomness or the clock, so
 * a retried activity, a replay or a reset cannot make a second email or request.
 */

export type ContractingTemplate =
  | 'contracting-packet'
  | 'contracting-item-returned'
  | 'contracting-reminder'
  | 'contracting-escalation'
  | 'contracting-carrier-follow-up'
  | 'contracting-carrier-escalation'
  | 'contracting-declined';

export interface ContractingEmail {
  kind: 'email';
  key: string;
  template: ContractingTemplate;
  to: string;
  /** One line for the trail. */
  summary: string;
  /** What the email is about: the items asked for, or the request at the carrier. */
  items: { description: string; problem?: string }[];
  /** The reminder or follow-up this is, or the reminders an escalation came after. */
  count?: number;
  /** When the appointment was requested of the carrier, for the carrier emails. */
  requestedOn?: string;
}

export interface PacketSummary {
  item: PacketItem;
  description: string;
  state?: UsState;
  file?: PacketFile;
  details?: PacketEntry['details'];
}

export type ContractingEffect =
  | ContractingEmail
  | { kind: 'request-license-check'; key: string; npn: string; state: UsState }
  | {
      kind: 'request-appointment';
      key: string;
      npn: string;
      carrierCode: string;
      channel: ChannelRef;
      attempt: number;
      states: UsState[];
      packet: PacketSummary[];
    }
  | {
      kind: 'record-appointment';
      key: string;
      npn: string;
      carrierCode: string;
      appointedOn: string;
      appointmentId?: string;
      actor: string;
      licenses: { state: UsState; licenseNumber: string; expiresOn: string }[];
    }
  | { kind: 'release-cases'; key: string; npn: string; carrierCode: string; caseIds: string[] }
  | { kind: 'notify-declined'; key: string; npn: string; carrierCode: string; reason: string; caseIds: string[] };

/**
 * `contracting:<npn>:<carrier>:<what>`, and `contracting:<npn>:<carrier>#<round>:<what>` for a
 * later request for the same pair (after a decline or a cancellation): unique across every
 * request the agency runs.
 */
export const effectKey = (s: Pick<ContractingState, 'npn' | 'carrierCode' | 'round'>, what: string): string =>
  `contracting:${s.npn}:${s.carrierCode}${s.round > 1 ? `#${s.round}` : ''}:${what}`;

const asked = (e: PacketEntry) => ({ description: e.description, ...(e.problem ? { problem: e.problem } : {}) });

/** The emails of a request; `to` and the key follow from the request and the item. */
export const emails = {
  /** The items asked of the broker: the packet when the request opens, a licence when a case needs a new state. */
  packet: (s: ContractingState, what: string, entries: readonly PacketEntry[]): ContractingEmail => ({
    kind: 'email',
    key: effectKey(s, what),
    template: 'contracting-packet',
    to: s.brokerEmail,
    summary: `${entries.length === 1 ? entries[0]!.description : `${entries.length} packet items`} for ${s.carrierName} asked of ${s.brokerName}`,
    items: entries.map(asked),
  }),

  returned: (s: ContractingState, e: PacketEntry): ContractingEmail => ({
    kind: 'email',
    key: effectKey(s, `returned:${e.key}#${e.returns}`),
    template: 'contracting-item-returned',
    to: s.brokerEmail,
    summary: `${e.description} sent back to ${s.brokerName}: ${e.problem ?? ''}`,
    items: [asked(e)],
  }),

  reminder: (s: ContractingState, e: PacketEntry): ContractingEmail => ({
    kind: 'email',
    key: effectKey(s, `reminder:${e.key}#${e.remindersSent}`),
    template: 'contracting-reminder',
    to: s.brokerEmail,
    summary: `Reminder ${e.remindersSent} to ${s.brokerName} about ${e.description}`,
    items: [asked(e)],
    count: e.remindersSent,
  }),

  escalation: (s: ContractingState, e: PacketEntry): ContractingEmail => ({
    kind: 'email',
    key: effectKey(s, `escalation:${e.key}`),
    template: 'contracting-escalation',
    to: s.rules.contractingEmail,
    summary: `${e.description} escalated to contracting after ${e.remindersSent} reminders`,
    items: [asked(e)],
    count: e.remindersSent,
  }),

  /** A carrier taking appointments over HTTPS is chased by contracting on its portal, so they get the follow-up. */
  carrierFollowUp: (s: ContractingState): ContractingEmail => ({
    kind: 'email',
    key: effectKey(s, `carrier-follow-up:${s.carrier.attempt}#${s.carrier.followUpsSent}`),
    template: 'contracting-carrier-follow-up',
    to: s.rules.appointmentChannel.type === 'email' ? s.rules.appointmentChannel.target : s.rules.contractingEmail,
    summary: `Follow-up ${s.carrier.followUpsSent} with ${s.carrierName} on the appointment of ${s.brokerName}`,
    items: [{ description: appointmentDescription(s) }],
    count: s.carrier.followUpsSent,
    ...(s.carrier.sentOn ? { requestedOn: s.carrier.sentOn } : {}),
  }),

  carrierEscalation: (s: ContractingState): ContractingEmail => ({
    kind: 'email',
    key: effectKey(s, `carrier-escalation:${s.carrier.attempt}`),
    template: 'contracting-carrier-escalation',
    to: s.rules.contractingEmail,
    summary: `Appointment of ${s.brokerName} with ${s.carrierName} escalated after ${s.carrier.followUpsSent} follow-ups`,
    items: [{ description: appointmentDescription(s) }],
    count: s.carrier.followUpsSent,
    ...(s.carrier.sentOn ? { requestedOn: s.carrier.sentOn } : {}),
  }),
};

export function appointmentDescription(s: ContractingState): string {
  return `Appointment of ${s.brokerName} (NPN ${s.npn}) with ${s.carrierName}, requested ${s.carrier.sentOn ?? 'not yet'}`;
}
