import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { dataDir } from '../../platform/paths';

/*
 * Which HTTP API `bga status` may ask instead of Temporal and PostgreSQL, and the asking. The
 * settings are read straight from the environment, not through platform/config.ts, whose zod
 * schemas take longer to build than the whole API call. Anything unusable here only means "no
 * API": the command then takes the direct path, where loadConfig names a bad BGA_API_URL or a
 * missing BGA_API_KEY.
 */

export interface ApiTarget {
  /** The API's base URL: its routes are under `${url}/v1/`. */
  url: string;
  key: string;
  /** Chosen with BGA_API_URL, so when it does not answer, `bga` says so before going direct. */
  explicit: boolean;
}

/**
 * Settings that point `bga` at a Temporal or database of the user's choosing: the local stack's
 * API may be showing other cases, so then only BGA_API_URL sends `bga` to an API.
 */
const ELSEWHERE = ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_PROFILE', 'TEMPORAL_CONFIG_FILE', 'DATABASE_URL'];

// Empty counts as unset, as in Session.open: `BGA_API_URL= bga status …` means "no API".
const setting = (name: string): string | undefined => process.env[name] || undefined;

export function apiTarget(): ApiTarget | undefined {
  const url = setting('BGA_API_URL');
  if (url) {
    const key = setting('BGA_API_KEY');
    const usable = key && URL.canParse(url) && /^https?:$/.test(new URL(url).protocol);
    return usable ? { url: url.replace(/\/+$/, ''), key, explicit: true } : undefined;
  }
  if (ELSEWHERE.some(setting)) return undefined;
  return localStackApi();
}

/**
 * The API `npm start` runs, with the read key it generated into the data folder. It has no
 * such file when its keys came from BGA_API_KEYS; then, too, only BGA_API_URL names an API.
 * The key is random per data folder, so the API of another stack on that port refuses it (401),
 * and the command goes direct.
 */
function localStackApi(): ApiTarget | undefined {
  const port = Number(setting('BGA_API_PORT') ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  let keys: unknown;
  try {
    keys = JSON.parse(fs.readFileSync(path.join(dataDir(), 'api-keys.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const read = Array.isArray(keys) ? keys.find((k) => k?.role === 'read' && typeof k.key === 'string') : undefined;
  if (!read) return undefined;
  // An API listening on every interface is reached on loopback.
  const host = setting('BGA_API_HOST') ?? '127.0.0.1';
  const reach = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return { url: `http://${reach.includes(':') ? `[${reach}]` : reach}:${port}`, key: read.key, explicit: false };
}

/** Long enough for a case query behind a busy worker; an API that is silent for longer is not waited for. */
const TIMEOUT_MS = 30_000;

/**
 * One GET, with node's http module rather than fetch: fetch loads its own HTTP stack (undici)
 * on first use, about 50 ms, and refuses some ports outright.
 * No keep-alive, so no idle socket holds the process open after the answer. The body is
 * undefined when it is not JSON.
 */
export function apiGet(target: ApiTarget, route: string): Promise<{ status: number; body: unknown }> {
  const url = `${target.url}${route}`;
  return new Promise((resolve, reject) => {
    const headers = { 'x-api-key': target.key, accept: 'application/json' };
    const request = (url.startsWith('https:') ? https : http).get(url, { headers, agent: false, timeout: TIMEOUT_MS }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('error', reject);
      res.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    request.on('error', reject);
  });
}
