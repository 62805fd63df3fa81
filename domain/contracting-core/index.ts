/*
 * The broker-contracting core: one request for one broker and one carrier, pure and
 * deterministic. The shell feeds it inputs and ticks, keeps its state, and runs its effects.
 */

export * from './actions';
export * from './names';
export { tick, nextWake } from './clock';
export { decide, type ActionOutcome, type Decision } from './decide';
export { effectKey, type ContractingEffect, type ContractingEmail, type ContractingTemplate, type PacketSummary } from './effects';
export { openContracting } from './open';
export { noteEffect } from './notes';
export * from './state';
export { waitingOn, whatIsMissing, type MissingItem, type Party } from './status';
