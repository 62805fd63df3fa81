import type { PacketItem } from '../carrier-config';
import { appointmentDescription } from './effects';
import { type ContractingState, isTerminal } from './state';

/* What a status display shows of a request: what is missing, and who has to act. */

export type Party = 'BROKER' | 'BGA' | 'CARRIER';

export interface MissingItem {
  item: PacketItem | 'APPOINTMENT';
  description: string;
  waitingOn: Party;
  /** Why it is back with the broker, or what the licence check found. */
  problem?: string;
}

export function whatIsMissing(s: ContractingState): MissingItem[] {
  if (isTerminal(s.stage)) return [];
  const fromBroker: MissingItem[] = s.packet
    .filter((e) => e.status !== 'RECEIVED')
    .map((e) => ({ item: e.item, description: e.description, waitingOn: 'BROKER', ...(e.problem ? { problem: e.problem } : {}) }));
  const checking: MissingItem[] = s.states
    .filter((n) => n.check === 'CHECKING')
    .map((n) => ({
      item: n.resident ? 'RESIDENT_LICENSE' : 'NONRESIDENT_LICENSE',
      description: `${n.state} licence check with the licence source`,
      waitingOn: 'BGA',
    }));
  const atCarrier: MissingItem[] = s.stage === 'AT_CARRIER' ? [{ item: 'APPOINTMENT', description: appointmentDescription(s), waitingOn: 'CARRIER' }] : [];
  return [...fromBroker, ...checking, ...atCarrier];
}

/** Who must act next: the broker first, as nothing reaches the carrier without their papers. */
export function waitingOn(s: ContractingState): Party | undefined {
  const parties = new Set(whatIsMissing(s).map((m) => m.waitingOn));
  return (['BROKER', 'BGA', 'CARRIER'] as const).find((p) => parties.has(p));
}
