import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../platform/config';
import { dataDir } from '../platform/paths';
import { ensureDatabase, startEmbeddedPostgres } from '../platform/postgres';

/**
 * Runs `fn` against DATABASE_URL, or against the embedded server `npm start` uses (started
 * for the call and stopped after), so database scripts work the same with or without one.
 */
export async function withDatabase<T>(fn: (databaseUrl: string) => Promise<T>): Promise<T> {
  const { env } = loadConfig();
  if (env.DATABASE_URL) return fn(env.DATABASE_URL);
  fs.mkdirSync(dataDir(), { recursive: true });
  const pg = await startEmbeddedPostgres({ dir: path.join(dataDir(), 'postgres'), port: env.BGA_POSTGRES_PORT, persistent: true });
  try {
    await ensureDatabase(pg.serverUrl, 'bga');
    return await fn(pg.databaseUrl('bga'));
  } finally {
    await pg.stop();
  }
}
