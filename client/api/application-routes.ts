import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AlreadySubmittedError, InvalidApplicationError, submitApplication } from '../cases';
import { type ApiContext, idempotently, respond } from './context';
import { failed, type Outcome, problem } from './problems';
import { ApplicationBody, IdempotencyHeaders, json, PROBLEMS, ProblemSchema, SubmittedSchema } from './schemas';

async function submit(ctx: ApiContext, application: { carrier: string; applicationNumber: string }): Promise<Outcome> {
  try {
    const { caseId, runId } = await submitApplication(ctx.client, ctx.taskQueue, application);
    return { status: 201, body: { caseId, runId, links: ctx.links(caseId) } };
  } catch (err) {
    if (err instanceof InvalidApplicationError) {
      return failed(422, problem('invalid_application', 'The application is not valid; see errors.', { errors: err.errors }));
    }
    if (err instanceof AlreadySubmittedError) {
      const message = `Application ${application.applicationNumber} for ${application.carrier} was already submitted as case ${err.caseId}; no second case was started.`;
      return failed(409, problem('already_submitted', message, { caseId: err.caseId, links: ctx.links(err.caseId) }));
    }
    throw err;
  }
}

export const applicationRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.post(
    '/v1/applications',
    {
      config: { access: ['ops'], invalidBody: 'invalid_application' },
      schema: {
        operationId: 'submitApplication',
        tags: ['applications'],
        summary: 'Submit an application package; its case starts at once',
        description:
          'The case ID is the business key (carrier + application number), so the same application submitted twice ' +
          'is refused with 409 and the existing case ID. Field errors come back as 422 `invalid_application`.',
        headers: IdempotencyHeaders,
        body: ApplicationBody,
        response: {
          201: json(SubmittedSchema, 'The case is started'),
          400: PROBLEMS[400],
          401: PROBLEMS[401],
          403: PROBLEMS[403],
          409: json(ProblemSchema, 'Already submitted (`already_submitted`, with the caseId), or the Idempotency-Key is in use by a request still running'),
          422: json(ProblemSchema, 'The application is not valid (`invalid_application`, with field errors), or the Idempotency-Key was used for another request'),
        },
      },
    },
    async (request, reply) => respond(reply, await idempotently(ctx, request, () => submit(ctx, request.body))),
  );
};
