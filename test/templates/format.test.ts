import { count, formatDate, formatMoney } from '../../templates/format';

describe('formatDate', () => {
  it('renders an ISO date as weekday, month, day and year', () => {
    expect(formatDate('2026-12-04')).toBe('Friday, December 4, 2026');
    expect(formatDate('2028-02-29')).toBe('Tuesday, February 29, 2028');
  });

  it('does not depend on the time zone of the worker', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles', 'UTC']) {
        process.env.TZ = tz;
        expect(formatDate('2027-01-01')).toBe('Friday, January 1, 2027');
      }
    } finally {
      process.env.TZ = saved;
    }
  });

  it('refuses a date that is not on the calendar rather than rolling it over', () => {
    expect(() => formatDate('2026-02-30')).toThrow(RangeError);
    expect(() => formatDate('next Friday')).toThrow(RangeError);
  });
});

describe('formatMoney', () => {
  it('renders whole US dollars with thousands separators and no cents', () => {
    expect(formatMoney(1_500_000)).toBe('$1,500,000');
    expect(formatMoney(25_000)).toBe('$25,000');
    expect(formatMoney(100_000_000)).toBe('$100,000,000');
  });
});

describe('count', () => {
  it('agrees the noun with the number', () => {
    expect(count(1, 'item')).toBe('1 item');
    expect(count(0, 'item')).toBe('0 items');
    expect(count(3, 'day')).toBe('3 days');
  });
});
