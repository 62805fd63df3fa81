import { CommanderError } from 'commander';
import { ContractingNotFoundError } from '../contracting';
import { ActionRefusedError, CaseNotFoundError } from '../operations';
import { AlreadySubmittedError, InvalidApplicationError } from '../cases';
import { TemporalUnreachableError } from '../connection';
import { EmailNotFoundError, EmailNotUnconfirmedError } from '../email-resolution';
import { ConfigError } from '../../platform/config';
import { EXIT } from './exit-codes';

/** The command line itself is wrong (a missing or contradictory option): exit 64. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The input is wrong (a file, a field value): exit 2. Lines read `field: message`. */
export class InputError extends Error {
  override name = 'InputError';
}

/** Something looked up by the CLI itself (a broker) does not exist: exit 4. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** `bga check-replay` found cases this checkout's workflow code cannot replay: exit 6. */
export class ReplayCheckFailedError extends Error {
  override name = 'ReplayCheckFailedError';
  constructor(failed: number, checked: number) {
    super(
      `${failed} of ${checked} checked do not replay against this checkout's workflow code: deploying it would stop them. ` +
        'Guard the change with patched() (docs/development.md), then check again.',
    );
  }
}

export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError';
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version end through the same path as real parse errors.
    return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  if (err instanceof UsageError || err instanceof ConfigError) return EXIT.USAGE;
  if (err instanceof InvalidApplicationError || err instanceof ActionRefusedError || err instanceof InputError || err instanceof EmailNotUnconfirmedError) {
    return EXIT.INVALID_INPUT;
  }
  if (err instanceof AlreadySubmittedError) return EXIT.ALREADY_SUBMITTED;
  if (err instanceof CaseNotFoundError || err instanceof NotFoundError || err instanceof EmailNotFoundError || err instanceof ContractingNotFoundError) return EXIT.NOT_FOUND;
  if (err instanceof TemporalUnreachableError || err instanceof DatabaseUnreachableError) return EXIT.UNREACHABLE;
  if (err instanceof ReplayCheckFailedError) return EXIT.REPLAY_CHECK_FAILED;
  return EXIT.UNEXPECTED;
}

/** The lines to print on stderr: a headline, then details (field errors, a stack trace with BGA_DEBUG=1). */
function describeError(err: unknown): string[] {
  if (err instanceof InvalidApplicationError) {
    const n = err.errors.length;
    return [`the application is not valid (${n} ${n === 1 ? 'error' : 'errors'}):`, ...err.errors.map((e) => `${e.field}: ${e.message}`)];
  }
  if (exitCodeFor(err) === EXIT.UNEXPECTED && process.env.BGA_DEBUG && err instanceof Error && err.stack) {
    return err.stack.split('\n');
  }
  const lines = (err instanceof Error ? err.message : String(err)).split('\n').filter((l) => l.trim() !== '');
  return lines.length ? lines : ['unknown error'];
}

/** Reports a failure on stderr with the `bga: ` prefix, and returns its exit code. */
export function reportFailure(err: unknown): number {
  // Commander has already printed its own parse errors and help.
  if (!(err instanceof CommanderError)) {
    const [first, ...rest] = describeError(err);
    process.stderr.write([`bga: ${first}`, ...rest.map((l) => `  ${l}`)].join('\n') + '\n');
  }
  return exitCodeFor(err);
}
