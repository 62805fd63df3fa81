import { say } from './util';

const cleanups = new Set<() => Promise<void>>();

/**
 * Registers what must be stopped if the bench is interrupted: the Temporal server and the
 * `npm start` under test run in process groups of their own, so a Ctrl-C does not reach them
 * and they would outlive the bench. Returns the function that unregisters it.
 */
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

export function installInterruptHandler(): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping the bench's servers`);
    // Connections of the running workers now fail as their servers go; that must not cut the cleanup short.
    process.on('uncaughtException', () => {});
    void Promise.allSettled([...cleanups].map((c) => c())).then(() => process.exit(130));
  };
  // `on`, not `once`: tsx exits the process itself when no SIGINT listener is left.
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
