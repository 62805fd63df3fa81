import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CaseState } from '../domain/case';
import { ACTION_NAMES, type ActionName, type ActionRequest, type RequestRecord } from '../domain/case-core/requests';

/* Defined once; the workflow implements them and the client and API send them. */

export const caseStateQuery = defineQuery<CaseState>('caseState');

/** One signal per ops action, named as the CLI and the API name it, so the Web UI's history reads as the trail does. */
export const actionSignals = Object.fromEntries(ACTION_NAMES.map((name) => [name, defineSignal<[ActionRequest]>(name)])) as {
  [A in ActionName]: ReturnType<typeof defineSignal<[ActionRequest]>>;
};

export interface RequestResult {
  request: RequestRecord;
  state: CaseState;
}

/**
 * A request's outcome with the case as it stands, once the case has taken it and moved as far
 * as it can (the stage it led to is known); undefined before. `request.recorded` says whether
 * PostgreSQL has the outcome yet.
 */
export const requestResultQuery = defineQuery<RequestResult | undefined, [string]>('requestResult');
