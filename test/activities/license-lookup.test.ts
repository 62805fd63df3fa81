import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { niprLicenseLookup, NiprResponseError, parseEntityInfoReport, type LicenseLookup, type NiprPdbSettings } from '../../activities/license-lookup';
import { recordActivities } from '../../activities/records';
import { ConfigError, loadConfig } from '../../platform/config';
import type { Mailer } from '../../platform/mailer';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { TEST_KEY_RING } from '../helpers/keys';

/*
 * The licence lookups behind checkLicensing: the recorded licences (PostgreSQL) and NIPR's PDB
 * entity info report, read from hand-written sample answers in test/fixtures/nipr/ through a
 * fake fetch. No network.
 */

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'nipr', name), 'utf8');

const PIN = 'S3cret-PIN-9';
const SETTINGS: NiprPdbSettings = { url: 'https://pdb.nipr.example/pdb-xml-reports/entityinfo_xml.cgi', customerNumber: 'BGA4412', pin: PIN };

/** A fetch that records each request and answers with `answer(url)`. */
function fakeFetch(answer: (url: URL, init?: RequestInit) => Response | Promise<Response>) {
  const calls: URL[] = [];
  const fn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    calls.push(url);
    return answer(url, init);
  }) as typeof fetch;
  return { fetch: fn, calls };
}

const xml = (body: string, status = 200) => () => new Response(body, { status, headers: { 'content-type': 'text/xml' } });
const nipr = (answer: Parameters<typeof fakeFetch>[0], settings: NiprPdbSettings = SETTINGS) => {
  const f = fakeFetch(answer);
  return { lookup: niprLicenseLookup(settings, f.fetch), calls: f.calls };
};

/** What a lookup throws, for asserting on its class and fields. */
async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the lookup to fail');
}

describe('NIPR PDB entity info report parser', () => {
  test('an active licence: number kept as text, MM/DD/YYYY expiry as YYYY-MM-DD, lines of authority', () => {
    expect(parseEntityInfoReport(fixture('active.xml'))).toEqual({
      found: true,
      licenses: [
        {
          state: 'GA',
          licenseNumber: '0881234',
          active: true,
          expiresOn: '2031-06-30',
          source: 'nipr',
          linesOfAuthority: [
            { name: 'Life', status: 'Active' },
            { name: 'Accident & Health or Sickness', status: 'Active' },
          ],
        },
      ],
    });
  });

  test('several states, and two licences in one state, each read on its own', () => {
    const report = parseEntityInfoReport(fixture('several-states.xml'));
    if (!report.found) throw new Error('expected a producer');
    expect(report.licenses.map((l) => [l.state, l.licenseNumber, l.active, l.expiresOn])).toEqual([
      ['GA', 'GA-552190', true, '2030-03-31'],
      ['FL', 'W778812', true, '2029-11-30'],
      ['NC', 'NC-1001', false, '2019-12-31'],
      ['NC', 'NC-2002', true, '2028-12-31'],
      ['SC', 'SC-33018', false, '2030-08-31'],
    ]);
  });

  test('an expired licence still flagged active keeps its expiry date', () => {
    expect(parseEntityInfoReport(fixture('expired.xml'))).toMatchObject({ found: true, licenses: [{ licenseNumber: '0771001', active: true, expiresOn: '2020-03-31' }] });
  });

  test('an inactive licence is read as not active, whatever its expiry', () => {
    expect(parseEntityInfoReport(fixture('inactive.xml'))).toMatchObject({ found: true, licenses: [{ licenseNumber: '0990077', active: false, expiresOn: '2030-12-31' }] });
  });

  test('the NPN-not-found answer is not an error', () => {
    expect(parseEntityInfoReport(fixture('npn-not-found.xml'))).toEqual({ found: false, message: 'No record found for the NPN requested' });
  });

  test.each([
    ['a licence without an expiry date', fixture('malformed-no-expiry.xml'), /no \/PDB\/PRODUCER\/INDIVIDUAL\/PRODUCER_LICENSING\/LICENSE_INFORMATION\/STATE\[1\]\/LICENSE\[1\]\/DATE_EXPIRE_LICENSE element/],
    ['a cut-off answer', fixture('truncated.xml'), /not well-formed XML/],
    ['an HTML page', '<html><body><h1>Service Unavailable</h1></body></html>', /no PDB root element \(found html\)/],
    ['a PDB with neither producer nor error', '<PDB><TRANSACTION_TYPE><TYPE>INDIVIDUAL</TYPE></TRANSACTION_TYPE></PDB>', /neither a PDB\/PRODUCER element nor an ERROR element/],
    ['an error that is not "not found"', '<PDB><ERROR><DESCRIPTION>Invalid customer number or PIN</DESCRIPTION></ERROR></PDB>', /answered with an error: Invalid customer number or PIN/],
    ['a firm', '<PDB><PRODUCER><FIRM><PRODUCER_LICENSING/></FIRM></PRODUCER></PDB>', /the NPN is a business entity/],
    ['no licensing section', '<PDB><PRODUCER><INDIVIDUAL><ENTITY_BIOGRAPHIC/></INDIVIDUAL></PRODUCER></PDB>', /no \/PDB\/PRODUCER\/INDIVIDUAL\/PRODUCER_LICENSING element/],
    ['a date the other way round', fixture('active.xml').replace('06/30/2031', '2031/06/30'), /DATE_EXPIRE_LICENSE = "2031\/06\/30", expected a date as MM\/DD\/YYYY/],
    ['a date that does not exist', fixture('active.xml').replace('06/30/2031', '02/30/2031'), /DATE_EXPIRE_LICENSE = "02\/30\/2031", which is not a real date/],
    ['an ACTIVE that is neither Yes nor No', fixture('active.xml').replace('<ACTIVE>Yes</ACTIVE>', '<ACTIVE>Pending</ACTIVE>'), /ACTIVE = "Pending", expected Yes or No/],
    ['an empty licence number', fixture('active.xml').replace('<LICENSE_NUM>0881234</LICENSE_NUM>', '<LICENSE_NUM/>'), /an empty .*LICENSE\[1\]\/LICENSE_NUM element/],
    ['a state by name', fixture('active.xml').replace('name="GA"', 'name="Georgia"'), /name="Georgia", expected a two-letter state code/],
    ['a state without a name', fixture('active.xml').replace(' name="GA"', ''), /no name attribute on .*STATE\[1\]/],
  ])('refuses %s, naming what is wrong', (_what, body, message) => {
    expect(() => parseEntityInfoReport(body)).toThrow(NiprResponseError);
    expect(() => parseEntityInfoReport(body)).toThrow(message);
  });
});

