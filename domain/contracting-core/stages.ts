import type { Draft } from './draft';
import { effectKey } from './effects';
import { type ContractingStage, type ContractingState, isLicenseItem, isTerminal, type LicenseNeed } from './state';

/*
 * How a request moves between "At producer", "At BGA" and "At carrier". The stage follows
 * from the packet and the licence checks, so any change (an item received or sent back, a
 * new state from a joining case) moves it the same way, forwards or back.
 */

/**
 * A licence copy missing once the packet is in (sent back after a failed check, or asked for
 * by a case that joined later) keeps the request at the BGA: verifying licences is its work.
 */
function nextStage(s: ContractingState): ContractingStage {
  const allIn = s.packet.every((e) => e.status === 'RECEIVED');
  const papersIn = s.packet.every((e) => e.status === 'RECEIVED' || isLicenseItem(e.item));
  const licensed = s.states.every((n) => n.check === 'ACTIVE');
  switch (s.stage) {
    case 'COLLECTING_PACKET':
      return allIn ? 'VERIFYING_LICENSE' : 'COLLECTING_PACKET';
    case 'VERIFYING_LICENSE':
    case 'AT_CARRIER':
      if (!papersIn) return 'COLLECTING_PACKET';
      return allIn && licensed ? 'AT_CARRIER' : 'VERIFYING_LICENSE';
    default:
      return s.stage;
  }
}

/** Moves the request as far as its facts allow, listing the checks and the request each new stage asks for. */
export function advance(d: Draft): void {
  const s = d.state;
  if (isTerminal(s.stage)) return;
  for (let next = nextStage(s); next !== s.stage; next = nextStage(s)) {
    if (s.stage === 'AT_CARRIER') delete s.carrier.nextFollowUpOn;
    d.enterStage(next, 'system');
    if (next === 'VERIFYING_LICENSE') for (const need of s.states) if (need.check === 'NOT_CHECKED') requestLicenseCheck(d, need);
    if (next === 'AT_CARRIER') requestAppointment(d);
  }
}

export function requestLicenseCheck(d: Draft, need: LicenseNeed): void {
  need.check = 'CHECKING';
  need.checksRequested += 1;
  delete need.problem;
  d.event('LICENSE_CHECK_REQUESTED', 'system', `${need.state} licence check ${need.checksRequested} requested`);
  d.emit({ kind: 'request-license-check', key: effectKey(d.state, `license-check:${need.state}#${need.checksRequested}`), npn: d.state.npn, state: need.state });
}

function requestAppointment(d: Draft): void {
  const s = d.state;
  s.carrier = {
    attempt: s.carrier.attempt + 1,
    sentOn: d.today,
    followUpsSent: 0,
    nextFollowUpOn: d.addDays(d.today, s.rules.followUp.carrierFollowUpBusinessDays),
    escalated: false,
  };
  const states = s.states.map((n) => n.state);
  d.event('APPOINTMENT_REQUESTED', 'system', `Appointment in ${states.join(', ')} requested of ${s.carrierName} (attempt ${s.carrier.attempt})`);
  d.emit({
    kind: 'request-appointment',
    key: effectKey(s, `appointment-request#${s.carrier.attempt}`),
    npn: s.npn,
    carrierCode: s.carrierCode,
    channel: s.rules.appointmentChannel,
    attempt: s.carrier.attempt,
    states,
    packet: s.packet.map((e) => ({
      item: e.item,
      description: e.description,
      ...(e.state ? { state: e.state } : {}),
      ...(e.file ? { file: e.file } : {}),
      ...(e.details ? { details: e.details } : {}),
    })),
  });
}
