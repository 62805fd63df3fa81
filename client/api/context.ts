import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ActionPendingError, ActionRefusedError, CaseNotFoundError } from '../operations';
import { callerOf } from './auth';
import { type IdempotencyStore, type IdempotentResult, requestHash } from './idempotency';
import { failed, type Outcome, problem } from './problems';
import type { LinksSchema } from './schemas';

/** What the route modules share. */
export interface ApiContext {
  client: Client;
  taskQueue: string;
  idempotency: IdempotencyStore;
  links(caseId: string): z.infer<typeof LinksSchema>;
}

export function linkBuilder(client: Client, uiUrl: string): ApiContext['links'] {
  const ui = uiUrl.replace(/\/+$/, '');
  const namespace = encodeURIComponent(client.options.namespace);
  return (caseId) => ({
    self: `/v1/cases/${encodeURIComponent(caseId)}`,
    temporalUi: `${ui}/namespaces/${namespace}/workflows/${encodeURIComponent(caseId)}`,
  });
}

/** Runs a POST's work under the caller's Idempotency-Key, if it sent one. */
export function idempotently(ctx: ApiContext, request: FastifyRequest, work: () => Promise<Outcome>): Promise<IdempotentResult> {
  const key = request.headers['idempotency-key'];
  const hash = requestHash({ method: request.method, path: request.url, body: request.body });
  return ctx.idempotency.run(callerOf(request).name, typeof key === 'string' ? key : undefined, hash, work);
}

/**
 * The case's request ID for an action: derived from the caller and its Idempotency-Key, so a
 * retry the API cannot answer from its own store (it died mid-request) still reaches the case
 * as the same request, which the case applies once. Without a key, each call is a new request.
 */
export function requestIdFor(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string') return undefined;
  const digest = crypto.createHash('sha256').update(`${callerOf(request).name}\n${request.method} ${request.url}\n${key}`).digest('hex');
  return `api:${digest.slice(0, 40)}`;
}

// Plain FastifyReply: outcomes are checked against the route's response schemas when serialised.
export function sendOutcome(reply: FastifyReply, outcome: Outcome): FastifyReply {
  return reply.code(outcome.status).send(outcome.body);
}

export function respond(reply: FastifyReply, { outcome, replayed }: IdempotentResult): FastifyReply {
  if (replayed) void reply.header('idempotent-replayed', 'true');
  return sendOutcome(reply, outcome);
}

/**
 * The case errors a caller can act on, as responses. `refusedAs` tells a refused action
 * (the case said no) from a case that is still being opened and cannot be read yet.
 */
export function caseFailure(err: unknown, refusedAs: 'action_refused' | 'case_not_ready'): Outcome {
  if (err instanceof CaseNotFoundError) return failed(404, problem('not_found', `There is no case ${err.caseId}.`, { caseId: err.caseId }));
  if (err instanceof ActionRefusedError) {
    const errors = err.problems.flatMap((p) => (p.field ? [{ field: p.field, message: p.message }] : []));
    return failed(refusedAs === 'action_refused' ? 422 : 409, problem(refusedAs, err.message, errors.length ? { errors } : {}));
  }
  if (err instanceof ActionPendingError) return failed(503, problem('action_pending', err.message, { caseId: err.caseId, requestId: err.requestId }));
  throw err;
}