describe('NIPR adapter', () => {
  test('asks the configured report for one individual by NPN, with the customer number and PIN', async () => {
    const { lookup, calls } = nipr(xml(fixture('active.xml')));
    await expect(lookup.lookup('17000001', 'GA')).resolves.toMatchObject({ state: 'GA', licenseNumber: '0881234', active: true, expiresOn: '2031-06-30', source: 'nipr' });
    expect(calls).toHaveLength(1);
    expect(`${calls[0]!.origin}${calls[0]!.pathname}`).toBe(SETTINGS.url);
    expect(Object.fromEntries(calls[0]!.searchParams)).toEqual({ customer_number: 'BGA4412', pin_number: PIN, report_type: '1', id_entity: '17000001' });
  });

  test('picks the licence of the asked state; a state without one is undefined; of two, the active one', async () => {
    const { lookup } = nipr(xml(fixture('several-states.xml')));
    await expect(lookup.lookup('17000002', 'FL')).resolves.toMatchObject({ state: 'FL', licenseNumber: 'W778812' });
    await expect(lookup.lookup('17000002', 'NC')).resolves.toMatchObject({ licenseNumber: 'NC-2002', active: true });
    await expect(lookup.lookup('17000002', 'SC')).resolves.toMatchObject({ licenseNumber: 'SC-33018', active: false });
    await expect(lookup.lookup('17000002', 'TX')).resolves.toBeUndefined();
  });

  test('an NPN NIPR does not know is undefined', async () => {
    await expect(nipr(xml(fixture('npn-not-found.xml'))).lookup.lookup('99999999', 'GA')).resolves.toBeUndefined();
  });

  test.each([500, 502, 503])('HTTP %i is a retryable error naming the status and the NPN', async (status) => {
    const err = await failure(nipr(xml('<html>Internal Server Error</html>', status)).lookup.lookup('17000001', 'GA'));
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect(err.message).toMatch(new RegExp(`answered HTTP ${status} looking up NPN 17000001`));
    expect(err.message).not.toContain(PIN);
  });

  test.each([401, 403])('HTTP %i is a retried failure naming the variables to fix', async (status) => {
    const err = await failure(nipr(xml('Unauthorized', status)).lookup.lookup('17000001', 'GA'));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ nonRetryable: false, type: 'NiprCredentialsRefused' });
    expect(err.message).toContain(`NIPR PDB refused the credentials (HTTP ${status}`);
    expect(err.message).toMatch(/NIPR_CUSTOMER_NUMBER and NIPR_PIN/);
    expect(err.message).not.toContain(PIN);
  });

  test('no answer in time is a retryable error', async () => {
    const hang = (_url: URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    const err = await failure(nipr(hang, { ...SETTINGS, timeoutMs: 50 }).lookup.lookup('17000001', 'GA'));
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect(err.message).toBe('NIPR PDB (https://pdb.nipr.example/pdb-xml-reports/entityinfo_xml.cgi) did not answer within 0.05 s looking up NPN 17000001');
  });

  test('an unreachable server is a retryable error', async () => {
    const err = await failure(nipr(() => Promise.reject(new TypeError('fetch failed'))).lookup.lookup('17000001', 'GA'));
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect(err.message).toMatch(/could not be reached looking up NPN 17000001: fetch failed/);
  });

  test('an unexpected 200 answer is a NiprResponseError, not a licence', async () => {
    const err = await failure(nipr(xml(fixture('malformed-no-expiry.xml'))).lookup.lookup('17000001', 'GA'));
    expect(err).toBeInstanceOf(NiprResponseError);
    expect(err.message).toMatch(/DATE_EXPIRE_LICENSE/);
  });
});

