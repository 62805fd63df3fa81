import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { type KeyRing } from './codec';
import { dataDir } from './paths';

/*
 * The documents a case receives (signed forms, medical records) carry PII, so they are
 * encrypted before they leave the process, with the same key ring as Temporal payloads.
 * A document is named by the SHA-256 of its plaintext: the same file sent twice is kept once,
 * and a name can be recorded in a case before, or without, anyone reading the document.
 *
 * Stored layout (all of it authenticated by AES-256-GCM):
 *   "BGADOC1" | key ID length (1 byte) | key ID (UTF-8) | IV (12 bytes) | ciphertext | tag (16 bytes)
 * The key ID travels with the document so that it still opens after the current key rotates.
 * The additional authenticated data is that header followed by the document's SHA-256, so a
 * stored file copied under another document's name fails to decrypt instead of being served.
 */

export interface DocumentStore {
  /** Where documents are kept, for start-up logs and error messages. */
  readonly description: string;
  put(sha256: string, bytes: Buffer): Promise<'stored' | 'already-stored'>;
  get(sha256: string): Promise<Buffer>;
}

const MAGIC = Buffer.from('BGADOC1', 'ascii');
const IV_BYTES = 12;
const TAG_BYTES = 16;

function assertDocumentHash(sha256: string): void {
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) {
    const shown = typeof sha256 === 'string' ? JSON.stringify(sha256.slice(0, 80)) : String(sha256);
    throw new Error(`${shown} is not a document ID: expected the SHA-256 of the document as 64 lowercase hex characters.`);
  }
}

const sha256Hex = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');

// Checked on put, so that a caller's mistake fails now rather than as a mismatch on some later get.
function assertContentMatches(sha256: string, bytes: Buffer): void {
  assertDocumentHash(sha256);
  const actual = sha256Hex(bytes);
  if (actual !== sha256) throw new Error(`Document ${sha256} was given bytes whose SHA-256 is ${actual}; a document is stored under the hash of its content.`);
}

function header(keyId: string, iv: Buffer): Buffer {
  const id = Buffer.from(keyId, 'utf8');
  if (id.length === 0 || id.length > 255) throw new Error(`Encryption key ID "${keyId}" must be 1 to 255 bytes long to be recorded with a document.`);
  return Buffer.concat([MAGIC, Buffer.from([id.length]), id, iv]);
}

