import type { Problem } from '../domain/case-core/requests';

/*
 * The case answers a caller must tell apart, in a module of their own: `bga status` raises them
 * from an API answer too, without loading the Temporal client that client/operations.ts needs.
 */

export class CaseNotFoundError extends Error {
  override name = 'CaseNotFoundError';
  constructor(readonly caseId: string) {
    super(`No case ${caseId}. Find case IDs with \`bga list\`.`);
  }
}

/** The case refused the action: bad input (the message names the field) or a closed case. Nothing changed. */
export class ActionRefusedError extends Error {
  override name = 'ActionRefusedError';
  constructor(
    message: string,
    readonly problems: Problem[] = [{ message }],
  ) {
    super(message);
  }
}
