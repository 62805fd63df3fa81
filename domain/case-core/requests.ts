import type { Stage } from '../case';

/*
 * An ops action as it travels from the CLI or the API to the case, and what the case made of
 * it. The request ID is the caller's: the case applies each one once, so a retried send, a
 * replay or a reset never applies an action twice.
 */

export const ACTION_NAMES = [
  'receive-requirement',
  'waive-requirement',
  'add-requirement',
  'review',
  'review-requirement',
  'vendor-status',
  'decision',
  'offer-response',
  'record-appointment',
  'recheck-licensing',
  'resubmit',
  'withdraw',
  'note',
  'receive-document',
  'review-document',
  'contracting-outcome',
] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

/**
 * Actions people send as such. A received document comes only through the document intake,
 * which stores the file first; a contracting outcome only from the contracting workflow.
 */
export type OpsActionName = Exclude<ActionName, 'receive-document' | 'contracting-outcome'>;
export const OPS_ACTION_NAMES = ACTION_NAMES.filter((n): n is OpsActionName => n !== 'receive-document' && n !== 'contracting-outcome');

export const isActionName = (name: string): name is ActionName => (ACTION_NAMES as readonly string[]).includes(name);

export interface ActionRequest {
  requestId: string;
  /** The action's input as the caller sent it; the case parses it again, as it trusts no sender. */
  input: unknown;
}

export interface Problem {
  /** The field at fault, as a path (`license.expiresOn`); absent when the case as a whole refuses. */
  field?: string;
  message: string;
}

export interface RequestRecord {
  id: string;
  action: ActionName;
  at: string;
  actor?: string;
  status: 'APPLIED' | 'REFUSED';
  problems?: Problem[];
  stageBefore: Stage;
  /**
   * The stage once the case had moved as far as the action took it without waiting on anyone:
   * set when the case next waits, so a caller sees the transition the action caused.
   */
  settledStage?: Stage;
  /** Set once the trail in PostgreSQL holds the outcome: a caller answered then reads its change in every report. */
  recorded?: boolean;
}

/** How many request outcomes a case remembers; a retry comes within seconds, and a case takes a few hundred actions at most. */
export const REQUESTS_KEPT = 300;

export const describeProblems = (problems: readonly Problem[]): string =>
  problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; ');

/** Thrown by a decider's check: the action does not fit the case, and nothing changed. */
export class Refusal extends Error {
  constructor(readonly problems: Problem[]) {
    super(describeProblems(problems));
  }
}

export const refuse = (field: string | undefined, message: string): never => {
  throw new Refusal([{ ...(field ? { field } : {}), message }]);
};
