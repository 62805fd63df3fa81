import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export type LogFormat = 'json' | 'pretty';

/**
 * Structured JSON for machines; one readable line per entry for a person at a terminal. The
 * default follows stdout: a terminal gets `pretty`, a pipe or a log shipper gets `json`.
 */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info', format?: LogFormat): Logger {
  const options = {
    name,
    level,
    // SSNs and dates of birth must never reach logs, whatever object is logged.
    redact: { paths: ['*.ssn', '*.dateOfBirth', '*.*.ssn', '*.*.dateOfBirth', 'ssn', 'dateOfBirth'], censor: '[redacted]' },
  };
  if ((format ?? (process.stdout.isTTY ? 'pretty' : 'json')) === 'json') return pino(options);
  return pino(options, pretty({ colorize: true, sync: true, singleLine: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' }));
}
