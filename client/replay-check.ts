import { type Client, type WorkflowExecutionInfo, WorkflowNotFoundError } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { type History, Worker } from '@temporalio/worker';

/*
 * Replays the histories of existing cases against a build of the workflow code. A case whose
 * history does not replay would stop on its next workflow task once that build is deployed,
 * and could no longer be read; so `npm run deploy` refuses such a build, and `bga check-replay`
 * answers the same question for a checkout.
 */

/** The workflow code to check, and the data converter that decodes the histories' payloads. */
export interface Replayer {
  workflowBundle: { code: string };
  dataConverter?: DataConverter;
}

export interface ReplayFailure {
  caseId: string;
  runId: string;
  workflowType: string;
  status: string;
  /** The SDK's account of where the replay parted from the history. */
  failure: string;
}

export interface ReplayCheckResult {
  checked: number;
  failures: ReplayFailure[];
}

/** Every workflow on the task queue (cases and the report workflows alike), running ones only unless asked. */
export function replayCheckQuery(taskQueue: string, { includeClosed = false } = {}): string {
  const onQueue = `TaskQueue = '${taskQueue.replace(/'/g, "\\'")}'`;
  return includeClosed ? onQueue : `${onQueue} AND ExecutionStatus = 'Running'`;
}

const FETCH_AHEAD = 5;

type Run = Pick<WorkflowExecutionInfo, 'workflowId' | 'runId' | 'type' | 'status'>;

type Fetched = { workflowId: string; history: History; run: Run } | { gone: true } | { error: unknown };

/**
 * Histories in listing order, a few fetched ahead; a run deleted since the listing is skipped.
 * Each run handed over is pushed on `replayed`: the SDK replays one history at a time and
 * answers in order, and its answer's run ID is not the listed run's.
 */
async function* histories(client: Client, runs: Run[], replayed: Run[]): AsyncGenerator<{ workflowId: string; history: History }> {
  // Settled results rather than bare promises, so a fetch that fails while waiting its turn is not an unhandled rejection.
  const fetch = (run: Run): Promise<Fetched> =>
    client.workflow
      .getHandle(run.workflowId, run.runId)
      .fetchHistory()
      .then(
        (history) => ({ workflowId: run.workflowId, history, run }),
        (error: unknown) => (error instanceof WorkflowNotFoundError ? { gone: true as const } : { error }),
      );
  const ahead: Promise<Fetched>[] = [];
  let next = 0;
  while (next < runs.length && ahead.length < FETCH_AHEAD) ahead.push(fetch(runs[next++]!));
  while (ahead.length) {
    const got = await ahead.shift()!;
    if (next < runs.length) ahead.push(fetch(runs[next++]!));
    if ('error' in got) throw got.error;
    if ('history' in got) {
      replayed.push(got.run);
      yield { workflowId: got.workflowId, history: got.history };
    }
  }
}

/**
 * Replays every workflow the visibility query lists, or the named cases. `onProgress` hears
 * the count done so far, so a long check shows it is moving.
 */
export async function replayCheck(
  client: Client,
  replayer: Replayer,
  which: { query: string } | { caseIds: string[] },
  onProgress: (checked: number, total: number) => void = () => {},
): Promise<ReplayCheckResult> {
  const runs: Run[] = [];
  if ('query' in which) for await (const run of client.workflow.list({ query: which.query })) runs.push(run);
  else for (const caseId of which.caseIds) runs.push(await client.workflow.getHandle(caseId).describe());
  const replayed: Run[] = [];
  const failures: ReplayFailure[] = [];
  let checked = 0;
  for await (const result of Worker.runReplayHistories(replayer, histories(client, runs, replayed))) {
    const run = replayed[checked]!;
    checked += 1;
    if (result.error) failures.push({ caseId: run.workflowId, runId: run.runId, workflowType: run.type, status: run.status.name, failure: result.error.message });
    onProgress(checked, runs.length);
  }
  return { checked, failures };
}
