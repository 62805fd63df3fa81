import type { CaseEmail } from '../case-emails';
import type { CaseState } from '../../domain/case';
import { renderCase, renderEmails } from './case-view';
import { print, printJson } from './output';

/**
 * What `bga status` prints, whichever way it read the case (the API, or Temporal and PostgreSQL
 * directly), so the two cannot drift apart. `emails` is the list, or why it is not shown; JSON
 * then has `"emails": null`.
 */
export function printStatus(state: CaseState, emails: CaseEmail[] | string, uiLink: string, json: boolean): void {
  const list = typeof emails === 'string' ? null : emails;
  if (json) return printJson({ case: state, emails: list });
  print(`${renderCase(state, { now: new Date(), uiLink })}\n\n${list ? renderEmails(list) : emails}`);
}
