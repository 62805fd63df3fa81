import os from 'node:os';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from './errors';

/* Options shared by many commands, and the parsers that turn option text into values. */

export interface JsonOption {
  json?: boolean;
}

export interface ActorOption {
  as: string;
}

export interface RequestOption {
  requestId?: string;
}

export type ActionOptions = ActorOption & JsonOption & RequestOption;

function defaultActor(): string {
  return process.env.BGA_ACTOR || `${process.env.USER ?? os.userInfo().username}@cli`;
}

export function withJson(cmd: Command): Command {
  return cmd.option('--json', 'print machine-readable JSON on stdout and nothing else');
}

/** Every change a person makes is recorded with who made it. */
export function withActor(cmd: Command): Command {
  return cmd.addOption(
    new Option('--as <actor>', 'who is acting, recorded in the case history').default(defaultActor(), 'env BGA_ACTOR, else $USER@cli'),
  );
}

const REQUEST_ID = /^[\w.:@-]{1,120}$/;

/** A script that retries a command after a lost answer gives it one ID, and the case applies it once. */
export function withRequestId(cmd: Command): Command {
  return cmd.addOption(
    new Option('--request-id <id>', 'this action\'s ID: sent again with the same ID, the case applies it once (default: a new ID)').argParser((value) => {
      if (!REQUEST_ID.test(value)) throw new InvalidArgumentError('must be 1-120 letters, digits or . : @ _ -');
      return value;
    }),
  );
}

/** What every change outside a case takes: --json and --as. */
export const withChangeOptions = (cmd: Command): Command => withActor(withJson(cmd));

/** What every case action takes: --json, --as and --request-id. */
export const withActionOptions = (cmd: Command): Command => withRequestId(withActor(withJson(cmd)));

export function nonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number of days, such as 30.');
  return Number(value);
}

/** A value from a fixed list, in any letter case: `bga list --stage requirements` works too. */
export function oneOf<T extends string>(values: readonly T[]): (value: string) => T {
  return (value) => {
    const upper = value.toUpperCase();
    if (!(values as readonly string[]).includes(upper)) throw new InvalidArgumentError(`must be one of ${values.join(', ')}.`);
    return upper as T;
  };
}

export const upper = (value: string): string => value.toUpperCase();

/** For flag pairs such as --accept/--reject where exactly one must be given. */
export function exactlyOne<T extends string>(flags: Record<T, boolean | undefined>): T {
  const set = (Object.keys(flags) as T[]).filter((k) => flags[k]);
  const names = (Object.keys(flags) as T[]).map((k) => `--${k}`).join(' or ');
  if (set.length !== 1) throw new UsageError(`give exactly one of ${names}.`);
  return set[0]!;
}

/** Options that only make sense together (a physician's name and phone): all of them or none. */
export function allOrNone<K extends string>(values: Record<K, string | undefined>): Record<K, string> | undefined {
  const keys = Object.keys(values) as K[];
  const given = keys.filter((k) => values[k] !== undefined);
  if (given.length === 0) return undefined;
  if (given.length < keys.length) {
    const flag = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new UsageError(`${keys.map(flag).join(', ')} go together; missing ${keys.filter((k) => values[k] === undefined).map(flag).join(', ')}.`);
  }
  return values as Record<K, string>;
}

export function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`);
}
