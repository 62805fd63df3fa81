import os from 'node:os';
import { addCalendarDays } from '../../domain/business-days';
import { acrossToday, utcDay, yearsAhead } from '../helpers/calendar';
import { runBga } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { TEST_KEY_RING } from '../helpers/keys';

/*
 * `bga broker …` refuses bad contracting input, naming the option and the problem, and writes
 * nothing: no broker, licence or appointment, not even part of one. The real binary runs against
 * this file's own PostgreSQL database. Temporal is pointed at a closed port: input is checked
 * before anything is looked up or sent, so a refusal never needs it.
 */

let database: TestDatabase;
const ON_FILE = '17654321';
const NOT_ON_FILE = '55501234';

beforeAll(async () => {
  database = await createTestDatabase();
  const broker = await database.db.broker.create({ data: { npn: ON_FILE, name: 'Daniel Reyes', email: 'daniel.reyes@reyesfinancial.example' } });
  await database.db.brokerLicense.create({ data: { brokerId: broker.id, state: 'GA', licenseNumber: 'GA-88123', expiresOn: new Date(`${yearsAhead(2)}-06-30T00:00:00Z`) } });
  await database.db.brokerAppointment.create({ data: { brokerId: broker.id, carrierCode: 'SUMMIT', appointedOn: new Date('2026-01-05T00:00:00Z'), recordedBy: 'seed' } });
});
afterAll(async () => {
  await database?.drop();
});

const env = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  TMPDIR: os.tmpdir(),
  DATABASE_URL: database.url,
  TEMPORAL_ADDRESS: '127.0.0.1:1',
  BGA_ENCRYPTION_KEYS: JSON.stringify(Object.fromEntries([...TEST_KEY_RING.keys].map(([id, key]) => [id, key.toString('base64')]))),
  BGA_ENCRYPTION_KEY_ID: TEST_KEY_RING.currentKeyId,
  BGA_ACTOR: 'contracting:test',
});
const bga = (args: string[], overrides: NodeJS.ProcessEnv = {}) => runBga(args, { ...env(), ...overrides });

/** Every contracting row there is, with every column. */
const contractingRows = () =>
  database.db.broker.findMany({
    orderBy: { npn: 'asc' },
    include: { licenses: { orderBy: { state: 'asc' } }, appointments: { orderBy: { carrierCode: 'asc' } } },
  });

/** Runs each refusal and checks its exit code and stderr, and that the database did not change. */
async function expectRefusals(cases: [string[], number, string][]): Promise<void> {
  for (const [args, code, stderr] of cases) {
    const before = await contractingRows();
    const run = await bga(args);
    expect({ args, ...run }).toEqual({ args, code, stdout: '', stderr });
    expect({ args, rows: await contractingRows() }).toEqual({ args, rows: before });
  }
}

const LICENSE = ['broker', 'license', ON_FILE, '--number', 'GA-99001'];
const expires = `${yearsAhead(3)}-03-31`;

test('an NPN that is not 4-10 digits is refused (exit 2); one not on file is not found (exit 4)', async () => {
  await expectRefusals([
    [['broker', 'show', '12AB'], 2, 'bga: <npn>: "12AB" must be a National Producer Number of 4-10 digits\n'],
    [['broker', 'license', '123', '--state', 'GA', '--number', 'GA-1', '--expires', expires], 2, 'bga: <npn>: "123" must be a National Producer Number of 4-10 digits\n'],
    [['broker', 'add', '12345678901', '--name', 'Lee Newcomer', '--email', 'lee@newcomer.example'], 2, 'bga: <npn>: "12345678901" must be a National Producer Number of 4-10 digits\n'],
    [['broker', 'show', NOT_ON_FILE], 4, `bga: No broker with NPN ${NOT_ON_FILE}. Add one with \`bga broker add ${NOT_ON_FILE} --name "..." --email ...\`.\n`],
    [
      ['broker', 'appoint', NOT_ON_FILE, '--carrier', 'SUMMIT', '--on', '2026-01-05'],
      4,
      `bga: No broker with NPN ${NOT_ON_FILE} is on file. Add them in the same command:\n` +
        `  bga broker appoint ${NOT_ON_FILE} --carrier SUMMIT --on 2026-01-05 --name "…" --email …\n` +
        `  or first with \`bga broker add ${NOT_ON_FILE} --name "…" --email …\`.\n`,
    ],
  ]);
});

test('a licence state must be a state code: a name, a territory or an unknown code is refused, saying what to give', async () => {
  await expectRefusals([
    [[...LICENSE, '--state', 'ZZ', '--expires', expires], 2, `bga: --state: "ZZ" is not a US state code; give the state's two-letter postal code, such as GA\n`],
    [[...LICENSE, '--state', 'Georgia', '--expires', expires], 2, 'bga: --state: "Georgia" is a state name; give its two-letter code, GA\n'],
    [[...LICENSE, '--state', 'PR', '--expires', expires], 2, 'bga: --state: "PR" is Puerto Rico, a US territory; licences are recorded for the 50 states and DC only\n'],
  ]);
});