describe('checkLicensing', () => {
  let database: TestDatabase;
  const NPN = '17000001';
  const ON = '2026-05-01';
  beforeAll(async () => {
    database = await createTestDatabase();
    const broker = await database.db.broker.create({ data: { npn: NPN, name: 'Robert Broker', email: 'robert.broker@example.com' } });
    await database.db.brokerLicense.createMany({
      data: [
        { brokerId: broker.id, state: 'GA', licenseNumber: 'GA-88123', expiresOn: new Date('2030-06-30T00:00:00Z') },
        { brokerId: broker.id, state: 'SC', licenseNumber: 'SC-4410', expiresOn: new Date('2020-03-31T00:00:00Z') },
        { brokerId: broker.id, state: 'NC', licenseNumber: 'NC-7781', active: false, expiresOn: new Date('2030-12-31T00:00:00Z') },
        { brokerId: broker.id, state: 'VA', licenseNumber: 'VA-1', expiresOn: new Date(`${ON}T00:00:00Z`) },
      ],
    });
    await database.db.brokerAppointment.create({ data: { brokerId: broker.id, carrierCode: 'SUMMIT', appointedOn: new Date('2024-01-02T00:00:00Z'), recordedBy: 'test' } });
  });
  afterAll(async () => {
    await database?.drop();
  });

  const check = (input: { npn?: string; state: string; carrierCode?: string }, licenseLookup?: LicenseLookup) =>
    recordActivities({ db: database.db, mailer: {} as Mailer, mailFrom: 'test@bga.example', fetch, ...(licenseLookup ? { licenseLookup } : {}) }).checkLicensing({
      npn: input.npn ?? NPN,
      state: input.state,
      carrierCode: input.carrierCode ?? 'SUMMIT',
      onDate: ON,
    });

  describe('with the recorded licences (the default)', () => {
    test.each([
      ['licensed and appointed', { state: 'GA' }, { ok: true, licensed: true, appointed: true, problems: [] }],
      ['licensed through the day it expires', { state: 'VA' }, { ok: true, licensed: true, appointed: true, problems: [] }],
      ['no licence in the state', { state: 'FL' }, { ok: false, licensed: false, appointed: true, problems: [`No FL license on file for NPN ${NPN}`] }],
      ['an expired licence', { state: 'SC' }, { ok: false, licensed: false, appointed: true, problems: [`SC license SC-4410 is not active on ${ON}`] }],
      ['an inactive licence', { state: 'NC' }, { ok: false, licensed: false, appointed: true, problems: [`NC license NC-7781 is not active on ${ON}`] }],
      ['not appointed', { state: 'GA', carrierCode: 'HARBOR' }, { ok: false, licensed: true, appointed: false, problems: ['No active appointment with HARBOR'] }],
      ['neither', { state: 'FL', carrierCode: 'HARBOR' }, { ok: false, licensed: false, appointed: false, problems: [`No FL license on file for NPN ${NPN}`, 'No active appointment with HARBOR'] }],
      ['no broker', { npn: '17000099', state: 'GA' }, { ok: false, licensed: false, appointed: false, problems: ['No broker record for NPN 17000099'] }],
    ])('%s', async (_what, input, expected) => {
      await expect(check(input)).resolves.toEqual(expected);
    });
  });

  describe("with NIPR's PDB", () => {
    test.each([
      ['an active licence', 'active.xml', { ok: true, licensed: true, appointed: true, problems: [] }],
      ['an expired licence still flagged active', 'expired.xml', { ok: false, licensed: false, appointed: true, problems: [`GA license 0771001 is not active on ${ON}`] }],
      ['an inactive licence', 'inactive.xml', { ok: false, licensed: false, appointed: true, problems: [`GA license 0990077 is not active on ${ON}`] }],
      ['an NPN NIPR does not know', 'npn-not-found.xml', { ok: false, licensed: false, appointed: true, problems: [`No GA license on file for NPN ${NPN}`] }],
    ])('%s', async (_what, file, expected) => {
      const { lookup, calls } = nipr(xml(fixture(file)));
      await expect(check({ state: 'GA' }, lookup)).resolves.toEqual(expected);
      expect(calls.map((u) => u.searchParams.get('id_entity'))).toEqual([NPN]);
    });

    test('the licence comes from NIPR, the appointment still from PostgreSQL', async () => {
      // PostgreSQL has no FL licence and no HARBOR appointment; NIPR has the FL licence.
      const { lookup } = nipr(xml(fixture('several-states.xml')));
      await expect(check({ state: 'FL', carrierCode: 'HARBOR' }, lookup)).resolves.toEqual({ ok: false, licensed: true, appointed: false, problems: ['No active appointment with HARBOR'] });
    });

    test('a broker not on record is answered without asking NIPR', async () => {
      const { lookup, calls } = nipr(xml(fixture('active.xml')));
      await expect(check({ npn: '17000099', state: 'GA' }, lookup)).resolves.toMatchObject({ ok: false, problems: ['No broker record for NPN 17000099'] });
      expect(calls).toHaveLength(0);
    });

    test('refused credentials fail the check for good', async () => {
      await expect(check({ state: 'GA' }, nipr(xml('', 401)).lookup)).rejects.toMatchObject({ nonRetryable: false, type: 'NiprCredentialsRefused' });
    });
  });
});

