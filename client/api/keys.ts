import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../platform/config';

/*
 * API keys come from the environment (BGA_API_KEYS), one per integration, so a key can be
 * revoked without touching the others and every action is recorded under the key's name.
 */

// The name becomes the actor `api:<name>` in case history, so it must satisfy the actor rules.
const keyName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, 'must be 1-40 lower-case letters, digits, . _ or -');
// Long random secrets only: a short key is guessable whatever the comparison.
const secret = z.string().min(24, 'must be at least 24 characters').max(256);

const ApiKeySchema = z.discriminatedUnion('role', [
  /** Case managers' tools: everything. */
  z.object({ name: keyName, key: secret, role: z.literal('ops') }),
  /** An exam/APS vendor: status updates on requirements ordered from it, nothing else. */
  z.object({ name: keyName, key: secret, role: z.literal('vendor'), vendor: z.string().regex(/^[A-Z0-9_]{2,30}$/, 'must be a vendor code such as EXAMONE') }),
  /** Dashboards and reports: reads only. */
  z.object({ name: keyName, key: secret, role: z.literal('read') }),
  /** A broker's own portal or agency system: that broker's cases, read only. */
  z.object({ name: keyName, key: secret, role: z.literal('broker'), npn: z.string().regex(/^\d{4,10}$/, 'must be a National Producer Number of 4-10 digits') }),
]);

export type ApiKey = z.infer<typeof ApiKeySchema>;
export type Role = ApiKey['role'];

const ApiKeysSchema = z
  .array(ApiKeySchema)
  .superRefine((keys, ctx) => {
    const names = new Set<string>();
    const secrets = new Set<string>();
    keys.forEach((k, i) => {
      if (names.has(k.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${k.name}" is used twice` });
      if (secrets.has(k.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: 'is the same as another entry\'s key' });
      names.add(k.name);
      secrets.add(k.key);
    });
  });

/** Parses BGA_API_KEYS; a bad value stops start-up naming the variable, never echoing a key. */
export function loadApiKeys(source: NodeJS.ProcessEnv = process.env): ApiKey[] {
  const raw = source.BGA_API_KEYS;
  if (raw === undefined || raw.trim() === '') {
    throw new ConfigError('BGA_API_KEYS is not set: give it a JSON array such as [{"name":"ops-desk","key":"<secret>","role":"ops"}].');
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new ConfigError(`BGA_API_KEYS is not valid JSON (${(err as Error).message}).`);
  }
  const parsed = ApiKeysSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  BGA_API_KEYS.${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid BGA_API_KEYS:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

const digest = (value: string): Buffer => crypto.createHash('sha256').update(value, 'utf8').digest();

/** Looks keys up by comparing SHA-256 digests in constant time, so timing reveals nothing about a key. */
export class KeyRing {
  private readonly entries: { digest: Buffer; key: ApiKey }[];

  constructor(keys: readonly ApiKey[]) {
    this.entries = keys.map((key) => ({ digest: digest(key.key), key }));
  }

  find(presented: string): ApiKey | undefined {
    const candidate = digest(presented);
    let match: ApiKey | undefined;
    // No early exit: every entry is compared, so the time taken does not say which one matched.
    for (const entry of this.entries) {
      if (crypto.timingSafeEqual(entry.digest, candidate)) match = entry.key;
    }
    return match;
  }
}

/**
 * For `npm start` without BGA_API_KEYS: one key per role, generated once into the data folder,
 * so a person trying the system can call the API (and a local vendor simulator can post).
 */
export function localApiKeys(file: string): ApiKey[] {
  if (!fs.existsSync(file)) {
    const secretFor = () => crypto.randomBytes(24).toString('base64url');
    const keys: ApiKey[] = [
      { name: 'local-ops', key: secretFor(), role: 'ops' },
      { name: 'local-read', key: secretFor(), role: 'read' },
      { name: 'examone', key: secretFor(), role: 'vendor', vendor: 'EXAMONE' },
      // The broker of the shipped clean example application.
      { name: 'reyes-financial', key: secretFor(), role: 'broker', npn: '17654321' },
    ];
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  }
  return loadApiKeys({ BGA_API_KEYS: fs.readFileSync(file, 'utf8') });
}
