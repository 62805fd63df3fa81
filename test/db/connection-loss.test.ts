import { setTimeout as sleep } from 'node:timers/promises';
import { createPool } from '../../platform/db';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

/*
 * PostgreSQL ends a connection that is checked out and idle between queries, as a restart or a
 * failover does. The process must live on, and the pool must hand out a working connection
 * next: an 'error' event with no listener would end the worker (seen in the PostgreSQL-restart
 * fault test, where the worker exited with "terminating connection due to administrator command").
 */

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

test('a checked-out connection that PostgreSQL ends does not take the process down', async () => {
  const pool = createPool(database.url, 2);
  const uncaught: Error[] = [];
  const record = (err: Error) => void uncaught.push(err);
  process.on('uncaughtException', record);
  try {
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await database.db.$queryRaw`SELECT pg_terminate_backend(${rows[0]!.pid}::int)`;
    await sleep(300);
    client.release(true);
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(uncaught).toEqual([]);
  } finally {
    process.off('uncaughtException', record);
    await pool.end();
  }
});