describe('configuration', () => {
  const base = {
    BGA_ENCRYPTION_KEYS: JSON.stringify(Object.fromEntries([...TEST_KEY_RING.keys].map(([id, key]) => [id, key.toString('base64')]))),
    BGA_ENCRYPTION_KEY_ID: TEST_KEY_RING.currentKeyId,
  };
  const niprEnv = { BGA_LICENSE_LOOKUP: 'nipr', NIPR_PDB_URL: SETTINGS.url, NIPR_CUSTOMER_NUMBER: 'BGA4412', NIPR_PIN: PIN };
  const configError = (env: Record<string, string | undefined>): string => {
    try {
      loadConfig({ ...base, ...env });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  test('the recorded licences by default, and NIPR needs nothing then', () => {
    expect(loadConfig(base).licenseLookup).toEqual({ kind: 'records' });
    expect(loadConfig({ ...base, BGA_LICENSE_LOOKUP: 'records' }).licenseLookup).toEqual({ kind: 'records' });
  });

  test('nipr with its three variables', () => {
    expect(loadConfig({ ...base, ...niprEnv }).licenseLookup).toEqual({ kind: 'nipr', url: SETTINGS.url, customerNumber: 'BGA4412', pin: PIN });
  });

  test('nipr names each missing variable', () => {
    const message = configError({ BGA_LICENSE_LOOKUP: 'nipr' });
    for (const name of ['NIPR_PDB_URL', 'NIPR_CUSTOMER_NUMBER', 'NIPR_PIN']) expect(message).toContain(`${name}: is required when BGA_LICENSE_LOOKUP=nipr`);
    const onlyPin = configError({ ...niprEnv, NIPR_PIN: undefined });
    expect(onlyPin).toContain('NIPR_PIN: is required when BGA_LICENSE_LOOKUP=nipr');
    expect(onlyPin).not.toContain('NIPR_PDB_URL:');
    expect(onlyPin).not.toContain('NIPR_CUSTOMER_NUMBER:');
  });

  test('an unknown lookup and a plain-http NIPR URL are refused by name', () => {
    expect(configError({ BGA_LICENSE_LOOKUP: 'pdb' })).toContain('BGA_LICENSE_LOOKUP:');
    expect(configError({ ...niprEnv, NIPR_PDB_URL: 'http://pdb-services.nipr.com/pdb-xml-reports/entityinfo_xml.cgi' })).toMatch(/NIPR_PDB_URL: must be an https:\/\/ URL/);
    expect(loadConfig({ ...base, ...niprEnv, NIPR_PDB_URL: 'http://127.0.0.1:8099/entityinfo_xml.cgi' }).licenseLookup).toMatchObject({ kind: 'nipr' });
  });
});
