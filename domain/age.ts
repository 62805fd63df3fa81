import { calendarDaysBetween, daysInMonth, formatIsoDate, parseIsoDate } from './business-days';

/*
 * Insurance age. Carriers quote either the age last birthday or the age nearest birthday;
 * the two differ for half of every year, which can move a case across a grid column.
 */

export const AGE_BASES = ['LAST_BIRTHDAY', 'NEAREST_BIRTHDAY'] as const;
export type AgeBasis = (typeof AGE_BASES)[number];

/** A 29 February birthday falls on 28 February in common years. */
function birthdayIn(year: number, month: number, day: number): string {
  return formatIsoDate({ year, month, day: Math.min(day, daysInMonth(year, month)) });
}

/**
 * Age on `onDate` for someone born on `dateOfBirth`. Age nearest birthday rounds up when
 * `onDate` is at least as close to the next birthday as to the last one.
 */
export function issueAge(dateOfBirth: string, onDate: string, basis: AgeBasis): number {
  const born = parseIsoDate(dateOfBirth);
  const on = parseIsoDate(onDate);
  if (onDate < dateOfBirth) throw new RangeError(`${onDate} is before the date of birth ${dateOfBirth}`);
  const ageLast = on.year - born.year - (onDate < birthdayIn(on.year, born.month, born.day) ? 1 : 0);
  if (basis === 'LAST_BIRTHDAY') return ageLast;
  const last = birthdayIn(born.year + ageLast, born.month, born.day);
  const next = birthdayIn(born.year + ageLast + 1, born.month, born.day);
  return calendarDaysBetween(last, onDate) >= calendarDaysBetween(onDate, next) ? ageLast + 1 : ageLast;
}
