import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../platform/paths';

/* `bga` where no server is needed: what a person sees when output goes to a pipe. */

const BGA = path.join(projectRoot, 'bin', 'bga.js');

function bga(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BGA, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

/** Runs bga with its output read by a reader that goes away at once, as `| head -1` does. */
function intoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BGA, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

test('output piped to a reader that closes early (bga --help | head -1) ends quietly', async () => {
  for (const args of [['--help'], ['broker', '--help']]) {
    expect({ args, ...(await intoClosedPipe(args)) }).toEqual({ args, code: 0, stderr: '' });
  }
});

test('a missing or bad option is named as the command line spells it, before anything is sent (exit 2)', async () => {
  const CASE = 'case-summit-sm-2026-10431';
  const cases: [string[], string][] = [
    [['decision', CASE, 'DECLINED'], 'bga: --reason is required for DECLINED\n'],
    [['decision', CASE, 'APPROVED_AS_APPLIED'], 'bga: --class is required for APPROVED_AS_APPLIED\n'],
    [['decision', CASE, 'ISSUED'], 'bga: --policy-number is required for ISSUED\n'],
    [['decision', CASE, 'ISSUED', '--policy-number', 'no!'], 'bga: --policy-number must be 4-30 letters, digits or dashes\n'],
    [['vendor-status', CASE, 'PARAMED', 'SCHEDULED'], 'bga: --date is required when the status is SCHEDULED\n'],
    [['review', CASE], 'bga: a review must resolve items, return items, or confirm in good order\n'],
    [['note', CASE, 'hello', '--as', ''], 'bga: --as must name who did this\n'],
  ];
  for (const [args, stderr] of cases) expect({ args, ...(await bga(args)) }).toEqual({ args, code: 2, stdout: '', stderr });
});
