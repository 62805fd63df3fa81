import { spawn, type ChildProcess } from 'node:child_process';
import { endWithThisProcess } from './orphan-guard';

export interface ChildService {
  name: string;
  stop(): Promise<void>;
  /** Resolves when the process exits on its own or after stop(). */
  exited: Promise<number | null>;
}

/**
 * Starts a long-running helper process and waits until `ready()` says it serves.
 * Its output goes to `log`; if it dies before it is ready, the error carries its last lines.
 */
export async function startChild(opts: {
  name: string;
  command: string;
  args: string[];
  ready: () => Promise<boolean>;
  timeoutMs?: number;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}): Promise<ChildService> {
  // Own process group: a terminal's Ctrl-C reaches only the parent, which stops services in
  // order (worker first, database last) instead of all of them at once. For the same reason a
  // parent that dies without stopping them would leave them running, hence the guard.
  const child: ChildProcess = spawn(opts.command, opts.args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: opts.env ?? process.env,
    detached: true,
  });
  endWithThisProcess(child, { group: true, signal: 'SIGTERM' });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group is gone already.
    }
  };
  const tail: string[] = [];
  const onData = (buf: Buffer) => {
    for (const line of buf.toString().split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 20) tail.shift();
      opts.log?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      exitCode = code;
      resolve(code);
    });
    child.on('error', (err) => {
      tail.push(err.message);
      exitCode = -1;
      resolve(-1);
    });
  });

  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (!(await opts.ready().catch(() => false))) {
    if (exitCode !== undefined) {
      throw new Error(`${opts.name} exited (code ${exitCode}) before it was ready:\n${tail.join('\n')}`);
    }
    if (Date.now() > deadline) {
      signalGroup('SIGKILL');
      throw new Error(`${opts.name} was not ready within ${(opts.timeoutMs ?? 60_000) / 1000} s:\n${tail.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    name: opts.name,
    exited,
    async stop() {
      if (exitCode !== undefined) return;
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
