import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../platform/paths';
import { freePort, now, round, say, sleep } from './util';

const READY = /\[bga\] Ready in ([\d.]+) s/;
const TIMEOUT_MS = 180_000;

export interface StartupRun {
  /** From spawning `npm start` to its "Ready" line: what a developer waits for. */
  wallSeconds: number;
  /** What start.ts itself reports (from its first line of code to Ready). */
  reportedSeconds: number;
}

export interface StartupResult {
  first: StartupRun;
  warm: StartupRun;
}

/** Every service `npm start` runs, on ports of its own, so it cannot collide with another start on this machine. */
async function startEnv(dataDir: string): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env, BGA_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  for (const external of ['DATABASE_URL', 'SMTP_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_UI_URL', 'BGA_ENCRYPTION_KEYS', 'BGA_API_KEYS']) delete env[external];
  for (const port of ['BGA_TEMPORAL_PORT', 'BGA_TEMPORAL_UI_PORT', 'BGA_POSTGRES_PORT', 'BGA_MAIL_SMTP_PORT', 'BGA_MAIL_WEB_PORT', 'BGA_CODEC_PORT', 'BGA_API_PORT']) {
    env[port] = String(await freePort());
  }
  return env;
}

/** Runs `npm start` until it says Ready, then stops it with Ctrl-C (SIGINT to its process group) as a developer would. */
async function startOnce(env: NodeJS.ProcessEnv): Promise<StartupRun> {
  const t0 = now();
  // Own process group, so the SIGINT reaches npm and the tsx/node below it together, like a terminal's Ctrl-C.
  const child = spawn('npm', ['start'], { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  try {
    const reported = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start was not ready within ${TIMEOUT_MS / 1000} s:\n${output.slice(-2000)}`)), TIMEOUT_MS);
      const onData = (b: Buffer) => {
        output += b.toString();
        const m = READY.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exited.then(() => reject(new Error(`npm start exited before it was ready:\n${output.slice(-2000)}`)));
    });
    return { wallSeconds: round((now() - t0) / 1000, 2), reportedSeconds: reported };
  } finally {
    if (child.pid !== undefined && child.exitCode === null) {
      process.kill(-child.pid, 'SIGINT');
      const killed = await Promise.race([exited.then(() => true), sleep(30_000).then(() => false)]);
      if (!killed) process.kill(-child.pid, 'SIGKILL');
    }
    await exited;
  }
}

/**
 * The "warm npm start" target: a first start on an empty data folder (initdb, migrations,
 * maybe a workflow bundle), then the start a developer makes every day on the same folder.
 */
export async function runStartup(): Promise<StartupResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bga-bench-start-'));
  // As root, PostgreSQL runs as a separate user that must reach its data folder.
  fs.chmodSync(dataDir, 0o755);
  try {
    const env = await startEnv(dataDir);
    say('startup: first `npm start` on an empty data folder');
    const first = await startOnce(env);
    say(`startup: first start ready in ${first.wallSeconds} s; now the warm start`);
    const warm = await startOnce(env);
    say(`startup: warm start ready in ${warm.wallSeconds} s`);
    return { first, warm };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
