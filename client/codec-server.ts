import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload } from '@temporalio/common';
import { z } from 'zod';
import { EncryptionCodec, type KeyRing } from '../platform/codec';

/*
 * Temporal's remote codec protocol (POST /encode, POST /decode) so that the Web UI and the
 * `temporal` CLI can show decrypted payloads to people allowed to see them. The UI calls it
 * from the browser, hence CORS for the UI's origin only.
 */

const WireSchema = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() })).max(10_000),
});

const fromWire = (p: z.infer<typeof WireSchema>['payloads'][number]): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const toWire = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

function tokenMatches(header: string | undefined, tokens: string[]): boolean {
  const given = crypto.createHash('sha256').update(header?.replace(/^Bearer\s+/i, '') ?? '').digest();
  return tokens.some((t) => crypto.timingSafeEqual(given, crypto.createHash('sha256').update(t).digest()));
}

export interface CodecServerOptions {
  ring: KeyRing;
  /** Origins allowed to call from a browser, e.g. the Web UI's http://localhost:8233. */
  allowedOrigins: string[];
  /** Bearer tokens accepted; empty means no token is asked (only for a server bound to loopback). */
  tokens: string[];
  host: string;
  port: number;
}

export async function startCodecServer(opts: CodecServerOptions): Promise<{ url: string; close(): Promise<void> }> {
  if (opts.tokens.length === 0 && !['127.0.0.1', 'localhost', '::1'].includes(opts.host)) {
    throw new Error('The codec server needs BGA_CODEC_TOKENS when it listens beyond loopback: it decrypts applicants’ data.');
  }
  const codec = new EncryptionCodec(opts.ring);
  const server = http.createServer((req, res) => {
    const origin = req.headers.origin;
    if (origin && opts.allowedOrigins.includes(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-allow-headers', 'content-type, x-namespace, authorization');
      res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
      res.setHeader('vary', 'origin');
    }
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'POST' || (req.url !== '/encode' && req.url !== '/decode')) return send(404, { error: 'POST /encode or /decode' });
    if (opts.tokens.length && !tokenMatches(req.headers.authorization, opts.tokens)) return send(401, { error: 'a valid bearer token is required' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: z.infer<typeof WireSchema>;
      try {
        body = WireSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        return send(400, { error: 'expected {"payloads":[{"metadata":{…},"data":"<base64>"}]}' });
      }
      const payloads = body.payloads.map(fromWire);
      (req.url === '/encode' ? codec.encode(payloads) : codec.decode(payloads))
        .then((out) => send(200, { payloads: out.map(toWire) }))
        .catch((err: Error) => send(400, { error: err.message }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host === '127.0.0.1' ? 'localhost' : opts.host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
