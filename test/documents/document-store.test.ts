import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import type { KeyRing } from '../../platform/codec';
import { type DocumentStore, documentStoreFromEnv, LocalDocumentStore, S3DocumentStore } from '../../platform/document-store';

const keyA = crypto.randomBytes(32);
const keyB = crypto.randomBytes(32);
const ringA: KeyRing = { currentKeyId: '2026-10', keys: new Map([['2026-10', keyA]]) };
// After rotation: new documents use 2026-11, and 2026-10 stays to read the older ones.
const ringRotated: KeyRing = { currentKeyId: '2026-11', keys: new Map([['2026-10', keyA], ['2026-11', keyB]]) };
const ringWithoutA: KeyRing = { currentKeyId: '2026-11', keys: new Map([['2026-11', keyB]]) };

const document = (text: string) => {
  const bytes = Buffer.from(text);
  return { bytes, sha256: crypto.createHash('sha256').update(bytes).digest('hex') };
};
const medical = document('Attending physician statement. Patient SSN 123-45-6789. Diagnosis: hypertension, controlled.');

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bga-documents-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const filesUnder = (dir: string): string[] =>
  fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));

describe('LocalDocumentStore', () => {
  test('round trip: what is put comes back byte for byte', async () => {
    const store = new LocalDocumentStore(path.join(tmp, 'docs'), ringA);
    expect(await store.put(medical.sha256, medical.bytes)).toBe('stored');
    expect(await store.get(medical.sha256)).toEqual(medical.bytes);
    expect(store.description).toBe(`local folder ${path.join(tmp, 'docs')}`);
  });

  test('the same content twice is stored once, as one file with no temporary left over', async () => {
    const dir = path.join(tmp, 'docs');
    const store = new LocalDocumentStore(dir, ringA);
    expect(await store.put(medical.sha256, medical.bytes)).toBe('stored');
    const file = path.join(dir, medical.sha256.slice(0, 2), medical.sha256);
    const before = fs.readFileSync(file);
    expect(await store.put(medical.sha256, Buffer.from(medical.bytes))).toBe('already-stored');
    expect(filesUnder(dir)).toEqual([file]);
    // Not rewritten: a fresh encryption would have a new IV.
    expect(fs.readFileSync(file)).toEqual(before);
  });

  test('folders are private to this user (0700) and files too (0600)', async () => {
    const dir = path.join(tmp, 'docs');
    await new LocalDocumentStore(dir, ringA).put(medical.sha256, medical.bytes);
    const mode = (p: string) => fs.statSync(p).mode & 0o777;
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, medical.sha256.slice(0, 2)))).toBe(0o700);
    expect(mode(path.join(dir, medical.sha256.slice(0, 2), medical.sha256))).toBe(0o600);
  });

  test('on disk there is only ciphertext, behind a header naming the key', async () => {
    const dir = path.join(tmp, 'docs');
    await new LocalDocumentStore(dir, ringA).put(medical.sha256, medical.bytes);
    const stored = fs.readFileSync(path.join(dir, medical.sha256.slice(0, 2), medical.sha256));
    expect(stored.includes(medical.bytes)).toBe(false);
    expect(stored.includes(Buffer.from('123-45-6789'))).toBe(false);
    expect(stored.includes(Buffer.from('hypertension'))).toBe(false);
    const keyIdLength = Buffer.byteLength('2026-10');
    expect(stored.subarray(0, 8 + keyIdLength)).toEqual(Buffer.concat([Buffer.from('BGADOC1'), Buffer.from([keyIdLength]), Buffer.from('2026-10')]));
    // header, 12-byte IV, ciphertext as long as the plaintext, 16-byte tag
    expect(stored.length).toBe(8 + keyIdLength + 12 + medical.bytes.length + 16);
  });

  test('two stores of the same content under different keys write different bytes (random IV)', async () => {
    const one = path.join(tmp, 'one');
    const two = path.join(tmp, 'two');
    await new LocalDocumentStore(one, ringA).put(medical.sha256, medical.bytes);
    await new LocalDocumentStore(two, ringA).put(medical.sha256, medical.bytes);
    const [a, b] = [one, two].map((d) => fs.readFileSync(path.join(d, medical.sha256.slice(0, 2), medical.sha256)));
    expect(a).not.toEqual(b);
  });

  test('after key rotation, documents written with the old key still read; new ones use the new key', async () => {
    const dir = path.join(tmp, 'docs');
    await new LocalDocumentStore(dir, ringA).put(medical.sha256, medical.bytes);
    const rotated = new LocalDocumentStore(dir, ringRotated);
    expect(await rotated.get(medical.sha256)).toEqual(medical.bytes);

    const newer = document('Signed HIPAA authorization, received after the rotation.');
    await rotated.put(newer.sha256, newer.bytes);
    const stored = fs.readFileSync(path.join(dir, newer.sha256.slice(0, 2), newer.sha256));
    expect(stored.subarray(8, 15).toString()).toBe('2026-11');
    expect(await rotated.get(newer.sha256)).toEqual(newer.bytes);
  });

  test('a document whose key was dropped from the ring fails naming the key and BGA_ENCRYPTION_KEYS', async () => {
    const dir = path.join(tmp, 'docs');
    await new LocalDocumentStore(dir, ringA).put(medical.sha256, medical.bytes);
    await expect(new LocalDocumentStore(dir, ringWithoutA).get(medical.sha256)).rejects.toThrow(
      `Document ${medical.sha256} at ${path.join(dir, medical.sha256.slice(0, 2), medical.sha256)} is encrypted with key "2026-10", which is not in BGA_ENCRYPTION_KEYS; add that key to read it.`,
    );
  });

  test('a tampered file is refused, not returned', async () => {
    const dir = path.join(tmp, 'docs');
    const store = new LocalDocumentStore(dir, ringA);
    await store.put(medical.sha256, medical.bytes);
    const file = path.join(dir, medical.sha256.slice(0, 2), medical.sha256);
    const stored = fs.readFileSync(file);
    stored[stored.length - 30]! ^= 0x01;
    fs.writeFileSync(file, stored);
    await expect(store.get(medical.sha256)).rejects.toThrow(
      `Document ${medical.sha256} at ${file} cannot be read: it fails authentication with key "2026-10": the stored copy was altered or damaged, or belongs to another document.`,
    );
  });

  test("another document's file copied under this name is refused (the hash is authenticated)", async () => {
    const dir = path.join(tmp, 'docs');
    const store = new LocalDocumentStore(dir, ringA);
    const other = document('A different record.');
    await store.put(other.sha256, other.bytes);
    const target = path.join(dir, medical.sha256.slice(0, 2), medical.sha256);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(dir, other.sha256.slice(0, 2), other.sha256), target);
    await expect(store.get(medical.sha256)).rejects.toThrow(/cannot be read: it fails authentication/);
  });

  test('a file that is not an encrypted document, or is cut short, says so', async () => {
    const dir = path.join(tmp, 'docs');
    const store = new LocalDocumentStore(dir, ringA);
    const file = path.join(dir, medical.sha256.slice(0, 2), medical.sha256);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, medical.bytes);
    await expect(store.get(medical.sha256)).rejects.toThrow(`at ${file} cannot be read: it does not start with the BGADOC1 header of an encrypted document.`);
    fs.writeFileSync(file, Buffer.concat([Buffer.from('BGADOC1'), Buffer.from([7]), Buffer.from('2026-10'), Buffer.alloc(5)]));
    await expect(store.get(medical.sha256)).rejects.toThrow(`at ${file} cannot be read: it is truncated.`);
  });

  test('a missing document fails naming the document and where it looked', async () => {
    const dir = path.join(tmp, 'docs');
    await expect(new LocalDocumentStore(dir, ringA).get(medical.sha256)).rejects.toThrow(
      `Document ${medical.sha256} is not in the local folder ${dir}: there is no file ${path.join(dir, medical.sha256.slice(0, 2), medical.sha256)}.`,
    );
  });

  test('a malformed hash is refused before any file is touched', async () => {
    const dir = path.join(tmp, 'docs');
    const store = new LocalDocumentStore(dir, ringA);
    for (const bad of [medical.sha256.toUpperCase(), medical.sha256.slice(1), `${medical.sha256.slice(0, 63)}g`, '../../etc/passwd', '']) {
      await expect(store.get(bad)).rejects.toThrow('is not a document ID: expected the SHA-256 of the document as 64 lowercase hex characters.');
      await expect(store.put(bad, medical.bytes)).rejects.toThrow('is not a document ID');
    }
    expect(fs.existsSync(dir)).toBe(false);
  });

  test('bytes that do not match the hash are refused', async () => {
    const store = new LocalDocumentStore(path.join(tmp, 'docs'), ringA);
    const other = document('something else');
    await expect(store.put(medical.sha256, other.bytes)).rejects.toThrow(
      `Document ${medical.sha256} was given bytes whose SHA-256 is ${other.sha256}; a document is stored under the hash of its content.`,
    );
  });
});

