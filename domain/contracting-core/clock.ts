import { Draft } from './draft';
import { type ContractingEffect, emails } from './effects';
import { type ContractingState, isTerminal, type PacketEntry } from './state';

/*
 * Follow-ups, on the carrier's business-day cadence: the broker about each outstanding item,
 * the carrier about the appointment request. Each escalates to contracting once, when its
 * limit of follow-ups is reached. A late tick sends one follow-up and counts the next from
 * that day, so a worker that was down does not flood the broker.
 */

export function tick(state: ContractingState, at: string): { state: ContractingState; effects: ContractingEffect[] } {
  const d = new Draft(state, at);
  const s = d.state;
  if (isTerminal(s.stage)) return { state: s, effects: [] };
  for (const e of s.packet) if (due(e.status !== 'RECEIVED' ? e.nextReminderOn : undefined, d.today)) remindBroker(d, e);
  if (s.stage === 'AT_CARRIER' && due(s.carrier.nextFollowUpOn, d.today)) followUpCarrier(d);
  return { state: s, effects: d.effects };
}

/** The earliest date the request needs a tick; undefined when only people, the licence source or the carrier can move it. */
export function nextWake(s: ContractingState): string | undefined {
  if (isTerminal(s.stage)) return undefined;
  const dates = s.packet.filter((e) => e.status !== 'RECEIVED').map((e) => e.nextReminderOn);
  if (s.stage === 'AT_CARRIER') dates.push(s.carrier.nextFollowUpOn);
  const defined = dates.filter((date): date is string => date !== undefined).sort();
  return defined[0];
}

const due = (on: string | undefined, today: string): boolean => on !== undefined && on <= today;

function remindBroker(d: Draft, e: PacketEntry): void {
  const { followUp } = d.state.rules;
  e.remindersSent += 1;
  e.nextReminderOn = d.nextReminder();
  d.event('REMINDER_SENT', 'system', `Reminder ${e.remindersSent} to the broker about ${e.description}`);
  d.emit(emails.reminder(d.state, e));
  if (e.remindersSent >= followUp.remindersBeforeEscalation && !e.escalated) {
    e.escalated = true;
    d.event('ESCALATED', 'system', `${e.description} escalated to contracting`);
    d.emit(emails.escalation(d.state, e));
  }
}

function followUpCarrier(d: Draft): void {
  const s = d.state;
  const c = s.carrier;
  c.followUpsSent += 1;
  c.nextFollowUpOn = d.addDays(d.today, s.rules.followUp.carrierFollowUpBusinessDays);
  d.event('CARRIER_FOLLOW_UP', 'system', `Follow-up ${c.followUpsSent} with ${s.carrierName} on the appointment request`);
  d.emit(emails.carrierFollowUp(s));
  if (c.followUpsSent >= s.rules.followUp.carrierFollowUpsBeforeEscalation && !c.escalated) {
    c.escalated = true;
    d.event('ESCALATED', 'system', `Appointment request with ${s.carrierName} escalated to contracting`);
    d.emit(emails.carrierEscalation(s));
  }
}
