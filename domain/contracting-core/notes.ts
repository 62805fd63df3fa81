import { Draft } from './draft';
import type { ContractingState } from './state';

/**
 * What the shell saw of an effect, kept in the request's trail: an email delivered, or one the
 * carrier's channel or the broker's mail server refused for good, for contracting to act on.
 */
export function noteEffect(state: ContractingState, at: string, type: 'EMAIL_SENT' | 'APPOINTMENT_REQUEST_SENT' | 'EFFECT_FAILED', description: string): ContractingState {
  const d = new Draft(state, at);
  d.event(type, 'system', description);
  return d.state;
}
