import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { failureConverterPath } from '../../platform/codec';
import { projectRoot } from '../../platform/paths';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

/** A workflow bundle file of a release that changed the case workflow without patched(); removed by the returned function. */
export async function unpatchedBundleFile(): Promise<{ file: string; remove(): void }> {
  const workflowsPath = path.join(projectRoot, 'test', 'fixtures', 'replay-check', 'unpatched-application.ts');
  const { code } = await bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: quiet });
  const file = path.join(os.tmpdir(), `unpatched-${process.pid}-${Date.now()}.js`);
  fs.writeFileSync(file, code);
  return { file, remove: () => fs.rmSync(file, { force: true }) };
}
