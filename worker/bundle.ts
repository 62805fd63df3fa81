import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { failureConverterPath } from '../platform/codec';
import { projectRoot, toolCacheDir } from '../platform/paths';

export const workflowsPath = path.join(projectRoot, 'workflows', 'index.ts');

/**
 * Evaluated once per worker and shared by every workflow, instead of afresh for each one. The
 * case's deciders keep no per-workflow state; they build the action schemas (zod) on the first
 * action any case takes and keep them for all (domain/case-core/deciders.ts). The schemas are
 * not preloaded themselves: the SDK freezes what a shared module exports, and zod completes a
 * schema lazily on first use.
 */
const preloadModules = [path.join(projectRoot, 'domain', 'case-core', 'deciders.ts')];

const bundleOptions = () => ({ workflowsPath, failureConverterPath, preloadModules, logger: quietBundlerLogger });

/** Everything that can end up in the workflow bundle, plus the lock file for library versions. */
function bundleInputsHash(): string {
  const hash = crypto.createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) hash.update(full).update(fs.readFileSync(full));
    }
  };
  walk(path.join(projectRoot, 'workflows'));
  walk(path.join(projectRoot, 'domain'));
  hash.update(fs.readFileSync(failureConverterPath)).update(fs.readFileSync(__filename));
  const lock = path.join(projectRoot, 'package-lock.json');
  if (fs.existsSync(lock)) hash.update(fs.readFileSync(lock));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The prebuilt workflow bundle: WORKFLOW_BUNDLE_PATH when set (production images build it
 * once with `npm run build`), else a copy cached by content hash so a warm start skips
 * webpack entirely.
 */
export async function loadWorkflowBundle(log: (line: string) => void = () => {}): Promise<{ code: string }> {
  const fixed = process.env.WORKFLOW_BUNDLE_PATH;
  if (fixed) return { code: fs.readFileSync(fixed, 'utf8') };
  const file = path.join(toolCacheDir(), 'workflow-bundles', `${bundleInputsHash()}.js`);
  if (fs.existsSync(file)) return { code: fs.readFileSync(file, 'utf8') };
  log('Bundling workflow code (first start after a change)…');
  const bundle = await bundleWorkflowCode(bundleOptions());
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, bundle.code);
  fs.renameSync(tmp, file);
  return bundle;
}

export async function writeWorkflowBundle(outFile: string): Promise<void> {
  const bundle = await bundleWorkflowCode(bundleOptions());
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, bundle.code);
}

const noop = () => {};
const quietBundlerLogger = { trace: noop, debug: noop, info: noop, log: noop, warn: console.warn, error: console.error };
