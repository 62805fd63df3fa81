/*
 * Once per `jest` run: provision the Temporal binaries, start one embedded PostgreSQL with a
 * migrated template database (each test file copies it), and bundle the workflow code once.
 * What test files need is handed over through environment variables.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../platform/paths';
import { freePort } from '../../platform/ports';
import { ensureDatabase, startEmbeddedPostgres } from '../../platform/postgres';
import { ensureTemporalCli, ensureTestServer } from '../../platform/toolchain';
import { applyMigrations } from '../../prisma/migrate';
import { writeWorkflowBundle } from '../../worker/bundle';
import { describeStart, nextStart, parseStartSpec, rulesHolidays } from './calendar';

export const TEMPLATE_DB = 'bga_template';

export default async function globalSetup(): Promise<void> {
  const say = (line: string) => console.log(`[test setup] ${line}`);
  const t0 = Date.now();
  // Resolved once, so that every file's time-skipping clock starts at the same moment.
  const start = nextStart(t0, parseStartSpec(process.env.BGA_TEST_START), rulesHolidays());
  process.env.BGA_TEST_START_AT = String(start);
  process.env.BGA_TEST_START_DESCRIPTION = describeStart(process.env.BGA_TEST_START, start);
  say(process.env.BGA_TEST_START_DESCRIPTION);
  const [cli, testServer] = [await ensureTemporalCli(say), await ensureTestServer(say)];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bga-test-'));
  // As root, PostgreSQL runs as a separate 'postgres' user that must reach its data folder.
  fs.chmodSync(work, 0o755);
  const pg = await startEmbeddedPostgres({ dir: path.join(work, 'pg'), port: await freePort(), persistent: false });
  await ensureDatabase(pg.serverUrl, TEMPLATE_DB);
  await applyMigrations(pg.databaseUrl(TEMPLATE_DB));
  // The CLI tests run the built `bga`: build it from the code under test.
  execFileSync(process.execPath, [path.join(projectRoot, 'scripts', 'build-cli.js')], { stdio: 'inherit' });
  const bundlePath = path.join(work, 'workflow-bundle.js');
  await writeWorkflowBundle(bundlePath);

  process.env.BGA_TEST_WORK_DIR = work;
  process.env.BGA_TEST_PG_SERVER_URL = pg.serverUrl;
  process.env.BGA_TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEMPORAL_CLI_PATH = cli;
  if (testServer) process.env.TEMPORAL_TEST_SERVER_PATH = testServer;
  (globalThis as { __bgaPostgres?: { stop(): Promise<void> } }).__bgaPostgres = pg;
  say(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
