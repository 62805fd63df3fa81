import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { encryptedDataConverter } from '../../platform/codec';
import { loadWorkflowBundle } from '../../worker/bundle';
import { startCaseDoctor } from '../case-doctor';
import { findStuck, findStuckCases, NotRepairableError, type Repair, type Replayer, repairCase, type StuckCase } from '../repair';
import { InputError, UsageError } from './errors';
import { type ActionOptions, examples, withActor, withJson } from './options';
import { print, printJson, table } from './output';
import { inSession } from './session';

interface RepairOptions extends ActionOptions {
  all?: boolean;
  dryRun?: boolean;
  watch?: number;
}

const seconds = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 5) throw new UsageError(`--watch: expected whole seconds, at least 5; got ${JSON.stringify(value)}`);
  return n;
};

/** `--all --watch N`: the case doctor in the foreground until Ctrl-C or SIGTERM, one line per repair. */
async function watch(client: Client, replayer: Replayer, taskQueue: string, everySeconds: number, actor: string): Promise<void> {
  const say = (line: string) => print(`${new Date().toISOString()} ${line}`);
  say(`Checking running cases on task queue ${taskQueue} every ${everySeconds} s for a workflow task that fails on replay. Ctrl-C stops.`);
  const doctor = startCaseDoctor({
    client,
    replayer,
    taskQueue,
    everyMs: everySeconds * 1000,
    reason: `bga repair --watch by ${actor}`,
    onRepair: (r) => say(`repaired ${r.caseId}: diverged at event ${r.divergedAtEventId}, rewound to event ${r.resetToEventId}, new run ${r.newRunId}`),
    onRefused: (caseId, reason) => say(`needs a person: ${caseId}: ${reason}`),
    onError: (err) => say(`sweep failed, retrying next time: ${err.message}`),
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const repairs = await doctor.stop();
  say(`Stopped after ${repairs.length} repair(s).`);
}

export function registerRepairCommand(program: Command): void {
  const cmd = withActor(withJson(
    program
      .command('repair')
      .description('rewind cases stuck on a workflow task that fails to replay (nondeterminism), reapplying the actions that came after')
      .argument('[caseId]', 'one case; or --all')
      .option('--all', 'every running case that is stuck')
      .option('--dry-run', 'list the stuck cases, change nothing')
      .option('--watch <seconds>', 'with --all: keep checking every N seconds until stopped (run one per task queue)', seconds),
  )).action(async (caseId: string | undefined, opts: RepairOptions) => {
    if (!caseId === !opts.all) throw new UsageError('Give one case ID or --all.');
    if (opts.watch !== undefined && (!opts.all || opts.dryRun)) throw new UsageError('--watch goes with --all, without --dry-run.');
    await inSession(async (session) => {
      const client = await session.client();
      // Whether a case is stuck is decided by replaying it against the workflow code of this checkout.
      const replayer: Replayer = { workflowBundle: await loadWorkflowBundle(), dataConverter: encryptedDataConverter(session.config.encryption) };
      if (opts.watch !== undefined) return watch(client, replayer, session.config.temporal.taskQueue, opts.watch, opts.as);
      const stuck: StuckCase[] = caseId ? [await findStuck(client, caseId, replayer, { requireFailingTask: false })].filter((s): s is StuckCase => s !== undefined) : await findStuckCases(client, replayer);
      if (caseId && !stuck.length) throw new InputError(`Case ${caseId} is not stuck on a failing workflow task; nothing to repair.`);
      const repairs: Repair[] = [];
      const refused: { caseId: string; reason: string }[] = [];
      if (!opts.dryRun) {
        for (const s of stuck) {
          try {
            repairs.push(await repairCase(client, s.caseId, `bga repair by ${opts.as}: ${s.failure.slice(0, 200)}`, replayer, s));
          } catch (err) {
            if (!(err instanceof NotRepairableError)) throw err;
            refused.push({ caseId: s.caseId, reason: err.message });
          }
        }
      }
      if (opts.json) return printJson({ stuck, repairs, refused });
      if (!stuck.length) return print('No stuck cases.');
      const done = new Map(repairs.map((r) => [r.caseId, r]));
      print(
        table(
          ['Case', 'Attempts', 'Diverged at event', opts.dryRun ? 'Would rewind' : 'Rewound to event', 'New run'],
          stuck.map((s) => [s.caseId, s.attempts, s.divergedAtEventId ?? '?', done.get(s.caseId)?.resetToEventId ?? (opts.dryRun ? 'yes' : 'no'), done.get(s.caseId)?.newRunId ?? '—']),
        ),
      );
      for (const r of refused) print(`${r.caseId}: ${r.reason}`);
      if (refused.length) throw new InputError(`${refused.length} case(s) could not be repaired automatically.`);
    });
  });
  examples(cmd, ['bga repair --all --dry-run', 'bga repair case-summit-sm-2026-10431', 'bga repair --all --watch 60']);
}