/*
 * s3rver is an S3 server written in node: it speaks the S3 REST protocol over HTTP (the SDK's
 * real requests, XML error bodies, bare-status HEAD answers) and keeps objects on disk. It checks
 * the access key ID but not SigV4 signatures. These tests prove the store's requests and error
 * handling against that implementation; they do not prove behaviour particular to AWS itself
 * (IAM's 403 for a missing object without s3:ListBucket, for one) or to MinIO.
 */
describe('S3DocumentStore against s3rver', () => {
  const BUCKET = 'bga-documents';
  let server: S3rver;
  let endpoint: string;
  let client: S3Client;
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bga-s3rver-'));
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, resetOnClose: true });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
    // s3rver's fixed credentials; set in the environment so the SDK's default chain finds them (and looks nowhere else).
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
    client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });

  afterAll(async () => {
    client?.destroy();
    await server?.close();
    for (const [name, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  const rawObject = async (key: string) => Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToByteArray());

  test('round trip, stored once, and the object holds only ciphertext under the prefix', async () => {
    const store = new S3DocumentStore({ client, bucket: BUCKET, ring: ringA });
    expect(store.description).toBe('S3 bucket bga-documents under documents/');
    expect(await store.put(medical.sha256, medical.bytes)).toBe('stored');
    expect(await store.put(medical.sha256, medical.bytes)).toBe('already-stored');
    expect(await store.get(medical.sha256)).toEqual(medical.bytes);
    const raw = await rawObject(`documents/${medical.sha256}`);
    expect(raw.subarray(0, 7).toString()).toBe('BGADOC1');
    expect(raw.includes(Buffer.from('123-45-6789'))).toBe(false);
  });

  test('already-stored does not write again', async () => {
    const store = new S3DocumentStore({ client, bucket: BUCKET, prefix: 'once/', ring: ringA });
    await store.put(medical.sha256, medical.bytes);
    const first = await rawObject(`once/${medical.sha256}`);
    expect(await store.put(medical.sha256, medical.bytes)).toBe('already-stored');
    expect(await rawObject(`once/${medical.sha256}`)).toEqual(first);
  });

  test('key rotation: an object written with the old key reads with the rotated ring', async () => {
    const doc = document('Paramedical exam results, written before rotation.');
    await new S3DocumentStore({ client, bucket: BUCKET, ring: ringA }).put(doc.sha256, doc.bytes);
    expect(await new S3DocumentStore({ client, bucket: BUCKET, ring: ringRotated }).get(doc.sha256)).toEqual(doc.bytes);
  });

  test('a tampered object is refused, naming bucket and key', async () => {
    const doc = document('Lab results to be tampered with.');
    const store = new S3DocumentStore({ client, bucket: BUCKET, prefix: 'tamper/', ring: ringA });
    await store.put(doc.sha256, doc.bytes);
    const raw = await rawObject(`tamper/${doc.sha256}`);
    raw[raw.length - 20]! ^= 0x80;
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `tamper/${doc.sha256}`, Body: raw }));
    await expect(store.get(doc.sha256)).rejects.toThrow(`Document ${doc.sha256} at s3://${BUCKET}/tamper/${doc.sha256} cannot be read: it fails authentication`);
  });

  test('a missing document names the bucket and key', async () => {
    const store = new S3DocumentStore({ client, bucket: BUCKET, ring: ringA });
    const absent = document('never stored');
    await expect(store.get(absent.sha256)).rejects.toThrow(
      `Document ${absent.sha256} is not in the S3 bucket ${BUCKET} under documents/: there is no object s3://${BUCKET}/documents/${absent.sha256}.`,
    );
  });

  test('a bucket that does not exist is reported as such, naming bucket and key', async () => {
    const store = new S3DocumentStore({ client, bucket: 'no-such-bucket', ring: ringA });
    await expect(store.put(medical.sha256, medical.bytes)).rejects.toThrow(
      `Could not store document ${medical.sha256} at s3://no-such-bucket/documents/${medical.sha256}: NoSuchBucket (HTTP 404)`,
    );
    await expect(store.get(medical.sha256)).rejects.toThrow(`Could not read document ${medical.sha256} from s3://no-such-bucket/documents/${medical.sha256}: NoSuchBucket (HTTP 404)`);
  });

  test('refused credentials fail on the existence check, naming bucket and key', async () => {
    const bad = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'UNKNOWN', secretAccessKey: 'wrong' } });
    try {
      const store = new S3DocumentStore({ client: bad, bucket: BUCKET, ring: ringA });
      await expect(store.put(medical.sha256, medical.bytes)).rejects.toThrow(
        `Could not check whether document ${medical.sha256} is already at s3://${BUCKET}/documents/${medical.sha256}: HTTP 403, with no error details; S3 also answers 403 for a missing object when the credentials lack s3:ListBucket`,
      );
    } finally {
      bad.destroy();
    }
  });

  test('documentStoreFromEnv builds a working S3 store from BGA_S3_* and the default credential chain', async () => {
    const store = documentStoreFromEnv({ BGA_DOCUMENT_STORE: 's3', BGA_S3_BUCKET: BUCKET, BGA_S3_ENDPOINT: endpoint, BGA_S3_PREFIX: 'from-env/' }, ringA, tmp);
    expect(store).toBeInstanceOf(S3DocumentStore);
    const doc = document('Stored through the environment-built store.');
    // Path-style addressing is on by default with an endpoint: 127.0.0.1 has no bucket subdomains.
    expect(await store.put(doc.sha256, doc.bytes)).toBe('stored');
    expect(await rawObject(`from-env/${doc.sha256}`)).toHaveLength(8 + 7 + 12 + doc.bytes.length + 16);
    expect(await store.get(doc.sha256)).toEqual(doc.bytes);
  });
});

