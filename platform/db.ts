import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../prisma/generated/client';

export type Db = PrismaClient;

/**
 * Every connection keeps an 'error' listener for its whole life. A connection that PostgreSQL
 * ends while it is checked out and between queries (a restart, a failover) otherwise emits an
 * unhandled 'error' and takes the worker process down; with the listener the query in hand fails,
 * the pool drops the connection, and the activity's retry finds the database again.
 */
export function createPool(databaseUrl: string, poolSize = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  const ignore = () => {};
  pool.on('error', ignore);
  pool.on('connect', (client) => client.on('error', ignore));
  return pool;
}

export function createDb(databaseUrl: string, poolSize = 10): Db {
  return new PrismaClient({ adapter: new PrismaPg(createPool(databaseUrl, poolSize), { disposeExternalPool: true }) });
}
