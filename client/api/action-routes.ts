import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { act, type ActionName, OPS_ACTION_NAMES } from '../operations';
import { actorFor, callerOf } from './auth';
import { type ApiContext, caseFailure, idempotently, requestIdFor, respond } from './context';
import type { ApiKey } from './keys';
import type { Outcome } from './problems';
import { ACTION_BODIES, ACTOR_NOTE, CaseParams, CaseStateSchema, IdempotencyHeaders, json, PROBLEMS, ProblemSchema } from './schemas';

const actionResponses = {
  200: json(CaseStateSchema, 'The case after the action'),
  400: PROBLEMS[400],
  401: PROBLEMS[401],
  403: PROBLEMS[403],
  404: PROBLEMS[404],
  409: json(ProblemSchema, 'The Idempotency-Key is in use by a request still running, or the case is still being opened'),
  422: json(ProblemSchema, 'Invalid body (`invalid_request`), the case refused the action (`action_refused`), or the Idempotency-Key was used for another request'),
  503: json(ProblemSchema, 'The case has the action but has not taken it yet (`action_pending`, its worker is down or busy); retry with the same Idempotency-Key'),
};

async function perform(ctx: ApiContext, caller: ApiKey, caseId: string, action: ActionName, input: Record<string, unknown>, requestId: string | undefined): Promise<Outcome> {
  try {
    return { status: 200, body: await act(ctx.client, caseId, action, { ...input, actor: actorFor(caller) }, requestId ? { requestId } : {}) };
  } catch (err) {
    return caseFailure(err, 'action_refused');
  }
}

const camel = (action: string) => action.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

export const actionRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  for (const action of OPS_ACTION_NAMES) {
    app.post(
      `/v1/cases/:caseId/actions/${action}`,
      {
        config: { access: ['ops'] },
        schema: {
          operationId: camel(action),
          tags: ['actions'],
          summary: `Case action: ${action}`,
          description: `Runs \`${action}\` on the case and returns the case afterwards, once the change is in effect and recorded. With an \`Idempotency-Key\`, the case applies the action once however often it is sent. The case refuses what does not fit it with 422 \`action_refused\`. ${ACTOR_NOTE}`,
          headers: IdempotencyHeaders,
          params: CaseParams,
          body: ACTION_BODIES[action],
          response: actionResponses,
        },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        const { caseId } = request.params;
        const body = request.body as Record<string, unknown>;
        return respond(reply, await idempotently(ctx, request, () => perform(ctx, caller, caseId, action, body, requestIdFor(request))));
      },
    );
  }
};
