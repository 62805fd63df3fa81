const DAY_MS = 86_400_000;

/** Whole days elapsed, as "days in stage" and "days open" are counted on a desk: 47 hours is 1 day. */
export function wholeDaysSince(from: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - from.getTime()) / DAY_MS));
}
