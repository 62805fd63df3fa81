import { type ActionName, act } from '../operations';
import { renderCase } from './case-view';
import type { ActionOptions } from './options';
import { print, printJson } from './output';
import { inSession } from './session';

/**
 * Sends one action to a case and shows the case as it stands afterwards. The case validates
 * the input itself; a refusal comes back as ActionRefusedError naming the field.
 */
export async function runAction(
  caseId: string,
  action: ActionName,
  input: Record<string, unknown>,
  opts: ActionOptions,
  done: string,
): Promise<void> {
  await inSession(async (session) => {
    const state = await act(await session.client(), caseId, action, { actor: opts.as, ...input });
    if (opts.json) printJson({ case: state });
    else print(`${done}\n\n${renderCase(state, { now: new Date(), uiLink: session.uiLink(caseId) })}`);
  });
}

