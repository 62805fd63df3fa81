import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { startChild } from '../platform/child-service';
import { portInUse } from '../platform/ports';
import { ensureDatabase, startEmbeddedPostgres } from '../platform/postgres';
import { ensureSearchAttributes } from '../platform/search-attributes';
import { ensureTemporalCli } from '../platform/toolchain';
import { applyMigrations } from '../prisma/migrate';
import { onInterrupt } from './interrupt';
import type { TemporalStore } from './options';
import { SmtpSink } from './smtp-sink';
import { freePort } from '../platform/ports';
import { say, sleep } from './util';

const DATABASE = 'bga';

/** The bench's own services: nothing is shared with `npm start` or a test run on the same machine. */
export interface Stack {
  workDir: string;
  temporalAddress: string;
  databaseUrl: string;
  /** A migrated database of its own on the same PostgreSQL server. */
  createDatabase(name: string): Promise<string>;
  smtp: SmtpSink;
  stop(): Promise<void>;
}

/** The frontend opens its port before the namespace is served; retry until the operator API answers. */
async function registerSearchAttributes(address: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: '5 seconds' });
      try {
        await ensureSearchAttributes(connection, 'default');
      } finally {
        await connection.close();
      }
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(500);
    }
  }
}

/** SQLite pragmas per store mode; see TemporalStore. */
const STORE_ARGS: Record<TemporalStore, string[]> = {
  wal: ['--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal'],
  plain: [],
};

export async function startStack(store: TemporalStore): Promise<Stack> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bga-bench-'));
  // As root, PostgreSQL runs as a separate user that must reach its data folder.
  fs.chmodSync(workDir, 0o755);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    forget();
    for (const s of stops.reverse()) await s().catch((err: Error) => say(`stop failed: ${err.message}`));
    fs.rmSync(workDir, { recursive: true, force: true });
  };
  const forget = onInterrupt(stop);
  try {
    const pg = await startEmbeddedPostgres({ dir: path.join(workDir, 'pg'), port: await freePort(), persistent: false });
    stops.push(pg.stop);
    const createDatabase = async (name: string) => {
      await ensureDatabase(pg.serverUrl, name);
      const url = pg.databaseUrl(name);
      await applyMigrations(url);
      return url;
    };
    const databaseUrl = await createDatabase(DATABASE);
    say(`PostgreSQL ready (${new URL(databaseUrl).host})`);

    const smtp = await new SmtpSink().start();
    stops.push(() => smtp.stop());

    const cli = await ensureTemporalCli(say);
    const port = await freePort();
    const server = await startChild({
      name: 'Temporal dev server',
      command: cli,
      // Headless: the Web UI is not measured and would take CPU from the two cores.
      args: [
        ...['server', 'start-dev', '--db-filename', path.join(workDir, 'temporal.sqlite'), ...STORE_ARGS[store]],
        ...['--ip', '127.0.0.1', '--port', String(port), '--headless', '--log-level', 'warn'],
      ],
      ready: () => portInUse(port),
      timeoutMs: 60_000,
    });
    stops.push(() => server.stop());
    const temporalAddress = `127.0.0.1:${port}`;
    await registerSearchAttributes(temporalAddress);
    say(`Temporal dev server ready (${temporalAddress}, SQLite ${store}), SMTP sink on ${smtp.url}`);
    return { workDir, temporalAddress, databaseUrl, createDatabase, smtp, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
