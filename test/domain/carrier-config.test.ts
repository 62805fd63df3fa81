import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadRulesConfig, rulesConfigPath } from '../../activities/rules-config';
import { isBusinessDay } from '../../domain/business-days';
import { gridCell, type RulesConfig } from '../../domain/carrier-config';

const SHIPPED = path.resolve(__dirname, '../../config/rules.json');
const shippedJson = (): any => JSON.parse(fs.readFileSync(SHIPPED, 'utf8'));

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bga-rules-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, data: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
  return file;
}

async function loadError(name: string, edit: (json: any) => void): Promise<string> {
  const json = shippedJson();
  edit(json);
  const file = writeConfig(name, json);
  const error = await loadRulesConfig(file).then(
    () => undefined,
    (e: Error) => e,
  );
  if (!error) throw new Error('expected the configuration to be refused');
  expect(error.message).toContain(file);
  return error.message;
}

describe('shipped config/rules.json', () => {
  let config: RulesConfig;
  beforeAll(async () => {
    config = await loadRulesConfig(SHIPPED);
  });

  test('has SUMMIT and HARBOR with different policies and the four vendors', () => {
    expect(config.carriers.map((c) => c.code)).toEqual(['SUMMIT', 'HARBOR']);
    const [summit, harbor] = config.carriers;
    expect(summit?.submissionPolicy).toBe('IN_GOOD_ORDER');
    expect(summit?.followUp.closeInactiveAfterDays).toBe(45);
    expect(summit?.followUp.applicationValidDays).toBe(180);
    expect(summit?.products.map((p) => p.type)).toEqual(['WL', 'UL']);
    expect(harbor?.submissionPolicy).toBe('WITH_REQUIREMENTS_TO_FOLLOW');
    expect(harbor?.followUp.closeInactiveAfterDays).toBe(30);
    expect(harbor?.followUp.closeIncompleteAfterBusinessDays).toBe(10);
    expect(harbor?.products.map((p) => p.type)).toEqual(['TERM', 'IUL']);
    expect(config.vendors.map((v) => [v.code, v.kind, v.channel.type])).toEqual([
      ['EXAMONE', 'EXAM', 'email'],
      ['APPS', 'EXAM', 'email'],
      ['APSNOW', 'APS', 'email'],
      ['INSPECTCO', 'INSPECTION', 'email'],
    ]);
  });

  test('gives each carrier contracting rules', () => {
    const [summit, harbor] = config.carriers;
    expect(summit?.contracting.packet.map((p) => p.item)).toEqual(['CARRIER_CONTRACT', 'W9', 'EO_CERTIFICATE', 'AML_TRAINING', 'RESIDENT_LICENSE', 'NONRESIDENT_LICENSE']);
    expect(summit?.contracting).toMatchObject({ eoMinimumLimit: 1_000_000, amlTrainingValidMonths: 24, appointmentChannel: { type: 'email' } });
    expect(harbor?.contracting).toMatchObject({ eoMinimumLimit: 500_000, amlTrainingValidMonths: 12 });
  });

  test('resolves HARBOR letter keys into requirement lists', () => {
    const term = config.carriers[1]?.products[0];
    expect(term && gridCell(term.grid, 30, 200_000)).toEqual([]);
    expect(term && gridCell(term.grid, 62, 200_000)).toEqual(['PARAMED', 'BLOOD', 'URINE']);
    expect(term && gridCell(term.grid, 70, 500_000)).toEqual(['PARAMED', 'BLOOD', 'URINE', 'EKGREST']);
    expect(term && gridCell(term.grid, 70, 5_000_000)).toBe('NA');
    expect(term && gridCell(term.grid, 30, 50_000)).toBeUndefined();
  });

  test('holidays are the observed US federal holidays of 2026 and 2027, all on weekdays', () => {
    const dates = config.settings.holidays.map((h) => h.date);
    expect(dates.filter((d) => d.startsWith('2026'))).toHaveLength(11);
    expect(dates).toEqual(expect.arrayContaining(['2026-07-03', '2026-11-26', '2027-06-18', '2027-07-05', '2027-12-24', '2027-12-31']));
    expect(dates.filter((d) => !isBusinessDay(d, []))).toEqual([]);
  });

  test('uses only reserved example domains and says it is sample data', () => {
    const text = fs.readFileSync(SHIPPED, 'utf8');
    const hosts = [...text.matchAll(/(?:@|https:\/\/)([a-z0-9.-]+)/g)].map((m) => m[1] ?? '');
    expect(hosts.length).toBeGreaterThan(5);
    expect(hosts.filter((h) => !/(\.example|example\.com)$/.test(h))).toEqual([]);
    expect(config.notes?.join(' ')).toMatch(/sample data.*checked by operations/i);
  });
});

