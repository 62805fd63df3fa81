import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../platform/paths';
import { TEST_KEY_RING } from './keys';
import type { World } from './world';

/* The real `bga` binary as a child process, pointed at one test file's World. */

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Only what the CLI should see: no inherited TEMPORAL_* settings from the shell running the tests. */
export function cliEnv(world: World, overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: os.tmpdir(),
    TEMPORAL_ADDRESS: world.env.address,
    TEMPORAL_TASK_QUEUE: world.taskQueue,
    DATABASE_URL: world.database.url,
    BGA_DATA_DIR: world.dataDir,
    // The test worker's payload keys, in the form the CLI reads them.
    BGA_ENCRYPTION_KEYS: JSON.stringify(Object.fromEntries([...TEST_KEY_RING.keys].map(([id, key]) => [id, key.toString('base64')]))),
    BGA_ENCRYPTION_KEY_ID: TEST_KEY_RING.currentKeyId,
    ...overrides,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env;
}

/** Asynchronous on purpose: the worker in the test process must keep running while the CLI waits on it. */
export function runBga(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(projectRoot, 'bin', 'bga.js'), ...args], { env, cwd: projectRoot, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}
