/*
 * `npm run deploy`: what a release needs done once, before its workers and API start, on any
 * Temporal and PostgreSQL: the database migrations, the search attributes, and the weekly
 * pending-case report schedule. Every step is idempotent; `npm start` does the same locally.
 */
import { connectClient } from '../client/connection';
import { ConfigError, loadConfig } from '../platform/config';
import { ensurePendingReportSchedule } from '../platform/report-schedule';
import { ensureSearchAttributes } from '../platform/search-attributes';
import { applyMigrations } from '../prisma/migrate';

const say = (line: string) => console.log(`[deploy] ${line}`);

async function main(): Promise<void> {
  const config = loadConfig();
  const { env, temporal } = config;
  if (!env.DATABASE_URL) throw new ConfigError('npm run deploy needs DATABASE_URL. Locally, `npm start` migrates the embedded database itself.');
  const skipAttributes = process.argv.includes('--skip-search-attributes');

  const applied = await applyMigrations(env.DATABASE_URL);
  say(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');

  const { client, connection } = await connectClient(config);
  try {
    if (skipAttributes) say('Search attributes: skipped (--skip-search-attributes)');
    else {
      const added = await ensureSearchAttributes(connection, temporal.namespace);
      say(added.length ? `Registered search attributes: ${added.join(', ')}` : 'Search attributes already registered');
    }
    say(`Pending-case report schedule ${await ensurePendingReportSchedule(client, temporal.taskQueue, env.BGA_PENDING_REPORT_CRON)}`);
  } finally {
    await connection.close();
  }
  say(`Done: ${temporal.connection.address}, namespace ${temporal.namespace}, task queue ${temporal.taskQueue}`);
}

main().catch((err: Error) => {
  console.error(`[deploy] failed: ${err.message}`);
  console.error('[deploy] Nothing is half-done: each step is idempotent, so fix the cause and run it again.');
  process.exit(1);
});
