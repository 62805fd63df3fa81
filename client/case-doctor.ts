import type { Client } from '@temporalio/client';
import { findStuck, findStuckCases, NotRepairableError, type Repair, type Replayer, repairCase } from './repair';

/*
 * Runs `bga repair --all` on a timer, so a case hit by a replay failure moves again within one
 * interval instead of waiting for a person. Run one per Temporal namespace and task queue:
 * `npm start` runs it in-process; production runs `bga repair --all --watch <seconds>`.
 */

export interface CaseDoctorOptions {
  client: Client;
  replayer: Replayer;
  taskQueue: string;
  everyMs: number;
  /** Recorded as the reset reason in each repaired case's history. */
  reason: string;
  onRepair?(repair: Repair): void;
  /** A case that fails on replay but cannot be rewound automatically; reported once per case. */
  onRefused?(caseId: string, reason: string): void;
  /** A sweep that failed as a whole, e.g. Temporal unreachable; the next sweep tries again. */
  onError?(err: Error): void;
  /**
   * Cases a reader found unreadable (a query failed on replay) although no workflow task is
   * failing: they are replayed too, as an idle case shows its fault only when read.
   */
  suspects?: Set<string>;
}

export interface CaseDoctor {
  /** Ends the loop after the sweep in progress, if any; returns every repair made. */
  stop(): Promise<Repair[]>;
}

export function startCaseDoctor(opts: CaseDoctorOptions): CaseDoctor {
  const repairs: Repair[] = [];
  const refused = new Set<string>();
  let running = true;
  let wake: (() => void) | undefined;
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, opts.everyMs);
      wake = () => (clearTimeout(timer), resolve());
    });
  // Every workflow on the queue, the report workflows too: a healthy one costs one describe() call.
  const query = `TaskQueue = '${opts.taskQueue}' AND ExecutionStatus = 'Running'`;

  const sweep = async () => {
    const found = await findStuckCases(opts.client, opts.replayer, query);
    for (const caseId of opts.suspects ?? []) {
      opts.suspects!.delete(caseId);
      if (found.some((s) => s.caseId === caseId)) continue;
      const stuck = await findStuck(opts.client, caseId, opts.replayer, { requireFailingTask: false });
      if (stuck) found.push(stuck);
    }
    for (const stuck of found) {
      if (!running) return;
      try {
        const repair = await repairCase(opts.client, stuck.caseId, `${opts.reason}: ${stuck.failure.slice(0, 200)}`, opts.replayer, stuck);
        repairs.push(repair);
        refused.delete(stuck.caseId);
        opts.onRepair?.(repair);
      } catch (err) {
        if (!(err instanceof NotRepairableError)) throw err;
        if (!refused.has(stuck.caseId)) opts.onRefused?.(stuck.caseId, err.message);
        refused.add(stuck.caseId);
      }
    }
  };

  const loop = (async () => {
    while (running) {
      await pause();
      if (!running) break;
      await sweep().catch((err: Error) => opts.onError?.(err));
    }
  })();

  return {
    async stop() {
      running = false;
      wake?.();
      await loop;
      return repairs;
    },
  };
}
