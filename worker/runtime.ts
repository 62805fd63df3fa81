import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import type { Logger } from '../platform/logger';

let installed = false;

/**
 * Routes the SDK's and workflows' logs into the process's structured logger. The SDK's own
 * shutdown on SIGINT/SIGTERM is turned off: the process that owns the worker decides the order
 * in which things stop.
 */
export function installRuntime(logger: Logger): void {
  if (installed) return;
  installed = true;
  const toPino: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
    TRACE: 'trace',
    DEBUG: 'debug',
    INFO: 'info',
    WARN: 'warn',
    ERROR: 'error',
  };
  const level = (logger.level.toUpperCase() === 'FATAL' ? 'ERROR' : logger.level.toUpperCase()) as LogLevel;
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => logger[toPino[entry.level]]({ ...entry.meta }, entry.message)),
    shutdownSignals: [],
  });
}
