import { startCodecServer } from '../../client/codec-server';
import { EncryptionCodec } from '../../platform/codec';
import { TEST_KEY_RING } from '../helpers/keys';

const wire = (p: { metadata?: Record<string, Uint8Array | null> | null; data?: Uint8Array | null }) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

test('the codec server decrypts for a caller with a token, refuses one without, and allows only the UI origin', async () => {
  const server = await startCodecServer({ ring: TEST_KEY_RING, allowedOrigins: ['http://localhost:8233'], tokens: ['s3cret'], host: '127.0.0.1', port: 0 });
  try {
    const plain = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"ssn":"412-55-7831"}') };
    const [encrypted] = await new EncryptionCodec(TEST_KEY_RING).encode([plain]);
    const body = JSON.stringify({ payloads: [wire(encrypted!)] });
    const post = (headers: Record<string, string>) =>
      fetch(`${server.url}/decode`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

    const denied = await post({});
    expect(denied.status).toBe(401);
    expect(await denied.text()).not.toContain('412-55-7831');

    const ok = await post({ authorization: 'Bearer s3cret', origin: 'http://localhost:8233' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    const decoded = (await ok.json()) as { payloads: { data: string }[] };
    expect(Buffer.from(decoded.payloads[0]!.data, 'base64').toString()).toBe('{"ssn":"412-55-7831"}');

    const otherOrigin = await post({ authorization: 'Bearer s3cret', origin: 'https://evil.example' });
    expect(otherOrigin.headers.get('access-control-allow-origin')).toBeNull();
  } finally {
    await server.close();
  }
});

test('a codec server reachable beyond loopback must ask for a token', async () => {
  await expect(startCodecServer({ ring: TEST_KEY_RING, allowedOrigins: [], tokens: [], host: '0.0.0.0', port: 0 })).rejects.toThrow(/BGA_CODEC_TOKENS/);
});
