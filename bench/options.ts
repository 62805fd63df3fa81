import { parseArgs } from 'node:util';

const MODES = ['startup', 'intake', 'ceiling', 'latency', 'scale', 'lifecycle'] as const;
export type Mode = (typeof MODES)[number];

/**
 * How the Temporal dev server keeps its SQLite file. `wal`: write-ahead log with synchronous=NORMAL.
 * `plain`: the CLI's defaults, exactly as `npm start` runs it (rollback journal, a sync per commit).
 */
const STORES = ['wal', 'plain'] as const;
export type TemporalStore = (typeof STORES)[number];

export interface BenchOptions {
  apps: number;
  rate: number;
  seconds: number;
  scale: number;
  lifecycleCases: number;
  /** The scale phase stops adding cases once the process RSS passes this (MiB). */
  maxRssMiB: number;
  temporalStore: TemporalStore;
  modes: Set<Mode>;
  /** Worker settings for a second intake round in the same run: the before/after of a tuning knob. */
  tune: Record<string, string>;
}

/** Worker knobs read from the environment by platform/config.ts; echoed with the command so a run can be repeated. */
const TUNING_ENV = [
  'WORKER_MAX_CONCURRENT_ACTIVITIES',
  'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
  'WORKER_MAX_CACHED_WORKFLOWS',
  'DATABASE_POOL_SIZE',
] as const;

/** Not a product variable: the bench turns it into `?maxConnections=` on SMTP_URL, which platform/mailer.ts honours. */
export const SMTP_MAX_CONNECTIONS = 'SMTP_MAX_CONNECTIONS';

const USAGE = `npm run bench -- [--apps N] [--rate OPS] [--seconds S] [--scale N] [--max-rss MIB] [--lifecycle] [--lifecycle-cases N]
                     [--temporal-store wal|plain] [--only m1,m2] [--skip m1,m2] [--tune VAR=VALUE ...]
modes: ${MODES.join(', ')} (lifecycle only with --lifecycle or --only)
--tune takes ${TUNING_ENV.join(', ')} or ${SMTP_MAX_CONNECTIONS}; it adds a second intake round with those settings.`;

function count(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min} (got ${raw})\n${USAGE}`);
  return n;
}

function modeList(flag: string, raw: string | undefined): Mode[] {
  if (raw === undefined) return [];
  const list = raw.split(',').map((m) => m.trim()).filter(Boolean);
  const bad = list.filter((m) => !(MODES as readonly string[]).includes(m));
  if (bad.length) throw new Error(`--${flag}: unknown mode(s) ${bad.join(', ')}; modes are ${MODES.join(', ')}`);
  return list as Mode[];
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      apps: { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      scale: { type: 'string' },
      lifecycle: { type: 'boolean' },
      'lifecycle-cases': { type: 'string' },
      'max-rss': { type: 'string' },
      'temporal-store': { type: 'string' },
      only: { type: 'string' },
      skip: { type: 'string' },
      tune: { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const only = modeList('only', values.only);
  const skip = new Set(modeList('skip', values.skip));
  const defaults: Mode[] = ['startup', 'intake', 'ceiling', 'latency', 'scale', ...(values.lifecycle ? (['lifecycle'] as const) : [])];
  const modes = new Set((only.length ? only : defaults).filter((m) => !skip.has(m)));
  // The ceiling copies the intake's shape, and the latency and scale phases work on its cases.
  if (modes.has('ceiling') || modes.has('latency') || modes.has('scale')) modes.add('intake');

  const tune: Record<string, string> = {};
  for (const pair of values.tune ?? []) {
    const [key, value] = pair.split('=', 2);
    const known = [...TUNING_ENV, SMTP_MAX_CONNECTIONS] as readonly string[];
    if (!key || value === undefined || !known.includes(key)) throw new Error(`--tune ${pair}: expected VAR=VALUE with VAR one of ${known.join(', ')}`);
    tune[key] = value;
  }
  if (Object.keys(tune).length) modes.add('intake');

  const store = values['temporal-store'] ?? 'wal';
  if (!(STORES as readonly string[]).includes(store)) throw new Error(`--temporal-store must be one of ${STORES.join(', ')} (got ${store})`);
  const scale = count('scale', values.scale, 10_000, 0);
  if (scale === 0) modes.delete('scale');
  return {
    apps: count('apps', values.apps, 1000, 1),
    rate: count('rate', values.rate, 50, 1),
    seconds: count('seconds', values.seconds, 20, 1),
    scale,
    lifecycleCases: count('lifecycle-cases', values['lifecycle-cases'], 300, 1),
    maxRssMiB: count('max-rss', values['max-rss'], 4096, 256),
    temporalStore: store as TemporalStore,
    modes,
    tune,
  };
}

/** The command as typed, with the tuning variables it ran under, so the table can be reproduced. */
export function commandLine(argv: string[], env: NodeJS.ProcessEnv): string {
  const quote = (s: string) => (/^[\w.,=:/@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const vars = TUNING_ENV.filter((k) => env[k] !== undefined).map((k) => `${k}=${quote(env[k]!)}`);
  return [...vars, 'npm run bench', ...(argv.length ? ['--', ...argv.map(quote)] : [])].join(' ');
}
