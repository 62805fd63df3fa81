import type { z } from 'zod';
import { US_STATES } from '../../domain/catalogue';
import { calendarDate, licenseState, STATE_NAMES } from '../../domain/contracting';

/* The pieces broker contracting input is checked with: a licence state, a calendar date. */

const problems = (schema: z.ZodType, value: unknown): string[] | undefined => {
  const res = schema.safeParse(value);
  return res.success ? undefined : res.error.issues.map((i) => i.message);
};

describe('licence state', () => {
  test('a state code is taken in any letter case, around spaces, and comes out in capitals', () => {
    for (const code of US_STATES) expect(licenseState.parse(code.toLowerCase())).toBe(code);
    expect(licenseState.parse(' ga ')).toBe('GA');
    expect(licenseState.parse('Ga')).toBe('GA');
  });

  test('a state written out is refused with its code', () => {
    expect(Object.keys(STATE_NAMES).sort()).toEqual([...US_STATES].sort());
    for (const [code, name] of Object.entries(STATE_NAMES)) {
      expect(problems(licenseState, name)).toEqual([`"${name}" is a state name; give its two-letter code, ${code}`]);
    }
    expect(problems(licenseState, 'new  york')).toEqual(['"new  york" is a state name; give its two-letter code, NY']);
  });

  test('a territory is named as one; anything else is not a state code', () => {
    expect(problems(licenseState, 'PR')).toEqual(['"PR" is Puerto Rico, a US territory; licences are recorded for the 50 states and DC only']);
    expect(problems(licenseState, 'gu')).toEqual(['"gu" is Guam, a US territory; licences are recorded for the 50 states and DC only']);
    expect(problems(licenseState, 'ZZ')).toEqual([`"ZZ" is not a US state code; give the state's two-letter postal code, such as GA`]);
    expect(problems(licenseState, '')).toEqual([`"" is not a US state code; give the state's two-letter postal code, such as GA`]);
  });
});

describe('calendar date', () => {
  test('a real YYYY-MM-DD date is taken as given', () => {
    for (const d of ['2028-02-29', '2000-02-29', '2026-12-31', '2026-01-01']) expect(calendarDate.parse(d)).toBe(d);
  });

  test('a date that is not on the calendar says why', () => {
    expect(problems(calendarDate, '2026-02-30')).toEqual(['"2026-02-30" is not a real date: February 2026 has 28 days']);
    expect(problems(calendarDate, '2026-02-29')).toEqual(['"2026-02-29" is not a real date: February 2026 has 28 days']);
    expect(problems(calendarDate, '2100-02-29')).toEqual(['"2100-02-29" is not a real date: February 2100 has 28 days']);
    expect(problems(calendarDate, '2026-04-31')).toEqual(['"2026-04-31" is not a real date: April 2026 has 30 days']);
    expect(problems(calendarDate, '2026-06-00')).toEqual(['"2026-06-00" is not a real date: June 2026 has 30 days']);
    expect(problems(calendarDate, '2026-13-01')).toEqual(['"2026-13-01" is not a real date: there is no month 13']);
  });

  test('anything not written YYYY-MM-DD is refused as such', () => {
    for (const d of ['30/06/2028', '2028-6-30', 'tomorrow', '', '2028-06-30T00:00:00Z']) {
      expect(problems(calendarDate, d)).toEqual([`${JSON.stringify(d)} is not a date in the form YYYY-MM-DD`]);
    }
  });
});
