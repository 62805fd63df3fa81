/* The inputs a contracting request takes, by the name callers give them; free of zod, so workflow modules can load it. */
export const CONTRACTING_ACTION_NAMES = ['join-case', 'receive-item', 'reject-item', 'license-verified', 'carrier-appointed', 'carrier-declined', 'cancel'] as const;
export type ContractingActionName = (typeof CONTRACTING_ACTION_NAMES)[number];
