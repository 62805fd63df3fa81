/*
 * Runs the calendar-sensitive suites (every test file on the time-skipping server) once per
 * start: each weekday, and the last business day before the next holiday in config/rules.json.
 * A start is passed to the tests as BGA_TEST_START; see test/helpers/calendar.ts.
 *
 *   npm run test:calendar                 all eight starts
 *   npm run test:calendar -- fri sat      just these
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../platform/paths';
import { describeStart, nextStart, parseStartSpec, rulesHolidays } from '../test/helpers/calendar';

const ALL_STARTS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'pre-holiday'];

function calendarSuites(dir = path.join(projectRoot, 'test')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return calendarSuites(file);
    return entry.name.endsWith('.test.ts') && fs.readFileSync(file, 'utf8').includes("World.create('time-skipping')") ? [path.relative(projectRoot, file)] : [];
  });
}

function main(): void {
  const starts = process.argv.slice(2).length ? process.argv.slice(2) : ALL_STARTS;
  const suites = calendarSuites();
  console.log(`[calendar] ${suites.length} suites: ${suites.join(', ')}`);
  const results: { start: string; when: string; outcome: string; seconds: number }[] = [];
  for (const start of starts) {
    const when = describeStart(start, nextStart(Date.now(), parseStartSpec(start), rulesHolidays()));
    console.log(`\n[calendar] BGA_TEST_START=${start}: ${when}`);
    const t0 = Date.now();
    const run = spawnSync('npx', ['jest', ...suites], { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, BGA_TEST_START: start } });
    const seconds = Math.round((Date.now() - t0) / 1000);
    results.push({ start, when: when.split(',')[0]!.replace('calendar start ', ''), outcome: run.status === 0 ? 'passed' : `FAILED (exit ${run.status ?? run.signal})`, seconds });
  }
  console.log('\n[calendar] start        | first case at                              | result | time');
  for (const r of results) console.log(`[calendar] ${r.start.padEnd(12)} | ${r.when.padEnd(42)} | ${r.outcome} | ${r.seconds} s`);
  const failed = results.filter((r) => r.outcome !== 'passed').length;
  console.log(`calendar starts: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
