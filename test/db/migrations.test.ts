import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { projectRoot } from '../../platform/paths';
import { createTestDatabase } from '../helpers/database';

test('the migrations produce exactly schema.prisma and are recorded as prisma migrate deploy expects', async () => {
  const { url, drop } = await createTestDatabase();
  try {
    const out = execFileSync(path.join(projectRoot, 'node_modules', '.bin', 'tsx'), ['scripts/db-check.ts'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: url },
      encoding: 'utf8',
    });
    expect(out).toContain('Migrations match schema.prisma.');
    const pg = new Client({ connectionString: url });
    await pg.connect();
    const rows = await pg.query('SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name');
    await pg.end();
    // Every migration folder, applied in order and recorded by name.
    const folders = fs
      .readdirSync(path.join(projectRoot, 'prisma', 'migrations'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(folders.length).toBeGreaterThanOrEqual(3);
    expect(rows.rows.map((r: { migration_name: string }) => r.migration_name)).toEqual(folders);
    expect(rows.rows.every((r: { finished_at: Date | null }) => r.finished_at !== null)).toBe(true);
  } finally {
    await drop();
  }
});
