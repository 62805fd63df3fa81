import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { z } from 'zod';

/*
 * AES-256-GCM encryption of every Temporal payload: workflow inputs (the application with SSN
 * and medical disclosures), activity arguments, results, update and query payloads, memo,
 * summaries and failure messages. Temporal stores only ciphertext; search attributes are never
 * encoded, which is why they carry no PII.
 */

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface KeyRing {
  /** Key used for new payloads; older keys stay to decrypt what they wrote (rotation). */
  currentKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

const KeysSchema = z.record(
  z.string().regex(/^[\w.-]{1,64}$/, 'key IDs use letters, digits, _ . - only'),
  z
    .string()
    .refine((k) => Buffer.from(k, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)'),
);

/**
 * Reads BGA_ENCRYPTION_KEYS (JSON object of key ID → base64 key) and BGA_ENCRYPTION_KEY_ID.
 * Without them, a local key file is created once under the data folder, so `npm start` works
 * out of the box and still decrypts its own history after a restart.
 */
export function loadKeyRing(env: NodeJS.ProcessEnv, localKeyFile: string): KeyRing {
  let raw = env.BGA_ENCRYPTION_KEYS;
  let current = env.BGA_ENCRYPTION_KEY_ID;
  if (!raw) {
    if (!fs.existsSync(localKeyFile)) {
      fs.mkdirSync(path.dirname(localKeyFile), { recursive: true });
      const id = `local-${new Date().toISOString().slice(0, 10)}`;
      fs.writeFileSync(localKeyFile, JSON.stringify({ [id]: crypto.randomBytes(32).toString('base64') }), { mode: 0o600 });
    }
    raw = fs.readFileSync(localKeyFile, 'utf8');
  }
  let parsed: Record<string, string>;
  try {
    parsed = KeysSchema.parse(JSON.parse(raw));
  } catch (err) {
    const detail = err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (err as Error).message;
    throw new Error(`BGA_ENCRYPTION_KEYS is invalid: ${detail}. Expected a JSON object such as {"2026-11":"<base64 of 32 bytes>"}.`);
  }
  const ids = Object.keys(parsed);
  if (ids.length === 0) throw new Error('BGA_ENCRYPTION_KEYS holds no key.');
  current ??= ids.sort().at(-1)!;
  if (!(current in parsed)) throw new Error(`BGA_ENCRYPTION_KEY_ID "${current}" is not one of the keys in BGA_ENCRYPTION_KEYS (${ids.join(', ')}).`);
  return { currentKeyId: current, keys: new Map(Object.entries(parsed).map(([id, k]) => [id, Buffer.from(k, 'base64')])) };
}

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly ring: KeyRing) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.ring.keys.get(this.ring.currentKeyId)!;
    return payloads.map((p) => {
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const plain = temporal.api.common.v1.Payload.encode(p).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { encoding: Buffer.from(ENCODING), [KEY_ID]: Buffer.from(this.ring.currentKeyId) },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (Buffer.from(p.metadata?.encoding ?? []).toString() !== ENCODING) return p;
      const keyId = Buffer.from(p.metadata?.[KEY_ID] ?? []).toString();
      const key = this.ring.keys.get(keyId);
      if (!key) throw new Error(`Payload encrypted with key "${keyId}", which is not in BGA_ENCRYPTION_KEYS; add it to decrypt.`);
      const data = Buffer.from(p.data ?? []);
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

export const failureConverterPath = require.resolve('./failure-converter');

/** The data converter for clients and workers: encrypted payloads, and failure messages and stack traces encrypted too. */
export function encryptedDataConverter(ring: KeyRing): DataConverter {
  return {
    payloadCodecs: [new EncryptionCodec(ring)],
    failureConverterPath,
  };
}
