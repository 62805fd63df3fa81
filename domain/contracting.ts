import { z } from 'zod';
import { isoDate } from './application';
import { US_STATES, type UsState } from './catalogue';

/*
 * Pieces of broker contracting input (licences, appointments) whose refusals say what to type
 * instead: a licence state, a calendar date. Messages quote the value as given.
 */

export const STATE_NAMES: Record<UsState, string> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado', CT: 'Connecticut',
  DE: 'Delaware', DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois',
  IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine', MD: 'Maryland',
  MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota', MS: 'Mississippi', MO: 'Missouri', MT: 'Montana',
  NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico', NY: 'New York',
  NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon', PA: 'Pennsylvania',
  RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas', UT: 'Utah',
  VT: 'Vermont', VA: 'Virginia', WA: 'Washington', WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming',
};

/**
 * Territories have NIPR licences too, but no application can be signed in one (stateOfSigning
 * takes the 50 states and DC), so a licence there could never release a case.
 */
const TERRITORIES: Record<string, string> = {
  PR: 'Puerto Rico', GU: 'Guam', VI: 'the US Virgin Islands', AS: 'American Samoa', MP: 'the Northern Mariana Islands',
};

const squeeze = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

function stateProblem(given: string): string {
  const code = given.trim().toUpperCase();
  const territory = TERRITORIES[code];
  if (territory) return `"${given}" is ${territory}, a US territory; licences are recorded for the 50 states and DC only`;
  const named = (Object.entries(STATE_NAMES) as [UsState, string][]).find(([, name]) => name.toLowerCase() === squeeze(given));
  if (named) return `"${given}" is a state name; give its two-letter code, ${named[0]}`;
  return `"${given}" is not a US state code; give the state's two-letter postal code, such as GA`;
}

/** A licence state: a US_STATES code in any letter case (`ga` is GA), returned in capitals. */
export const licenseState = z.string().transform((given, ctx): UsState => {
  const code = given.trim().toUpperCase();
  if ((US_STATES as readonly string[]).includes(code)) return code as UsState;
  ctx.addIssue({ code: 'custom', message: stateProblem(given) });
  return z.NEVER;
});

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A date as YYYY-MM-DD that is on the calendar (isoDate's rule), telling a wrong form apart
 * from a day that does not exist (`2026-02-30`).
 */
export const calendarDate = z.string().superRefine((given, ctx) => {
  if (isoDate.safeParse(given).success) return;
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(given);
  if (!parts) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(given)} is not a date in the form YYYY-MM-DD` });
    return;
  }
  const [year, month] = [Number(parts[1]), Number(parts[2])];
  // Day 0 of the next month is the last of this one; setUTCFullYear keeps years below 100 as given.
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, month, 0);
  const why = month < 1 || month > 12 ? `there is no month ${month}` : `${MONTHS[month - 1]} ${year} has ${lastDay.getUTCDate()} days`;
  ctx.addIssue({ code: 'custom', message: `"${given}" is not a real date: ${why}` });
});
