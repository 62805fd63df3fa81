import type { OpenContracting } from './actions';
import { Draft } from './draft';
import { type ContractingEffect, emails } from './effects';
import type { ContractingRules, ContractingState } from './state';

/**
 * A new request, asking the broker for the carrier's packet. The non-resident licences wait
 * for the cases that need them (join-case). The input is OpenContractingSchema's output: the
 * shell starts a request from a broker it has on record.
 */
export function openContracting(input: OpenContracting, rules: ContractingRules, at: string, round = 1): { state: ContractingState; effects: ContractingEffect[] } {
  const empty: ContractingState = {
    npn: input.npn,
    brokerName: input.brokerName,
    brokerEmail: input.brokerEmail,
    carrierCode: rules.carrierCode,
    carrierName: rules.carrierName,
    round,
    rules,
    stage: 'COLLECTING_PACKET',
    stageEnteredAt: at,
    states: [{ state: input.residentState, resident: true, check: 'NOT_CHECKED', checksRequested: 0 }],
    cases: [],
    packet: [],
    carrier: { attempt: 0, followUpsSent: 0, escalated: false },
    events: [],
  };
  const d = new Draft(empty, at);
  for (const { item } of rules.packet) {
    if (item === 'NONRESIDENT_LICENSE') continue;
    d.addEntry(item, item === 'RESIDENT_LICENSE' ? input.residentState : undefined);
  }
  d.event('OPENED', input.actor, `Contracting with ${rules.carrierName} opened for ${input.brokerName} (NPN ${input.npn}, resident in ${input.residentState})`);
  d.emit(emails.packet(d.state, 'packet', d.state.packet));
  return { state: d.state, effects: d.effects };
}
