import type { WorkflowHandle } from '@temporalio/client';
import type { CaseState } from '../../domain/case';
import { type ActionName, type ActOptions, act } from '../../client/operations';

/**
 * Runs an ops action on the case behind a handle, as `bga` and the API do: a signal, then its
 * outcome. Unlike them it waits as long as it takes for the database record, so a test can read
 * PostgreSQL right after, however busy the machine.
 */
export const perform = (h: WorkflowHandle, action: ActionName, input: Record<string, unknown>, opts?: ActOptions): Promise<CaseState> =>
  act({ workflow: h.client }, h.workflowId, action, input, { recordWaitMs: 60_000, waitMs: 60_000, ...opts });