function seal(sha256: string, plaintext: Buffer, ring: KeyRing): Buffer {
  const key = ring.keys.get(ring.currentKeyId);
  if (!key) throw new Error(`The current encryption key "${ring.currentKeyId}" is not in BGA_ENCRYPTION_KEYS.`);
  const iv = crypto.randomBytes(IV_BYTES);
  const head = header(ring.currentKeyId, iv);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.concat([head, Buffer.from(sha256, 'ascii')]));
  return Buffer.concat([head, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** `where` names the file or object, so that a failure says which copy to look at. */
function unseal(sha256: string, stored: Buffer, ring: KeyRing, where: string): Buffer {
  const damaged = (why: string) => new Error(`Document ${sha256} at ${where} cannot be read: ${why}.`);
  if (stored.length < MAGIC.length + 1 || !stored.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw damaged('it does not start with the BGADOC1 header of an encrypted document');
  }
  const idLength = stored[MAGIC.length]!;
  const ivStart = MAGIC.length + 1 + idLength;
  const bodyStart = ivStart + IV_BYTES;
  if (idLength === 0 || stored.length < bodyStart + TAG_BYTES) throw damaged('it is truncated');
  const keyId = stored.subarray(MAGIC.length + 1, ivStart).toString('utf8');
  const key = ring.keys.get(keyId);
  if (!key) {
    throw new Error(`Document ${sha256} at ${where} is encrypted with key "${keyId}", which is not in BGA_ENCRYPTION_KEYS; add that key to read it.`);
  }
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, stored.subarray(ivStart, bodyStart));
  decipher.setAAD(Buffer.concat([stored.subarray(0, bodyStart), Buffer.from(sha256, 'ascii')]));
  decipher.setAuthTag(stored.subarray(stored.length - TAG_BYTES));
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([decipher.update(stored.subarray(bodyStart, stored.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw damaged(`it fails authentication with key "${keyId}": the stored copy was altered or damaged, or belongs to another document`);
  }
  // Only a holder of the key could produce this, but the name is a promise about the content: keep it.
  const actual = sha256Hex(plaintext);
  if (actual !== sha256) throw damaged(`its content has SHA-256 ${actual}, not the one it is stored under`);
  return plaintext;
}

/** Documents as files under `dir/<first two hex digits>/<sha256>`, readable by this user only. */
export class LocalDocumentStore implements DocumentStore {
  readonly description: string;
  private readonly dir: string;

  constructor(dir: string, private readonly ring: KeyRing) {
    this.dir = path.resolve(dir);
    this.description = `local folder ${this.dir}`;
  }

  private fileFor(sha256: string): string {
    assertDocumentHash(sha256);
    return path.join(this.dir, sha256.slice(0, 2), sha256);
  }

  async put(sha256: string, bytes: Buffer): Promise<'stored' | 'already-stored'> {
    assertContentMatches(sha256, bytes);
    const file = this.fileFor(sha256);
    if (await exists(file)) return 'already-stored';
    const folder = path.dirname(file);
    await fs.mkdir(folder, { recursive: true, mode: 0o700 });
    // Written beside its final name and renamed into place: a reader sees the whole file or none.
    // Two concurrent puts of one document both rename; each file is a complete copy, so either may win.
    const temp = path.join(folder, `.${sha256}.${crypto.randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await fs.open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(seal(sha256, bytes, this.ring));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temp, file);
    } catch (err) {
      await fs.rm(temp, { force: true });
      throw new Error(`Could not store document ${sha256} at ${file}: ${(err as Error).message}`, { cause: err });
    }
    return 'stored';
  }

  async get(sha256: string): Promise<Buffer> {
    const file = this.fileFor(sha256);
    let stored: Buffer;
    try {
      stored = await fs.readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error(`Document ${sha256} is not in the ${this.description}: there is no file ${file}.`);
      }
      throw new Error(`Could not read document ${sha256} from ${file}: ${(err as Error).message}`, { cause: err });
    }
    return unseal(sha256, stored, this.ring, file);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export interface S3DocumentStoreOptions {
  client: S3Client;
  bucket: string;
  /** Put before every object key; "documents/" unless given. */
  prefix?: string;
  ring: KeyRing;
}

interface AwsError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

// HeadObject answers with a bare status (no error code in a body), so the status decides too;
// a missing bucket, which GetObject does name, is a set-up fault rather than a missing document.
const isNotFound = (err: unknown) => {
  const e = err as AwsError;
  if (e?.name === 'NoSuchBucket') return false;
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
};

function describeAwsError(err: unknown): string {
  const e = err as AwsError;
  const status = e?.$metadata?.httpStatusCode;
  // An error answer to HeadObject has no body, so the SDK knows nothing but its status.
  const text =
    e?.name === 'Unknown' && status
      ? `HTTP ${status}, with no error details`
      : `${e?.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${e?.message ?? String(err)}`;
  // S3 hides whether an object exists from credentials that may not list the bucket.
  return status === 403 ? `${text}; S3 also answers 403 for a missing object when the credentials lack s3:ListBucket` : text;
}

/** Documents as objects `<prefix><sha256>` in an S3 bucket, or an S3-compatible store such as MinIO. */
export class S3DocumentStore implements DocumentStore {
  readonly description: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly ring: KeyRing;

  constructor(options: S3DocumentStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? 'documents/';
    this.ring = options.ring;
    this.description = `S3 bucket ${this.bucket} under ${this.prefix || 'its root'}`;
  }

  private keyFor(sha256: string): string {
    assertDocumentHash(sha256);
    return `${this.prefix}${sha256}`;
  }

  private where(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  async put(sha256: string, bytes: Buffer): Promise<'stored' | 'already-stored'> {
    assertContentMatches(sha256, bytes);
    const key = this.keyFor(sha256);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return 'already-stored';
    } catch (err) {
      if (!isNotFound(err)) {
        throw new Error(`Could not check whether document ${sha256} is already at ${this.where(key)}: ${describeAwsError(err)}`, { cause: err });
      }
    }
    try {
      // S3 writes are atomic: the object appears whole or not at all.
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: seal(sha256, bytes, this.ring), ContentType: 'application/octet-stream' }),
      );
    } catch (err) {
      throw new Error(`Could not store document ${sha256} at ${this.where(key)}: ${describeAwsError(err)}`, { cause: err });
    }
    return 'stored';
  }

  async get(sha256: string): Promise<Buffer> {
    const key = this.keyFor(sha256);
    let stored: Buffer;
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!response.Body) throw new Error('the response has no body');
      stored = Buffer.from(await response.Body.transformToByteArray());
    } catch (err) {
      if (isNotFound(err)) throw new Error(`Document ${sha256} is not in the ${this.description}: there is no object ${this.where(key)}.`);
      throw new Error(`Could not read document ${sha256} from ${this.where(key)}: ${describeAwsError(err)}`, { cause: err });
    }
    return unseal(sha256, stored, this.ring, this.where(key));
  }
}

// Unset and empty are the same: an `.env` line such as `BGA_S3_ENDPOINT=` means "not set".
const optionalText = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const StoreEnvSchema = z
  .object({
    BGA_DOCUMENT_STORE: optionalText(z.enum(['local', 's3'], { error: 'must be local or s3: where case documents are kept' })),
    BGA_S3_BUCKET: optionalText(
      z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
        error: 'must be an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens',
      }),
    ),
    BGA_S3_ENDPOINT: optionalText(
      z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL of an S3-compatible store, e.g. http://127.0.0.1:9000' }),
    ),
    BGA_S3_REGION: optionalText(z.string().regex(/^[a-z0-9-]+$/, { error: 'must be a region name such as us-east-1' })),
    BGA_S3_FORCE_PATH_STYLE: optionalText(z.enum(['true', 'false'], { error: 'must be true or false' })),
    BGA_S3_PREFIX: optionalText(z.string().refine((p) => !p.startsWith('/'), { error: 'must not start with /: object keys are relative to the bucket, e.g. documents/' })),
  })
  .superRefine((env, ctx) => {
    if (env.BGA_DOCUMENT_STORE === 's3' && !env.BGA_S3_BUCKET) {
      ctx.addIssue({ code: 'custom', path: ['BGA_S3_BUCKET'], message: 'is required when BGA_DOCUMENT_STORE=s3: the bucket documents are kept in' });
    }
  });

/**
 * The store named by BGA_DOCUMENT_STORE: `local` (default) keeps documents in `localDir`;
 * `s3` in BGA_S3_BUCKET, with credentials from the AWS SDK's default chain (AWS_ACCESS_KEY_ID,
 * AWS_PROFILE, instance roles and so on).
 */
export function documentStoreFromEnv(env: NodeJS.ProcessEnv, ring: KeyRing, localDir: string): DocumentStore {
  const parsed = StoreEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const name = String(i.path[0]);
      return `${name} ${i.message}${env[name] ? ` (it is ${JSON.stringify(env[name])})` : ''}`;
    });
    throw new Error(`${problems.join('; ')}.`);
  }
  const settings = parsed.data;
  if ((settings.BGA_DOCUMENT_STORE ?? 'local') === 'local') return new LocalDocumentStore(localDir, ring);
  const endpoint = settings.BGA_S3_ENDPOINT;
  const client = new S3Client({
    region: settings.BGA_S3_REGION ?? 'us-east-1',
    endpoint,
    // S3-compatible stores are usually reached by address, where bucket subdomains do not resolve.
    forcePathStyle: settings.BGA_S3_FORCE_PATH_STYLE ? settings.BGA_S3_FORCE_PATH_STYLE === 'true' : endpoint !== undefined,
  });
  return new S3DocumentStore({ client, bucket: settings.BGA_S3_BUCKET!, prefix: settings.BGA_S3_PREFIX ?? 'documents/', ring });
}

/** The store the configuration names; the local one keeps its files in BGA_DATA_DIR/documents. */
export function documentStoreFor(config: { encryption: KeyRing }, env: NodeJS.ProcessEnv = process.env): DocumentStore {
  return documentStoreFromEnv(env, config.encryption, path.join(dataDir(), 'documents'));
}
