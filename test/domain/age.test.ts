import { issueAge } from '../../domain/age';

describe('issue age', () => {
  test('age last birthday changes on the birthday', () => {
    expect(issueAge('1960-06-15', '2026-06-14', 'LAST_BIRTHDAY')).toBe(65);
    expect(issueAge('1960-06-15', '2026-06-15', 'LAST_BIRTHDAY')).toBe(66);
  });

  test('age nearest birthday rounds up once the next birthday is at least as close', () => {
    // Last birthday 2026-06-15; 2026-12-14 is 182 days after it and 183 before the next one.
    expect(issueAge('1960-06-15', '2026-12-14', 'NEAREST_BIRTHDAY')).toBe(66);
    expect(issueAge('1960-06-15', '2026-12-15', 'NEAREST_BIRTHDAY')).toBe(67);
    expect(issueAge('1960-06-15', '2026-06-14', 'NEAREST_BIRTHDAY')).toBe(66);
    expect(issueAge('1975-08-01', '2026-03-02', 'NEAREST_BIRTHDAY')).toBe(51);
    expect(issueAge('1975-08-01', '2026-03-02', 'LAST_BIRTHDAY')).toBe(50);
  });

  test('a 29 February birthday counts on 28 February in common years', () => {
    expect(issueAge('2000-02-29', '2025-02-27', 'LAST_BIRTHDAY')).toBe(24);
    expect(issueAge('2000-02-29', '2025-02-28', 'LAST_BIRTHDAY')).toBe(25);
    expect(issueAge('2000-02-29', '2028-02-29', 'LAST_BIRTHDAY')).toBe(28);
  });

  test('newborns are age 0 and dates before birth are refused', () => {
    expect(issueAge('2026-01-15', '2026-03-02', 'LAST_BIRTHDAY')).toBe(0);
    expect(() => issueAge('2026-01-15', '2025-12-31', 'LAST_BIRTHDAY')).toThrow(RangeError);
  });
});
