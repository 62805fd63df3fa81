import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface Reply {
  status: number;
  headers: Headers;
  // Parsed JSON, as the assertions read it.
  body: any;
}

/**
 * One request to a listening API, over a real socket: fastify's inject() needs light-my-request,
 * whose ESM-only cookie module jest cannot load on Node 20.
 */
export async function apiCall(
  server: FastifyInstance,
  method: string,
  path: string,
  opts: { key?: string; headers?: Record<string, string>; body?: unknown; raw?: string } = {},
): Promise<Reply> {
  const { port } = server.server.address() as AddressInfo;
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers['x-api-key'] = opts.key;
  const payload = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
