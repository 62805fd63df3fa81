import type { Command } from 'commander';
import { encryptedDataConverter } from '../../platform/codec';
import { loadWorkflowBundle } from '../../worker/bundle';
import { findStuck, findStuckCases, NotRepairableError, type Repair, type Replayer, repairCase, type StuckCase } from '../repair';
import { InputError, UsageError } from './errors';
import { type ActionOptions, examples, withActor, withJson } from './options';
import { print, printJson, table } from './output';
import { inSession } from './session';

interface RepairOptions extends ActionOptions {
  all?: boolean;
  dryRun?: boolean;
}

export function registerRepairCommand(program: Command): void {
  const cmd = withActor(withJson(
    program
      .command('repair')
      .description('rewind cases stuck on a workflow task that fails to replay (nondeterminism), reapplying the actions that came after')
      .argument('[caseId]', 'one case; or --all')
      .option('--all', 'every running case that is stuck')
      .option('--dry-run', 'list the stuck cases, change nothing'),
  )).action(async (caseId: string | undefined, opts: RepairOptions) => {
    if (!caseId === !opts.all) throw new UsageError('Give one case ID or --all.');
    await inSession(async (session) => {
      const client = await session.client();
      // Whether a case is stuck is decided by replaying it against the workflow code of this checkout.
      const replayer: Replayer = { workflowBundle: await loadWorkflowBundle(), dataConverter: encryptedDataConverter(session.config.encryption) };
      const stuck: StuckCase[] = caseId ? [await findStuck(client, caseId, replayer)].filter((s): s is StuckCase => s !== undefined) : await findStuckCases(client, replayer);
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
  examples(cmd, ['bga repair --all --dry-run', 'bga repair case-summit-sm-2026-10431']);
}
