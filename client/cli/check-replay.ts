import type { Command } from 'commander';
import { encryptedDataConverter } from '../../platform/codec';
import { loadWorkflowBundle } from '../../worker/bundle';
import { replayCheck, replayCheckQuery } from '../replay-check';
import { ReplayCheckFailedError, UsageError } from './errors';
import { examples, type JsonOption, withJson } from './options';
import { print, printJson, table } from './output';
import { inSession } from './session';

interface CheckReplayOptions extends JsonOption {
  all?: boolean;
  includeClosed?: boolean;
}

export function registerCheckReplayCommand(program: Command): void {
  const cmd = withJson(
    program
      .command('check-replay')
      .description("replay cases' histories against this checkout's workflow code: would deploying it stop any case? Changes nothing")
      .argument('[caseIds...]', 'the cases to check; or --all')
      .option('--all', 'every running workflow on the task queue')
      .option('--include-closed', 'with --all: closed cases too (they replay whenever someone reads them)'),
  ).action(async (caseIds: string[], opts: CheckReplayOptions) => {
    if (!caseIds.length === !opts.all) throw new UsageError('Give case IDs or --all.');
    if (opts.includeClosed && !opts.all) throw new UsageError('--include-closed goes with --all.');
    await inSession(async (session) => {
      const client = await session.client();
      const replayer = { workflowBundle: await loadWorkflowBundle(), dataConverter: encryptedDataConverter(session.config.encryption) };
      const which = opts.all ? { query: replayCheckQuery(session.config.temporal.taskQueue, { includeClosed: opts.includeClosed }) } : { caseIds };
      let shown = 0;
      const progress = (done: number, total: number) => {
        // A line every 100 histories, on stderr, so --json output stays clean.
        if (done === total || done - shown >= 100) process.stderr.write(`checked ${done} of ${total}\n`), (shown = done);
      };
      const result = await replayCheck(client, replayer, which, opts.json ? undefined : progress);
      if (opts.json) printJson(result);
      else if (!result.failures.length) print(`All ${result.checked} replay against this checkout's workflow code.`);
      else print(table(['Case', 'Type', 'Status', 'Where the replay parted'], result.failures.map((f) => [f.caseId, f.workflowType, f.status, f.failure.split('\n')[0]!.slice(0, 160)])));
      if (result.failures.length) throw new ReplayCheckFailedError(result.failures.length, result.checked);
    });
  });
  examples(cmd, ['bga check-replay --all', 'bga check-replay --all --include-closed --json', 'bga check-replay case-summit-sm-2026-10431']);
}
