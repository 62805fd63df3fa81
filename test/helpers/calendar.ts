import fs from 'node:fs';
import path from 'node:path';
import { addCalendarDays, calendarDaysBetween, isBusinessDay } from '../../domain/business-days';
import { projectRoot } from '../../platform/paths';

/*
 * Where on the calendar a test starts. Follow-ups count business days, so a test that skips
 * time would pass or fail by the weekday it happened to run on. Instead, the time-skipping
 * server is moved forward to a chosen point of the business week before each case starts,
 * and the shipped examples' dates are moved with it.
 *
 * BGA_TEST_START picks the point:
 *   mon … sun     the next such weekday after today, at 10:00 UTC (default: mon)
 *   pre-holiday   the last business day before the next holiday in config/rules.json, 10:00 UTC
 *   an ISO instant, such as 2026-12-24T10:00:00Z, to reproduce a failing run (it must lie ahead)
 */

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const START_HOUR_UTC = 10;

/** The day the shipped example applications were written for: their dates stand relative to it. */
export const EXAMPLES_DATED = '2026-12-01';

export type StartSpec = { kind: 'weekday'; day: number } | { kind: 'pre-holiday' } | { kind: 'instant'; at: number };

export function parseStartSpec(raw: string | undefined): StartSpec {
  const value = (raw ?? 'mon').trim().toLowerCase();
  const day = WEEKDAYS.indexOf(value.slice(0, 3) as (typeof WEEKDAYS)[number]);
  if (day >= 0 && /^[a-z]+$/.test(value)) return { kind: 'weekday', day };
  if (value === 'pre-holiday') return { kind: 'pre-holiday' };
  const at = Date.parse(raw ?? '');
  if (/^\d{4}-\d{2}-\d{2}t/.test(value) && Number.isFinite(at)) return { kind: 'instant', at };
  throw new Error(`BGA_TEST_START="${raw}" is not a start: use mon, tue, wed, thu, fri, sat, sun, pre-holiday or an ISO instant such as 2026-12-24T10:00:00Z`);
}

export function rulesHolidays(): string[] {
  const rules = JSON.parse(fs.readFileSync(path.join(projectRoot, 'config', 'rules.json'), 'utf8')) as { settings: { holidays: { date: string }[] } };
  return rules.settings.holidays.map((h) => h.date).sort();
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const atStartHour = (day: string) => Date.parse(`${day}T${String(START_HOUR_UTC).padStart(2, '0')}:00:00Z`);

/** The first moment after `nowMs`, on a later calendar day than `nowMs`, that matches the spec. */
export function nextStart(nowMs: number, spec: StartSpec, holidays: readonly string[]): number {
  const today = isoDay(nowMs);
  if (spec.kind === 'instant') {
    if (spec.at < nowMs) {
      const weekday = WEEKDAYS[new Date(spec.at).getUTCDay()];
      throw new Error(
        `BGA_TEST_START=${new Date(spec.at).toISOString()} has passed on the test server's clock (${new Date(nowMs).toISOString()}); ` +
          `time only moves forward there. To test the same weekday, use BGA_TEST_START=${weekday}.`,
      );
    }
    return spec.at;
  }
  if (spec.kind === 'weekday') {
    const ahead = ((spec.day - new Date(nowMs).getUTCDay() + 6) % 7) + 1;
    return atStartHour(addCalendarDays(today, ahead));
  }
  for (const holiday of holidays) {
    let eve = addCalendarDays(holiday, -1);
    while (!isBusinessDay(eve, holidays)) eve = addCalendarDays(eve, -1);
    if (eve > today) return atStartHour(eve);
  }
  throw new Error(`config/rules.json lists no holiday after ${today}, so BGA_TEST_START=pre-holiday has nowhere to start: add next year's holidays to settings.holidays.`);
}

/** One line that lets a person reproduce the start of a failing run. */
export function describeStart(raw: string | undefined, at: number): string {
  const weekday = new Date(at).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
  return `calendar start ${new Date(at).toISOString()} (${weekday}), from BGA_TEST_START=${raw ?? 'mon'}; rerun with BGA_TEST_START=${new Date(at).toISOString()} while it lies ahead`;
}

/** Moves every YYYY-MM-DD string in a JSON-like value by the days from `from` to `to`. */
export function shiftDates<T>(value: T, from: string, to: string): T {
  const days = calendarDaysBetween(from, to);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return /^\d{4}-\d{2}-\d{2}$/.test(v) ? addCalendarDays(v, days) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

export const utcDay = (ms: number = Date.now()): string => isoDay(ms);

/** A year far enough ahead that a licence or certificate expiring in it is current for any test. */
export const yearsAhead = (years: number): number => new Date().getUTCFullYear() + years;

/**
 * Runs `fn` against a server on the wall clock and returns the UTC dates seen on either side
 * of it, so that "today" in an assertion holds even when the run crosses midnight.
 */
export async function acrossToday<T>(fn: () => Promise<T>): Promise<{ result: T; days: string[] }> {
  const before = utcDay();
  const result = await fn();
  return { result, days: [...new Set([before, utcDay()])] };
}
