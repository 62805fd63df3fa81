import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { act, ACTION_NAMES, type ActionName, getCase } from '../operations';
import { actorFor, callerOf } from './auth';
import { type ApiContext, caseFailure, idempotently, respond, sendOutcome } from './context';
import type { ApiKey } from './keys';
import { failed, type Outcome, problem } from './problems';
import {
  ACTION_BODIES,
  ACTOR_NOTE,
  CaseParams,
  CaseStateSchema,
  IdempotencyHeaders,
  json,
  PROBLEMS,
  ProblemSchema,
  RequirementParams,
  VendorStatusBody,
} from './schemas';

const actionResponses = {
  200: json(CaseStateSchema, 'The case after the action'),
  400: PROBLEMS[400],
  401: PROBLEMS[401],
  403: json(ProblemSchema, "The key's role may not do this, or a vendor key reports on another vendor's requirement (`forbidden`)"),
  404: PROBLEMS[404],
  409: json(ProblemSchema, 'The Idempotency-Key is in use by a request still running, or the case is still being opened'),
  422: json(ProblemSchema, 'Invalid body (`invalid_request`), the case refused the action (`action_refused`), or the Idempotency-Key was used for another request'),
};

async function perform(ctx: ApiContext, caller: ApiKey, caseId: string, action: ActionName, input: Record<string, unknown>): Promise<Outcome> {
  try {
    return { status: 200, body: await act(ctx.client, caseId, action, { ...input, actor: actorFor(caller) }) };
  } catch (err) {
    return caseFailure(err, 'action_refused');
  }
}

/**
 * A vendor key may report only on requirements ordered from its own vendor. Checked against
 * the case before acting, so a refused report leaves no trace in the case.
 */
async function outsideVendorScope(ctx: ApiContext, caller: ApiKey, caseId: string, key: string): Promise<Outcome | undefined> {
  if (caller.role !== 'vendor') return undefined;
  let vendorCode: string | undefined;
  try {
    vendorCode = (await getCase(ctx.client, caseId)).requirements.find((r) => r.key === key)?.vendorCode;
  } catch (err) {
    return caseFailure(err, 'case_not_ready');
  }
  if (vendorCode === caller.vendor) return undefined;
  return failed(403, problem('forbidden', `Requirement ${key} on case ${caseId} was not ordered from ${caller.vendor}; this key may report only on its own orders.`));
}

const camel = (action: string) => action.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

export const actionRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  for (const action of ACTION_NAMES) {
    app.post(
      `/v1/cases/:caseId/actions/${action}`,
      {
        config: { access: action === 'vendor-status' ? ['ops', 'vendor'] : ['ops'] },
        schema: {
          operationId: camel(action),
          tags: ['actions'],
          summary: `Case action: ${action}`,
          description: `Runs \`${action}\` on the case and returns the case afterwards. The case refuses what does not fit it with 422 \`action_refused\`. ${ACTOR_NOTE}`,
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
        // Only vendor-status is open to vendor keys; its body schema requires the requirement key.
        const denied = action === 'vendor-status' ? await outsideVendorScope(ctx, caller, caseId, String(body.key)) : undefined;
        if (denied) return sendOutcome(reply, denied);
        return respond(reply, await idempotently(ctx, request, () => perform(ctx, caller, caseId, action, body)));
      },
    );
  }

  app.post(
    '/v1/vendor/requirements/:caseId/:key/status',
    {
      config: { access: ['ops', 'vendor'] },
      schema: {
        operationId: 'reportVendorStatus',
        tags: ['vendor'],
        summary: 'An exam or APS vendor reports the status of its order',
        description: `The same as the vendor-status action, with the case and requirement in the path. ${ACTOR_NOTE}`,
        headers: IdempotencyHeaders,
        params: RequirementParams,
        body: VendorStatusBody,
        response: actionResponses,
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { caseId, key } = request.params;
      const denied = await outsideVendorScope(ctx, caller, caseId, key);
      if (denied) return sendOutcome(reply, denied);
      return respond(reply, await idempotently(ctx, request, () => perform(ctx, caller, caseId, 'vendor-status', { ...request.body, key })));
    },
  );
};
