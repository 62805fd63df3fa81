import { EXAMPLES_DATED, nextStart, parseStartSpec, shiftDates } from '../helpers/calendar';

/* The test clock's start rules, checked from fixed moments so that they hold on any day. */

const HOLIDAYS = ['2026-11-26', '2026-12-25', '2027-01-01', '2027-01-18'];
const at = (iso: string) => Date.parse(iso);
const start = (now: string, spec: string) => new Date(nextStart(at(now), parseStartSpec(spec), HOLIDAYS)).toISOString();

test('a weekday start is the next such day after today at 10:00 UTC, never today', () => {
  // 2026-12-01 is a Tuesday.
  expect(start('2026-12-01T08:00:00Z', 'mon')).toBe('2026-12-07T10:00:00.000Z');
  expect(start('2026-12-01T08:00:00Z', 'tue')).toBe('2026-12-08T10:00:00.000Z');
  expect(start('2026-12-01T23:59:00Z', 'wed')).toBe('2026-12-02T10:00:00.000Z');
  expect(start('2026-12-05T12:00:00Z', 'sunday')).toBe('2026-12-06T10:00:00.000Z');
  expect(parseStartSpec(undefined)).toEqual({ kind: 'weekday', day: 1 });
});

test('pre-holiday is the last business day before the next holiday', () => {
  expect(start('2026-12-01T08:00:00Z', 'pre-holiday')).toBe('2026-12-24T10:00:00.000Z');
  // New Year's Day 2027 is a Friday: its eve, Thursday 2026-12-31.
  expect(start('2026-12-24T12:00:00Z', 'pre-holiday')).toBe('2026-12-31T10:00:00.000Z');
  // A Monday holiday: the Friday before it.
  expect(start('2027-01-02T12:00:00Z', 'pre-holiday')).toBe('2027-01-15T10:00:00.000Z');
  expect(() => start('2027-01-16T12:00:00Z', 'pre-holiday')).toThrow(/no holiday after 2027-01-16.*add next year's holidays/);
});

test('an instant reproduces a run while it lies ahead, and says which weekday to use once it has passed', () => {
  expect(start('2026-12-01T08:00:00Z', '2026-12-08T21:00:00Z')).toBe('2026-12-08T21:00:00.000Z');
  expect(() => start('2026-12-09T08:00:00Z', '2026-12-08T21:00:00Z')).toThrow(/has passed.*BGA_TEST_START=tue/);
  expect(() => parseStartSpec('someday')).toThrow(/BGA_TEST_START="someday" is not a start: use mon/);
});

test('shifting an example moves every date by the same days and leaves other strings alone', () => {
  const app = { signedOn: '2026-11-20', insured: { dateOfBirth: '1968-03-14', name: '2026-11-20 is not alone' }, list: [{ diagnosedOn: '2019-06-01' }], n: 3 };
  expect(shiftDates(app, EXAMPLES_DATED, '2027-03-02')).toEqual({
    signedOn: '2027-02-19',
    insured: { dateOfBirth: '1968-06-13', name: '2026-11-20 is not alone' },
    list: [{ diagnosedOn: '2019-08-31' }],
    n: 3,
  });
});
