import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    // SSNs and dates of birth must never reach logs, whatever object is logged.
    redact: { paths: ['*.ssn', '*.dateOfBirth', '*.*.ssn', '*.*.dateOfBirth', 'ssn', 'dateOfBirth'], censor: '[redacted]' },
  });
}
