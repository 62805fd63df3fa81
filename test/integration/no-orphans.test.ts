import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../platform/paths';
import { freePort } from '../../platform/ports';
import { eventually } from '../helpers/eventually';

/*
 * However the parent ends, the services it started end with it, so the next `npm start` finds
 * its ports free; and when they are not, the error names the process that holds them.
 * Everything here is a real process; Linux only, as it reads /proc.
 */

const launched: ChildProcess[] = [];
/** Process groups and PIDs a failing test could leave behind; killed after each test. */
const leftovers = new Set<number>();
const workDirs: string[] = [];

afterEach(() => {
  for (const child of launched.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone, as it should be.
    }
  }
  leftovers.clear();
});
afterAll(() => {
  for (const dir of workDirs) fs.rmSync(dir, { recursive: true, force: true });
});

interface Launched {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first match of `pattern` in the output so far or to come. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function launch(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Launched {
  const child = spawn(command, args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  launched.push(child);
  let output = '';
  child.stdout!.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    eventually(async () => {
      const m = output.match(pattern);
      if (!m) throw new Error(`no ${pattern} in the output of ${command} ${args.join(' ').slice(0, 80)} yet:\n${output.slice(-3000)}`);
      return m;
    }, timeoutMs);
  return { child, output: () => output, waitFor, exited };
}

/** Running, not a zombie: a killed orphan stays one until its new parent reaps it. */
function isRunning(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Live processes whose command line contains `text`, e.g. a data folder only one start uses. */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(text) && isRunning(Number(pid))) found.push(`${pid} ${cmdline}`);
    } catch {
      // Exited while we looked.
    }
  }
  return found;
}

/*
 * A parent that starts two long-lived services through startChild and, like scripts/start.ts,
 * stops them in order on SIGTERM. Its first stop step keeps the event loop busy for 2 s, as
 * start.ts's is while it loads and starts its parts: a second signal then finds it unable to answer.
 */
const PARENT = `
const { startChild } = require('./platform/child-service');
const forever = (name) => startChild({
  name,
  command: process.execPath,
  args: ['-e', 'console.log("pid " + process.pid); setInterval(() => {}, 1000)'],
  ready: async () => true,
  log: (line) => console.log(name + ' ' + line),
});
(async () => {
  const services = [await forever('mail'), await forever('temporal')];
  process.on('SIGTERM', async () => {
    console.log('stopping');
    for (const until = Date.now() + 2000; Date.now() < until; );
    for (const s of services.reverse()) await s.stop();
    process.exit(0);
  });
  console.log('ready');
})();
`;

async function servicePids(parent: Launched): Promise<number[]> {
  const pids = [Number((await parent.waitFor(/mail pid (\d+)/))[1]), Number((await parent.waitFor(/temporal pid (\d+)/))[1])];
  for (const pid of pids) leftovers.add(-pid);
  await parent.waitFor(/^ready$/m);
  return pids;
}

test('services started through startChild end when their parent is killed with SIGKILL', async () => {
  const parent = launch(process.execPath, ['--require', 'tsx/cjs', '-e', PARENT]);
  const pids = await servicePids(parent);
  expect(pids.every(isRunning)).toBe(true);

  parent.child.kill('SIGKILL');
  await parent.exited;
  await eventually(async () => expect(pids.filter(isRunning)).toEqual([]), 15_000);
}, 60_000);

test('a second SIGTERM while stopping, through tsx as `npm start` runs, still ends the services', async () => {
  // tsx relays a signal to the script and kills it with SIGKILL when the script does not report
  // it within 30 ms: with a busy event loop, a SIGTERM to `npm start` kills start.ts outright.
  const parent = launch(path.join(projectRoot, 'node_modules', '.bin', 'tsx'), ['-e', PARENT]);
  const pids = await servicePids(parent);

  parent.child.kill('SIGTERM');
  await parent.waitFor(/^stopping$/m);
  parent.child.kill('SIGTERM');
  await parent.exited;
  await eventually(async () => expect(pids.filter(isRunning)).toEqual([]), 15_000);
}, 60_000);

/** `npm start` on ports of its own and in a fresh data folder, so it collides with nothing on this machine. */
async function startEnv(): Promise<{ env: NodeJS.ProcessEnv; data: string }> {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'bga-no-orphans-'));
  workDirs.push(data);
  // As root, PostgreSQL runs as a separate user that must reach its data folder.
  fs.chmodSync(data, 0o755);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: os.tmpdir(), BGA_DATA_DIR: data, LOG_LEVEL: 'warn' };
  for (const port of ['BGA_TEMPORAL_PORT', 'BGA_TEMPORAL_UI_PORT', 'BGA_POSTGRES_PORT', 'BGA_MAIL_SMTP_PORT', 'BGA_MAIL_WEB_PORT', 'BGA_CODEC_PORT', 'BGA_API_PORT', 'BGA_INBOUND_SMTP_PORT']) {
    env[port] = String(await freePort());
  }
  return { env, data };
}

const launchStart = (env: NodeJS.ProcessEnv) => launch(process.execPath, ['--require', 'tsx/cjs', path.join(projectRoot, 'scripts', 'start.ts')], env);

test('npm start killed with SIGKILL during start-up leaves neither PostgreSQL, nor MailDev, nor the Temporal dev server behind', async () => {
  const { env, data } = await startEnv();
  const start = launchStart(env);
  await start.waitFor(/Temporal dev server ready/, 90_000);
  const services = processesMentioning(data);
  for (const line of services) leftovers.add(Number(line.split(' ')[0]));
  // PostgreSQL with its data folder, MailDev with its mail folder, Temporal with its SQLite file.
  const kind = (line: string) => (/bin\/postgres -D/.test(line) ? 'PostgreSQL' : /maildev/.test(line) ? 'MailDev' : /temporal server start-dev/.test(line) ? 'Temporal' : line);
  expect(services.map(kind).sort()).toEqual(['MailDev', 'PostgreSQL', 'Temporal']);

  start.child.kill('SIGKILL');
  await start.exited;
  await eventually(async () => expect(processesMentioning(data)).toEqual([]), 20_000);
}, 150_000);

test('npm start names the process that holds a port it needs, and how to stop it', async () => {
  const { env, data } = await startEnv();
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const port = (holder.address() as net.AddressInfo).port;
  try {
    const start = launchStart({ ...env, BGA_TEMPORAL_PORT: String(port) });
    const exit = await start.exited;
    expect(exit.code).toBe(1);
    expect(start.output()).toContain(`Port ${port} is in use by PID ${process.pid} (`);
    expect(start.output()).toContain(`stop it with \`kill ${process.pid}\``);
    expect(processesMentioning(data)).toEqual([]);
  } finally {
    holder.close();
  }
}, 120_000);
