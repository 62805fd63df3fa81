import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { FieldError } from '../../domain/application';
import type { ErrorCode, Problem } from './schemas';

/** What a handler decided: kept whole so an idempotent replay can return it unchanged. */
export interface Outcome {
  status: number;
  body: object;
}

export const problem = (error: ErrorCode, message: string, extra: Omit<Partial<Problem>, 'error' | 'message'> = {}): Problem => ({
  error,
  message,
  ...extra,
});

export const failed = (status: number, body: Problem): Outcome => ({ status, body });

/** `/insured/ssn` → `insured.ssn`, the same field names validateApplication reports. */
const fieldOf = (instancePath: string): string => instancePath.replace(/^\//, '').replace(/\//g, '.') || '(root)';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The error code for a body that fails its schema; `invalid_request` when not set. */
    invalidBody?: ErrorCode;
  }
}

/** One error shape for every failure, including Fastify's own (bad JSON, unknown route). */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler<FastifyError>((err, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const errors: FieldError[] = err.validation.map((v) => ({ field: fieldOf(v.instancePath), message: v.message ?? 'is not valid' }));
      const where = err.validationContext ?? 'request';
      if (where === 'body') {
        const code = request.routeOptions.config.invalidBody ?? 'invalid_request';
        return reply.code(422).send(problem(code, 'The request body is not valid; see errors.', { errors }));
      }
      return reply.code(400).send(problem('invalid_request', `The request ${where} is not valid; see errors.`, { errors }));
    }
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status === 429) return reply.code(429).send(problem('rate_limited', err.message));
    if (status < 500) return reply.code(status).send(problem('bad_request', err.message));
    request.log.error({ err }, 'request failed');
    return reply.code(500).send(problem('internal_error', 'The request could not be completed; it was logged. Retry later.'));
  });

  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(problem('not_found', `There is no ${request.method} ${request.url.split('?')[0]}; see GET /v1/openapi.json.`));
  });
}
