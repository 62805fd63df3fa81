import crypto from 'node:crypto';
import { Client } from 'pg';
import { createDb, type Db } from '../../platform/db';

export interface TestDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.BGA_TEST_PG_SERVER_URL;
  if (!url) throw new Error('BGA_TEST_PG_SERVER_URL is not set: run tests through jest so global-setup starts PostgreSQL.');
  return url;
}

/** A fresh database for one test file, copied from the migrated template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE bga_template`);
  await admin.end();
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), 5);
  return {
    url: url.toString(),
    db,
    async drop() {
      await db.$disconnect();
      const c = new Client({ connectionString: serverUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
