/*
 * Date arithmetic on ISO calendar dates ('YYYY-MM-DD').
 * Runs inside workflow code, so it only uses Date.UTC and UTC getters: results never
 * depend on the host's time zone or clock.
 *
 * Business days are Monday to Friday, less the given holidays (observed dates).
 */

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** Splits and validates an ISO date; throws a RangeError on anything that is not a real calendar date. */
export function parseIsoDate(iso: string): CalendarDate {
  const m = ISO_DATE.exec(iso);
  if (m) {
    const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
    // Date.UTC maps years 0-99 onto 1900-1999, so older years are refused rather than misread.
    if (date.year >= 1000 && date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= daysInMonth(date.year, date.month)) {
      return date;
    }
  }
  throw new RangeError(`"${iso}" is not a calendar date as YYYY-MM-DD`);
}

export function formatIsoDate({ year, month, day }: CalendarDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function toDayNumber(iso: string): number {
  const { year, month, day } = parseIsoDate(iso);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function fromDayNumber(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addCalendarDays(iso: string, days: number): string {
  return fromDayNumber(toDayNumber(iso) + days);
}

/** Calendar days from `a` to `b`; negative when `b` is earlier. */
export function calendarDaysBetween(a: string, b: string): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** Adds whole months, clamping to the month's last day (2026-08-31 + 6 months = 2027-02-28). */
export function addMonths(iso: string, months: number): string {
  const { year, month, day } = parseIsoDate(iso);
  const index = year * 12 + (month - 1) + months;
  const target = { year: Math.floor(index / 12), month: (index % 12) + 1 };
  return formatIsoDate({ ...target, day: Math.min(day, daysInMonth(target.year, target.month)) });
}

function isBusinessDayNumber(dayNumber: number, holidays: ReadonlySet<string>): boolean {
  const weekday = new Date(dayNumber * MS_PER_DAY).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(fromDayNumber(dayNumber));
}

export function isBusinessDay(iso: string, holidays: readonly string[]): boolean {
  return isBusinessDayNumber(toDayNumber(iso), new Set(holidays));
}

/**
 * The date `n` business days after `iso`; the start day itself never counts.
 * With n = 0 the date rolls forward to the first business day on or after `iso`,
 * so a follow-up "due today" that falls on a weekend or holiday is due on the next working day.
 */
export function addBusinessDays(iso: string, n: number, holidays: readonly string[]): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`business days to add must be a whole number >= 0, got ${n}`);
  const off = new Set(holidays);
  let day = toDayNumber(iso);
  if (n === 0) {
    while (!isBusinessDayNumber(day, off)) day++;
    return fromDayNumber(day);
  }
  for (let counted = 0; counted < n; ) {
    day++;
    if (isBusinessDayNumber(day, off)) counted++;
  }
  return fromDayNumber(day);
}

/**
 * Business days after `from` up to and including `to`, so that
 * businessDaysBetween(d, addBusinessDays(d, n)) = n for any business day d.
 * Negative when `to` is before `from`.
 */
export function businessDaysBetween(from: string, to: string, holidays: readonly string[]): number {
  const start = toDayNumber(from);
  const end = toDayNumber(to);
  if (end < start) return -businessDaysBetween(to, from, holidays);
  const off = new Set(holidays);
  let count = 0;
  for (let day = start + 1; day <= end; day++) if (isBusinessDayNumber(day, off)) count++;
  return count;
}
