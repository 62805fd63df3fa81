import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Problem } from '../domain/case-core/requests';
import type { ContractingState, MissingItem, Party } from '../domain/contracting-core';
import { CONTRACTING_ACTION_NAMES, type ContractingActionName } from '../domain/contracting-core/names';

/* The contracting workflow's signals and queries, defined once for the workflow, the CLI and the API. */

export { CONTRACTING_ACTION_NAMES };

export interface ContractingRequestMessage {
  requestId: string;
  /** As the caller sent it; the core parses it again. */
  input: unknown;
}

/** One signal per input, named as the CLI names it, so the Web UI's history reads like the trail. */
export const contractingSignals = Object.fromEntries(
  CONTRACTING_ACTION_NAMES.map((name) => [name, defineSignal<[ContractingRequestMessage]>(name)]),
) as { [N in ContractingActionName]: ReturnType<typeof defineSignal<[ContractingRequestMessage]>> };

export interface ContractingRequestRecord {
  id: string;
  action: ContractingActionName;
  at: string;
  status: 'APPLIED' | 'REFUSED';
  problems?: Problem[];
  /** Set once PostgreSQL holds the change the request made. */
  recorded?: boolean;
}

export interface ContractingView {
  /** The workflow ID and the instant the request opened: the row in PostgreSQL. */
  id: string;
  workflowId: string;
  state: ContractingState;
  missing: MissingItem[];
  waitingOn?: Party;
  requests: ContractingRequestRecord[];
}

export const contractingQuery = defineQuery<ContractingView | undefined>('contractingState');

/** A request's outcome and the request as it stands after it; undefined until the workflow has taken it. */
export const contractingRequestQuery = defineQuery<{ request: ContractingRequestRecord; view: ContractingView } | undefined, [string]>('contractingRequest');

/** Workflow IDs name the pair, so every case for it finds the one running request. */
export const contractingWorkflowId = (npn: string, carrierCode: string): string => `contracting-${npn}-${carrierCode.toLowerCase()}`;
