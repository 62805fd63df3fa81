import {
  addBusinessDays,
  addCalendarDays,
  addMonths,
  businessDaysBetween,
  calendarDaysBetween,
  isBusinessDay,
  parseIsoDate,
} from '../../domain/business-days';

const THANKSGIVING_2026 = ['2026-11-26'];
const HOLIDAYS = ['2026-11-26', '2026-12-25', '2027-01-01'];

describe('business days', () => {
  test('weekends and holidays are not business days', () => {
    expect(isBusinessDay('2026-11-20', HOLIDAYS)).toBe(true); // Friday
    expect(isBusinessDay('2026-11-21', HOLIDAYS)).toBe(false); // Saturday
    expect(isBusinessDay('2026-11-22', HOLIDAYS)).toBe(false); // Sunday
    expect(isBusinessDay('2026-11-26', HOLIDAYS)).toBe(false); // Thanksgiving
    expect(isBusinessDay('2026-11-26', [])).toBe(true);
  });

  test('Friday 2026-11-20 + 5 business days skips the weekend and Thanksgiving', () => {
    expect(addBusinessDays('2026-11-20', 5, THANKSGIVING_2026)).toBe('2026-11-30');
    expect(addBusinessDays('2026-11-20', 5, [])).toBe('2026-11-27');
    expect(addBusinessDays('2026-11-20', 1, THANKSGIVING_2026)).toBe('2026-11-23');
  });

  test('counting from a weekend day starts on the next business day', () => {
    expect(addBusinessDays('2026-11-21', 1, [])).toBe('2026-11-23');
    expect(addBusinessDays('2026-11-22', 2, [])).toBe('2026-11-24');
  });

  test('adding 0 keeps a business day and rolls a weekend or holiday forward', () => {
    expect(addBusinessDays('2026-11-20', 0, HOLIDAYS)).toBe('2026-11-20');
    expect(addBusinessDays('2026-11-21', 0, HOLIDAYS)).toBe('2026-11-23');
    expect(addBusinessDays('2026-11-26', 0, HOLIDAYS)).toBe('2026-11-27');
  });

  test('across the year end with Christmas and New Year on Fridays', () => {
    expect(addBusinessDays('2026-12-24', 1, HOLIDAYS)).toBe('2026-12-28');
    expect(addBusinessDays('2026-12-31', 1, HOLIDAYS)).toBe('2027-01-04');
  });

  test('businessDaysBetween counts the days after the start up to and including the end', () => {
    expect(businessDaysBetween('2026-11-20', '2026-11-30', THANKSGIVING_2026)).toBe(5);
    expect(businessDaysBetween('2026-11-30', '2026-11-20', THANKSGIVING_2026)).toBe(-5);
    expect(businessDaysBetween('2026-11-20', '2026-11-20', [])).toBe(0);
    expect(businessDaysBetween('2026-11-21', '2026-11-22', [])).toBe(0);
    expect(businessDaysBetween('2026-11-21', '2026-11-23', [])).toBe(1);
    for (let n = 0; n <= 15; n++) {
      expect(businessDaysBetween('2026-11-20', addBusinessDays('2026-11-20', n, HOLIDAYS), HOLIDAYS)).toBe(n);
    }
  });

  test('refuses negative counts and dates that do not exist', () => {
    expect(() => addBusinessDays('2026-11-20', -1, [])).toThrow(RangeError);
    expect(() => addBusinessDays('2026-11-20', 1.5, [])).toThrow(RangeError);
    expect(() => isBusinessDay('2026-02-30', [])).toThrow('"2026-02-30" is not a calendar date');
    expect(() => parseIsoDate('2026-1-5')).toThrow(RangeError);
    expect(() => parseIsoDate('0099-01-01')).toThrow(RangeError);
  });
});

describe('calendar arithmetic', () => {
  test('adds days across month, year and leap day', () => {
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addCalendarDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addCalendarDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addCalendarDays('2026-03-02', 180)).toBe('2026-08-29');
    expect(calendarDaysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(calendarDaysBetween('2027-01-01', '2026-01-01')).toBe(-365);
  });

  test('adding months clamps to the end of shorter months', () => {
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2025-03-10', 12)).toBe('2026-03-10');
    expect(addMonths('2026-01-15', -2)).toBe('2025-11-15');
  });
});
