import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type ApiKey, type KeyRing, type Role } from './keys';
import { problem } from './problems';

/** Who may call a route: nobody needs a key for `public`; otherwise the roles listed. */
export type Access = 'public' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /** The API key the request was made with; null on public routes. */
    caller: ApiKey | null;
  }
}

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return bearer?.[1];
}

/**
 * Checks the key and the role before the body is even read, so a refused request can
 * change nothing. A route that forgets to declare its access is open to ops keys only.
 */
export function installAuthentication(app: FastifyInstance, keys: KeyRing): void {
  app.decorateRequest('caller', null);
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access ?? ['ops'];
    if (access === 'public') return;
    const presented = presentedKey(request);
    const caller = presented === undefined ? undefined : keys.find(presented);
    if (!caller) {
      const message =
        presented === undefined
          ? 'Send your API key in the x-api-key header (or as Authorization: Bearer <key>).'
          : 'The API key is not recognised.';
      return reply.code(401).header('www-authenticate', 'Bearer').send(problem('unauthorized', message));
    }
    // Any valid key may learn that a route does not exist; only the route's roles may use it.
    if (!request.is404 && !access.includes(caller.role)) {
      return reply
        .code(403)
        .send(problem('forbidden', `The API key "${caller.name}" (role ${caller.role}) may not call ${request.method} ${request.routeOptions.url}.`));
    }
    request.caller = caller;
  });
}

/** The caller of an authenticated route; a route reaching here without one is a wiring mistake. */
export function callerOf(request: FastifyRequest): ApiKey {
  if (!request.caller) throw new Error(`${request.method} ${request.url} has no authenticated caller; is its access 'public'?`);
  return request.caller;
}

/** The actor recorded in case history for actions taken through the API. */
export const actorFor = (caller: ApiKey): string => `api:${caller.name}`;