describe('loading and validating a rules file', () => {
  test('lists every problem with its JSON path', async () => {
    const message = await loadError('bad.json', (json) => {
      json.carriers[0].followUp.closeInactiveAfterDays = 0;
      json.vendors[0].channel = { type: 'https', url: 'http://insecure.example/orders' };
      json.settings.holidays[0].date = '2026-13-01';
    });
    expect(message).toContain('carriers[0].followUp.closeInactiveAfterDays: must be at least 1');
    expect(message).toContain('vendors[0].channel.url: must be an https:// URL');
    expect(message).toContain('settings.holidays[0].date: must be a date as YYYY-MM-DD');
    expect(message).toContain('(3 problems)');
  });

  test('refuses misspelt keys instead of ignoring them', async () => {
    const message = await loadError('typo.json', (json) => {
      json.carriers[1].products[0].maxIsueAge = 70;
    });
    expect(message).toMatch(/carriers\[1\]\.products\[0\]: Unrecognized key.*maxIsueAge/);
  });

  test('checks grid rows and age bands are ascending and do not overlap', async () => {
    const message = await loadError('grid.json', (json) => {
      const grid = json.carriers[0].products[0].grid;
      grid.rows[2].minFace = 450_000;
      grid.ageBands[3].minAge = 40;
      grid.rows[0].cells.pop();
    });
    expect(message).toContain('carriers[0].products[0].grid.rows[2]: face-amount row starting at 450000 overlaps');
    expect(message).toContain('carriers[0].products[0].grid.ageBands[3]: age band starting at 40 overlaps');
    expect(message).toContain('carriers[0].products[0].grid.rows[0].cells: has 5 cells but the grid has 6 age bands');
  });

  test('checks letter keys against the legend', async () => {
    const message = await loadError('legend.json', (json) => {
      json.carriers[1].products[1].grid.rows[0].cells[2] = 'D';
    });
    expect(message).toContain('carriers[1].products[1].grid.rows[0].cells[2]: "D" is neither NA nor a key of the grid\'s legend');
  });

  test('checks vendor references, kinds and unique codes', async () => {
    const message = await loadError('vendors.json', (json) => {
      json.carriers[0].vendors.exam = 'NOPE';
      json.carriers[1].vendors.aps = 'EXAMONE';
      json.carriers[1].code = 'SUMMIT';
    });
    expect(message).toContain('carriers[0].vendors.exam: vendor "NOPE" is not in vendors');
    expect(message).toContain('carriers[1].vendors.aps: vendor EXAMONE is an EXAM vendor, not APS');
    expect(message).toContain('carriers[1].code: carrier code SUMMIT is listed twice');
  });

  test('refuses a form that is both a package form and a carrier requirement', async () => {
    const message = await loadError('double.json', (json) => {
      json.carriers[0].carrierRequirements = ['HIPAA'];
      json.carriers[0].products[1].plans.push('Summit Whole Life 100');
    });
    expect(message).toContain('carriers[0].carrierRequirements[0]: HIPAA is already required in the package by forms');
    expect(message).toContain('carriers[0].products[1].plans[2]: plan Summit Whole Life 100 is listed twice');
  });

  test('checks each carrier\'s contracting rules: whole-dollar E&O limits, a packet without repeats that asks for both licences', async () => {
    const message = await loadError('contracting.json', (json) => {
      const summit = json.carriers[0].contracting;
      summit.packet = summit.packet.filter((p: { item: string }) => p.item !== 'NONRESIDENT_LICENSE');
      summit.packet.push({ item: 'W9', description: 'W-9 again' });
      json.carriers[1].contracting.eoMinimumLimit = 999_999.5;
      json.carriers[1].contracting.followUp.carrierFollowUpBusinessDays = 0;
    });
    expect(message).toContain('carriers[0].contracting.packet[5].item: packet item W9 is listed twice');
    expect(message).toContain("carriers[0].contracting.packet: must ask for NONRESIDENT_LICENSE: the broker's licence in each state is chased through it");
    expect(message).toContain('carriers[1].contracting.eoMinimumLimit: must be whole dollars');
    expect(message).toContain('carriers[1].contracting.followUp.carrierFollowUpBusinessDays: must be at least 1');
    expect(message).toContain('(4 problems)');
  });

  test('an E&O minimum must be a positive amount', async () => {
    const message = await loadError('eo.json', (json) => {
      json.carriers[0].contracting.eoMinimumLimit = 0;
    });
    expect(message).toContain('carriers[0].contracting.eoMinimumLimit: must be at least 1 dollar');
  });

  test('every carrier must give its contracting rules, in known items', async () => {
    const message = await loadError('no-contracting.json', (json) => {
      delete json.carriers[1].contracting;
      json.carriers[0].contracting.packet[0].item = 'PASSPORT';
    });
    expect(message).toMatch(/carriers\[1\]\.contracting: /);
    expect(message).toContain('carriers[0].contracting.packet[0].item: must be one of CARRIER_CONTRACT, W9, EO_CERTIFICATE, AML_TRAINING, RESIDENT_LICENSE, NONRESIDENT_LICENSE');
  });

  test('reports invalid JSON and a missing file with the file name', async () => {
    const file = writeConfig('broken.json', '{ "settings": ');
    await expect(loadRulesConfig(file)).rejects.toThrow(`The rules configuration ${file} is not valid JSON`);
    const missing = path.join(dir, 'missing.json');
    await expect(loadRulesConfig(missing)).rejects.toThrow(`Cannot read the rules configuration ${missing}`);
  });

  test('caches by path and modification time', async () => {
    const json = shippedJson();
    const file = writeConfig('cached.json', json);
    const first = await loadRulesConfig(file);
    expect(await loadRulesConfig(file)).toBe(first);

    json.settings.bgaName = 'Renamed Agency';
    fs.writeFileSync(file, JSON.stringify(json));
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(file, later, later);
    const reloaded = await loadRulesConfig(file);
    expect(reloaded).not.toBe(first);
    expect(reloaded.settings.bgaName).toBe('Renamed Agency');
  });

  test('BGA_RULES_FILE overrides the default path', async () => {
    const json = shippedJson();
    json.settings.bgaName = 'From Env Agency';
    const file = writeConfig('env.json', json);
    const saved = process.env.BGA_RULES_FILE;
    try {
      delete process.env.BGA_RULES_FILE;
      expect(rulesConfigPath()).toBe(SHIPPED);
      process.env.BGA_RULES_FILE = file;
      expect(rulesConfigPath()).toBe(file);
      expect((await loadRulesConfig()).settings.bgaName).toBe('From Env Agency');
    } finally {
      if (saved === undefined) delete process.env.BGA_RULES_FILE;
      else process.env.BGA_RULES_FILE = saved;
    }
  });
});
