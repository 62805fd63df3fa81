/*
 * `npm run deploy`: what a release needs done once, before its workers and API start, on any
 * Temporal and PostgreSQL. First the replay gate: the release's workflow code must replay every
 * running case, or nothing is done (a case that does not replay would stop on its next workflow
 * task). Then the database migrations, the search attributes, and the weekly pending-case report
 * schedule. Every step is idempotent; `npm start` does the same locally, without the gate.
 */
import { connectClient } from '../client/connection';
import { replayCheck, replayCheckQuery } from '../client/replay-check';
import { encryptedDataConverter } from '../platform/codec';
import { ConfigError, loadConfig } from '../platform/config';
import { ensureLicenseExpirySchedule, ensurePendingReportSchedule } from '../platform/schedules';
import { ensureSearchAttributes } from '../platform/search-attributes';
import { applyMigrations } from '../prisma/migrate';
import { loadWorkflowBundle } from '../worker/bundle';

const say = (line: string) => console.log(`[deploy] ${line}`);

async function main(): Promise<void> {
  const config = loadConfig();
  const { env, temporal } = config;
  if (!env.DATABASE_URL) throw new ConfigError('npm run deploy needs DATABASE_URL. Locally, `npm start` migrates the embedded database itself.');
  const skipAttributes = process.argv.includes('--skip-search-attributes');
  const skipReplay = process.argv.includes('--skip-replay-check');

  const { client, connection } = await connectClient(config);
  try {
    if (skipReplay) say('Replay check: SKIPPED (--skip-replay-check); a case this release cannot replay will stop on its next workflow task');
    else {
      const replayer = { workflowBundle: await loadWorkflowBundle(say), dataConverter: encryptedDataConverter(config.encryption) };
      let shown = 0;
      const { checked, failures } = await replayCheck(client, replayer, { query: replayCheckQuery(temporal.taskQueue) }, (done, total) => {
        if (done === total || done - shown >= 100) say(`Replay check: ${done} of ${total} running workflows`), (shown = done);
      });
      if (failures.length) {
        for (const f of failures) say(`  does not replay: ${f.caseId} (${f.workflowType}): ${f.failure.split('\n')[0]!.slice(0, 200)}`);
        throw new ReplayGateError(failures.length, checked);
      }
      say(`Replay check: all ${checked} running workflows replay against this release`);
    }

    const applied = await applyMigrations(env.DATABASE_URL);
    say(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');

    if (skipAttributes) say('Search attributes: skipped (--skip-search-attributes)');
    else {
      const added = await ensureSearchAttributes(connection, temporal.namespace);
      say(added.length ? `Registered search attributes: ${added.join(', ')}` : 'Search attributes already registered');
    }
    say(`Pending-case report schedule ${await ensurePendingReportSchedule(client, temporal.taskQueue, env.BGA_PENDING_REPORT_CRON)}`);
    say(`License expiry watch schedule ${await ensureLicenseExpirySchedule(client, temporal.taskQueue, env.BGA_LICENSE_EXPIRY_CRON)}`);
  } finally {
    await connection.close();
  }
  say(`Done: ${temporal.connection.address}, namespace ${temporal.namespace}, task queue ${temporal.taskQueue}`);
}

class ReplayGateError extends Error {
  constructor(failed: number, checked: number) {
    super(
      `${failed} of ${checked} running workflows do not replay against this release's workflow code, so it was not deployed and nothing was changed. ` +
        'Guard the workflow change with patched() (docs/development.md) and deploy again; keep the current workers running meanwhile.',
    );
  }
}

main().catch((err: Error) => {
  console.error(`[deploy] failed: ${err.message}`);
  if (!(err instanceof ReplayGateError)) console.error('[deploy] Nothing is half-done: each step is idempotent, so fix the cause and run it again.');
  process.exit(1);
});
