import { randomUUID } from 'node:crypto';
import { actionProblems, ActionSchemas } from '../../domain/actions';
import { type ActionName, act } from '../operations';
import { renderCase } from './case-view';
import { InputError } from './errors';
import type { ActionOptions } from './options';
import { print, printJson } from './output';
import { inSession } from './session';

/** How a command's input fields are given on its command line, where that is not `--field-name`. */
export interface ActionCommandLine {
  flags?: Record<string, string>;
  /** What a required field is required for, such as "DECLINED". */
  requiredFor?: string;
}

/** An input problem in the words of the command line: `--reason is required for DECLINED`. */
function onCommandLine(problem: { field: string; message: string }, how: ActionCommandLine): string {
  const flag = how.flags?.[problem.field] ?? (problem.field === 'actor' ? '--as' : `--${problem.field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  if (problem.message === 'is required') return `${flag} is required${how.requiredFor ? ` for ${how.requiredFor}` : ''}`;
  return `${flag} ${problem.message}`;
}

/**
 * Sends one action to a case and shows the case as it stands afterwards. The input is checked
 * here first, so a mistake is told in terms of the command's options; the case still checks
 * it against itself, and a refusal comes back as ActionRefusedError naming the field.
 */
export async function runAction(
  caseId: string,
  action: ActionName,
  input: Record<string, unknown>,
  opts: ActionOptions,
  done: string,
  how: ActionCommandLine = {},
): Promise<void> {
  const full = { actor: opts.as, ...input };
  // The first problem of each field is the one to fix; an empty --as need not also hear which characters it may use.
  const problems = actionProblems(ActionSchemas[action], full).filter((p, i, all) => all.findIndex((q) => q.field === p.field) === i);
  if (problems.length) throw new InputError(problems.map((p) => onCommandLine(p, how)).join('\n'));
  await inSession(async (session) => {
    const requestId = opts.requestId ?? randomUUID();
    const state = await act(await session.client(), caseId, action, full, { requestId });
    if (opts.json) return printJson({ case: state });
    // Taken by the case, not yet written to PostgreSQL: reports read the database, so say why they lag.
    const unrecorded = !state.requests?.find((r) => r.id === requestId)?.recorded;
    const note = unrecorded ? '\n(The database record follows: this case is still retrying an email or order, so reports may not show the change yet.)' : '';
    print(`${done}${note}\n\n${renderCase(state, { now: new Date(), uiLink: session.uiLink(caseId) })}`);
  });
}
