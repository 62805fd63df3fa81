import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../platform/paths';
import { onInterrupt } from './interrupt';
import { freePort } from '../platform/ports';
import { now, round, say, sleep } from './util';

const READY = /\[bga\] Ready in ([\d.]+) s/;
const TIMEOUT_MS = 180_000;

export interface StartupRun {
  /** From spawning `npm start` to its "Ready" line: what a developer waits for. */
  wallSeconds: number;
  /** What start.ts itself reports (from its first line of code to Ready). */
  reportedSeconds: number;
  /** From Ctrl-C to the last process gone. */
  stopSeconds: number;
}

export interface StartupResult {
  first: StartupRun;
  warm: StartupRun;
  /** Starts that failed before Ready (each was tried again): a flaky start is a finding, not a reason to stop the bench. */
  failures: string[];
}

const ATTEMPTS = 3;

/** Every service `npm start` runs, on ports of its own, so it cannot collide with another start on this machine. */
async function startEnv(dataDir: string): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env, BGA_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  for (const external of ['DATABASE_URL', 'SMTP_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_UI_URL', 'BGA_ENCRYPTION_KEYS', 'BGA_API_KEYS']) delete env[external];
  for (const port of ['BGA_TEMPORAL_PORT', 'BGA_TEMPORAL_UI_PORT', 'BGA_POSTGRES_PORT', 'BGA_MAIL_SMTP_PORT', 'BGA_MAIL_WEB_PORT', 'BGA_CODEC_PORT', 'BGA_API_PORT']) {
    env[port] = String(await freePort());
  }
  return env;
}

/** Ctrl-C as a terminal sends it: SIGINT to the whole process group; SIGKILL if it has not stopped within 30 s. */
async function interrupt(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid !== undefined && child.exitCode === null) {
    process.kill(-child.pid, 'SIGINT');
    const stopped = await Promise.race([exited.then(() => true), sleep(30_000).then(() => false)]);
    if (!stopped) process.kill(-child.pid, 'SIGKILL');
  }
  await exited;
}

/** Runs `npm start` until it says Ready, then stops it with Ctrl-C as a developer would. */
async function startOnce(env: NodeJS.ProcessEnv): Promise<StartupRun> {
  const t0 = now();
  // Own process group, so the SIGINT reaches npm and the tsx/node below it together.
  const child = spawn('npm', ['start'], { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const forget = onInterrupt(() => interrupt(child, exited));
  let output = '';
  let reportedSeconds: number;
  try {
    reportedSeconds = await new Promise<number>((resolve, reject) => {
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
  } catch (err) {
    await interrupt(child, exited);
    forget();
    throw err;
  }
  const wallSeconds = round((now() - t0) / 1000, 2);
  const t1 = now();
  await interrupt(child, exited);
  forget();
  return { wallSeconds, reportedSeconds, stopSeconds: round((now() - t1) / 1000, 2) };
}

function emptyDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir);
  // As root, PostgreSQL runs as a separate user that must reach its data folder.
  fs.chmodSync(dir, 0o755);
}

/**
 * The "warm npm start" target: a first start on an empty data folder (initdb, migrations,
 * maybe a workflow bundle), then the start a developer makes every day on the same folder.
 */
export async function runStartup(): Promise<StartupResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bga-bench-start-'));
  emptyDir(dataDir);
  try {
    const env = await startEnv(dataDir);
    const failures: string[] = [];
    const attempt = async (which: string): Promise<StartupRun> => {
      for (let i = 1; ; i++) {
        try {
          return await startOnce(env);
        } catch (err) {
          const reason = (err as Error).message.split('\n').find((l) => l.includes('start failed')) ?? (err as Error).message.split('\n')[0]!;
          failures.push(`${which} start: ${reason.trim()}`);
          say(`startup: ${which} start failed (${reason.trim()})${i < ATTEMPTS ? '; trying again' : ''}`);
          if (i >= ATTEMPTS) throw err;
          // A first start must meet an empty folder again; the failed one left its database behind.
          if (which === 'first') emptyDir(dataDir);
        }
      }
    };
    say('startup: first `npm start` on an empty data folder');
    const first = await attempt('first');
    say(`startup: first start ready in ${first.wallSeconds} s; now the warm start`);
    const warm = await attempt('warm');
    say(`startup: warm start ready in ${warm.wallSeconds} s`);
    return { first, warm, failures };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
