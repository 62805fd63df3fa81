import type { WorkflowHandle } from '@temporalio/client';
import type { CaseState } from '../../domain/case';
import { type ActionName, type ActOptions, act } from '../../client/operations';

/** Runs an ops action on the case behind a handle, as `bga` and the API do: a signal, then its outcome. */
export const perform = (h: WorkflowHandle, action: ActionName, input: Record<string, unknown>, opts?: ActOptions): Promise<CaseState> =>
  act({ workflow: h.client }, h.workflowId, action, input, opts);