test('a licence expiry must be a real date, and not past for an active licence; every bad option is listed at once', async () => {
  const { result: past, days } = await acrossToday(async () => {
    const yesterday = addCalendarDays(utcDay(), -1);
    return { yesterday, run: await bga([...LICENSE, '--state', 'GA', '--expires', yesterday]) };
  });
  expect(past.run.code).toBe(2);
  expect(days.map((today) => `bga: --expires: ${past.yesterday} is in the past (today is ${today}, UTC): an expired licence cannot be recorded as active. Check the date, or add --inactive to record a lapsed licence\n`)).toContain(past.run.stderr);

  await expectRefusals([
    [[...LICENSE, '--state', 'GA', '--expires', '2026-02-30'], 2, 'bga: --expires: "2026-02-30" is not a real date: February 2026 has 28 days\n'],
    [[...LICENSE, '--state', 'GA', '--expires', '2028-13-01'], 2, 'bga: --expires: "2028-13-01" is not a real date: there is no month 13\n'],
    [
      [...LICENSE, '--state', 'ZZ', '--expires', '30/06/2028'],
      2,
      `bga: --state: "ZZ" is not a US state code; give the state's two-letter postal code, such as GA\n  --expires: "30/06/2028" is not a date in the form YYYY-MM-DD\n`,
    ],
  ]);
});

test('a broker not on file is not added when their licence or appointment is refused, nor with a bad --email', async () => {
  const newcomer = ['--name', 'Lee Newcomer', '--email', 'lee@newcomer.example'];
  await expectRefusals([
    [['broker', 'license', NOT_ON_FILE, '--state', 'GA', '--number', 'GA-5550', '--expires', '2020-03-31', ...newcomer], 2, `bga: --expires: 2020-03-31 is in the past (today is ${utcDay()}, UTC): an expired licence cannot be recorded as active. Check the date, or add --inactive to record a lapsed licence\n`],
    [['broker', 'appoint', NOT_ON_FILE, '--carrier', 'ACME', ...newcomer], 2, 'bga: --carrier: "ACME" is not a carrier in config/rules.json; the carriers there are SUMMIT (Summit Mutual Life) and HARBOR (Harbor Life)\n'],
    [['broker', 'license', NOT_ON_FILE, '--state', 'GA', '--number', 'GA-5550', '--expires', expires, '--name', 'Lee Newcomer', '--email', 'lee@'], 2, 'bga: --email: "lee@" must be an email address\n'],
  ]);
  expect(await database.db.broker.count({ where: { npn: NOT_ON_FILE } })).toBe(0);
});

test('an appointment must be with a carrier in the rules, dated on a real day no later than today', async () => {
  const APPOINT = ['broker', 'appoint', ON_FILE];
  const { result: future, days } = await acrossToday(async () => {
    const tomorrow = addCalendarDays(utcDay(), 1);
    const before = await contractingRows();
    const run = await bga([...APPOINT, '--carrier', 'HARBOR', '--on', tomorrow]);
    return { tomorrow, run, unchanged: JSON.stringify(await contractingRows()) === JSON.stringify(before) };
  });
  expect(future.run.code).toBe(2);
  expect(future.unchanged).toBe(true);
  expect(
    days.map((today) => `bga: --on: ${future.tomorrow} is after today (${today}, UTC): record an appointment once the carrier has made it; on file, it releases the broker's held cases at once\n`),
  ).toContain(future.run.stderr);

  await expectRefusals([
    [[...APPOINT, '--carrier', 'acme'], 2, 'bga: --carrier: "acme" is not a carrier in config/rules.json; the carriers there are SUMMIT (Summit Mutual Life) and HARBOR (Harbor Life)\n'],
    [[...APPOINT, '--carrier', 'Summit Mutual Life'], 2, 'bga: --carrier: "Summit Mutual Life" is not a carrier in config/rules.json; the carriers there are SUMMIT (Summit Mutual Life) and HARBOR (Harbor Life)\n'],
    [[...APPOINT, '--carrier', 'HARBOR', '--on', '2026-02-29'], 2, 'bga: --on: "2026-02-29" is not a real date: February 2026 has 28 days\n'],
  ]);
});

test('input is checked before PostgreSQL is reached: a refusal is the same with the database down', async () => {
  const down = { DATABASE_URL: 'postgresql://bga@127.0.0.1:1/bga' };
  const cases: [string[], string][] = [
    [['broker', 'show', '12AB'], 'bga: <npn>: "12AB" must be a National Producer Number of 4-10 digits\n'],
    [[...LICENSE, '--state', 'Georgia', '--expires', expires], 'bga: --state: "Georgia" is a state name; give its two-letter code, GA\n'],
    [['broker', 'appoint', ON_FILE, '--carrier', 'ACME'], 'bga: --carrier: "ACME" is not a carrier in config/rules.json; the carriers there are SUMMIT (Summit Mutual Life) and HARBOR (Harbor Life)\n'],
  ];
  for (const [args, stderr] of cases) expect({ args, ...(await bga(args, down)) }).toEqual({ args, code: 2, stdout: '', stderr });
});

test('what is accepted: a state code in any letter case, and a lapsed licence recorded as --inactive', async () => {
  const yesterday = addCalendarDays(utcDay(), -1);
  const run = await bga(['broker', 'license', ON_FILE, '--state', 'ga', '--number', 'GA-88123', '--expires', yesterday, '--inactive']);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`GA license GA-88123 recorded for ${ON_FILE}.`);
  expect(run.stdout).toMatch(new RegExp(`GA +│ GA-88123 +│ ${yesterday} +│ inactive`));
  const [license] = (await contractingRows()).find((b) => b.npn === ON_FILE)!.licenses;
  expect(license).toMatchObject({ state: 'GA', active: false, expiresOn: new Date(`${yesterday}T00:00:00Z`) });
});
