import crypto from 'node:crypto';
import { KeyRing, loadApiKeys } from '../../client/api/keys';
import { ConfigError } from '../../platform/config';

const OPS = { name: 'ops-desk', key: 'ops-desk-secret-0123456789abcdef', role: 'ops' };
const EXAMONE = { name: 'examone', key: 'examone-secret-0123456789abcdefgh', role: 'vendor', vendor: 'EXAMONE' };
const READ = { name: 'dashboard', key: 'dashboard-secret-0123456789abcdef', role: 'read' };

const load = (value: unknown) => loadApiKeys({ BGA_API_KEYS: typeof value === 'string' ? value : JSON.stringify(value) });

function refusal(value: unknown): ConfigError {
  try {
    load(value);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected BGA_API_KEYS to be refused');
}

test('BGA_API_KEYS is read as a JSON array of named keys with roles', () => {
  expect(load([OPS, EXAMONE, READ])).toEqual([OPS, EXAMONE, READ]);
});

test('a missing or malformed BGA_API_KEYS stops start-up naming the variable, the entry and the field', () => {
  expect(() => loadApiKeys({})).toThrow(/BGA_API_KEYS is not set/);
  expect(refusal('[{"name":').message).toMatch(/BGA_API_KEYS is not valid JSON/);
  expect(refusal({ keys: [] }).message).toMatch(/BGA_API_KEYS/);
  expect(refusal([OPS, { ...EXAMONE, vendor: undefined }]).message).toMatch(/BGA_API_KEYS\.1\.vendor/);
  expect(refusal([OPS, { name: 'reyes', key: 'reyes-secret-0123456789abcdefghij', role: 'broker', npn: 'R-17' }]).message).toMatch(/BGA_API_KEYS\.1\.npn/);
  expect(refusal([{ ...OPS, role: 'admin' }]).message).toMatch(/BGA_API_KEYS\.0\.role/);
  expect(refusal([{ ...OPS, name: 'Ops Desk!' }]).message).toMatch(/BGA_API_KEYS\.0\.name/);
  expect(refusal([OPS, { ...READ, name: OPS.name }]).message).toMatch(/BGA_API_KEYS\.1\.name: "ops-desk" is used twice/);
  expect(refusal([OPS, { ...READ, key: OPS.key }]).message).toMatch(/BGA_API_KEYS\.1\.key/);
  const weak = refusal([{ ...OPS, key: 'hunter2' }]);
  expect(weak.message).toMatch(/BGA_API_KEYS\.0\.key: must be at least 24 characters/);
  expect(weak.message).not.toContain('hunter2');
});

test('the key ring finds the key presented, and nothing for a wrong, partial or empty one', () => {
  const ring = new KeyRing(load([OPS, EXAMONE, READ]));
  expect(ring.find(EXAMONE.key)).toMatchObject({ name: 'examone', role: 'vendor', vendor: 'EXAMONE' });
  expect(ring.find(OPS.key.slice(0, -1))).toBeUndefined();
  expect(ring.find(`${OPS.key} `)).toBeUndefined();
  expect(ring.find('')).toBeUndefined();
});

test('every key is compared in constant time, even after a match', () => {
  const ring = new KeyRing(load([OPS, EXAMONE, READ]));
  const compare = jest.spyOn(crypto, 'timingSafeEqual');
  try {
    ring.find(OPS.key);
    expect(compare).toHaveBeenCalledTimes(3);
  } finally {
    compare.mockRestore();
  }
});