describe('documentStoreFromEnv', () => {
  const fromEnv = (env: NodeJS.ProcessEnv): DocumentStore => documentStoreFromEnv(env, ringA, path.join(tmp, 'local'));

  test('local by default, in the given folder', () => {
    for (const env of [{}, { BGA_DOCUMENT_STORE: 'local' }, { BGA_DOCUMENT_STORE: '' }]) {
      const store = fromEnv(env);
      expect(store).toBeInstanceOf(LocalDocumentStore);
      expect(store.description).toBe(`local folder ${path.join(tmp, 'local')}`);
    }
  });

  test('s3 with defaults: region us-east-1, prefix documents/, virtual-hosted style without an endpoint', async () => {
    const store = fromEnv({ BGA_DOCUMENT_STORE: 's3', BGA_S3_BUCKET: 'bga-prod-documents' }) as S3DocumentStore;
    expect(store).toBeInstanceOf(S3DocumentStore);
    expect(store.description).toBe('S3 bucket bga-prod-documents under documents/');
    const client = (store as unknown as { client: S3Client }).client;
    expect(await client.config.region()).toBe('us-east-1');
    expect(client.config.forcePathStyle).toBe(false);
  });

  test('with an endpoint, path style is on unless BGA_S3_FORCE_PATH_STYLE=false', () => {
    const pathStyle = (env: NodeJS.ProcessEnv) => (fromEnv({ BGA_DOCUMENT_STORE: 's3', BGA_S3_BUCKET: 'docs', ...env }) as unknown as { client: S3Client }).client.config.forcePathStyle;
    expect(pathStyle({ BGA_S3_ENDPOINT: 'http://127.0.0.1:9000' })).toBe(true);
    expect(pathStyle({ BGA_S3_ENDPOINT: 'http://127.0.0.1:9000', BGA_S3_FORCE_PATH_STYLE: 'false' })).toBe(false);
    expect(pathStyle({ BGA_S3_FORCE_PATH_STYLE: 'true' })).toBe(true);
  });

  test('a missing or bad value names the variable and what is expected', () => {
    expect(() => fromEnv({ BGA_DOCUMENT_STORE: 's3' })).toThrow('BGA_S3_BUCKET is required when BGA_DOCUMENT_STORE=s3: the bucket documents are kept in.');
    expect(() => fromEnv({ BGA_DOCUMENT_STORE: 's4' })).toThrow('BGA_DOCUMENT_STORE must be local or s3: where case documents are kept (it is "s4").');
    expect(() => fromEnv({ BGA_DOCUMENT_STORE: 's3', BGA_S3_BUCKET: 'My_Bucket' })).toThrow(
      'BGA_S3_BUCKET must be an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens (it is "My_Bucket").',
    );
    expect(() => fromEnv({ BGA_DOCUMENT_STORE: 's3', BGA_S3_BUCKET: 'docs', BGA_S3_ENDPOINT: '127.0.0.1:9000' })).toThrow(
      'BGA_S3_ENDPOINT must be an http:// or https:// URL of an S3-compatible store, e.g. http://127.0.0.1:9000 (it is "127.0.0.1:9000").',
    );
    expect(() => fromEnv({ BGA_DOCUMENT_STORE: 's3', BGA_S3_BUCKET: 'docs', BGA_S3_FORCE_PATH_STYLE: 'yes' })).toThrow(
      'BGA_S3_FORCE_PATH_STYLE must be true or false (it is "yes").',
    );
    expect(() => fromEnv({ BGA_DOCUMENT_STORE: 's3', BGA_S3_BUCKET: 'docs', BGA_S3_PREFIX: '/documents/' })).toThrow(
      'BGA_S3_PREFIX must not start with /: object keys are relative to the bucket, e.g. documents/ (it is "/documents/").',
    );
    expect(() => fromEnv({ BGA_DOCUMENT_STORE: 's3', BGA_S3_BUCKET: 'docs', BGA_S3_REGION: 'US East' })).toThrow(
      'BGA_S3_REGION must be a region name such as us-east-1 (it is "US East").',
    );
  });
});
