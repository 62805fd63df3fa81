import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { CaseState } from '../../domain/case';
import { act, getCase } from '../operations';
import { actorFor, callerOf } from './auth';
import { type ApiContext, caseFailure, idempotently, requestIdFor, respond, sendOutcome } from './context';
import type { ApiKey } from './keys';
import { failed, type Outcome, problem } from './problems';
import { ACTOR_NOTE, IdempotencyHeaders, json, PROBLEMS, ProblemSchema, RequirementParams, VendorOrderSchema, VendorStatusBody } from './schemas';

type VendorOrder = z.infer<typeof VendorOrderSchema>;

/** The one order a vendor may see, and nothing else of the case. */
export function vendorOrderView(state: CaseState, key: string): VendorOrder | undefined {
  const r = state.requirements.find((req) => req.key === key);
  if (!r) return undefined;
  return {
    caseId: state.caseId,
    applicationNumber: state.applicationNumber,
    carrierCode: state.carrierCode,
    caseOpen: state.stage !== 'CLOSED',
    requirement: {
      key: r.key,
      code: r.code,
      description: r.description,
      status: r.status,
      requestedOn: r.requestedOn,
      statusAt: r.statusAt,
      providerOrderNumber: r.providerOrderNumber,
      scheduledFor: r.scheduledFor,
      fulfilledOn: r.fulfilledOn,
      nextFollowUpOn: r.nextFollowUpOn,
      history: r.history.map((h) => ({ status: h.status, at: h.at })),
    },
  };
}

/**
 * The case's order for `key`, if the caller may see it. A vendor key gets the same 403 for
 * another vendor's order, a key the case does not have and a case that does not exist, so it
 * cannot probe cases.
 */
async function orderFor(ctx: ApiContext, caller: ApiKey, caseId: string, key: string): Promise<{ order: VendorOrder } | { denied: Outcome }> {
  const notItsOrder = () =>
    failed(403, problem('forbidden', `Requirement ${key} on case ${caseId} was not ordered from ${caller.role === 'vendor' ? caller.vendor : '?'}; this key may see and report only its own orders.`));
  let state: CaseState;
  try {
    state = await getCase(ctx.client, caseId);
  } catch (err) {
    const failure = caseFailure(err, 'case_not_ready');
    // Nor whether a case it has no order on exists.
    return { denied: caller.role === 'vendor' && failure.status === 404 ? notItsOrder() : failure };
  }
  const order = vendorOrderView(state, key);
  const vendorCode = state.requirements.find((r) => r.key === key)?.vendorCode;
  if (caller.role === 'vendor' && (!order || vendorCode !== caller.vendor)) return { denied: notItsOrder() };
  if (!order) return { denied: failed(404, problem('not_found', `Case ${caseId} has no requirement ${key}.`, { caseId })) };
  return { order };
}

const responses = {
  200: json(VendorOrderSchema, 'The order as it stands'),
  401: PROBLEMS[401],
  403: json(ProblemSchema, "The key's role may not do this, or the order is another vendor's (`forbidden`)"),
  404: json(ProblemSchema, 'No such case, or (for ops keys) no such requirement on it (`not_found`)'),
  409: json(ProblemSchema, 'The Idempotency-Key is in use by a request still running, or the case is still being opened'),
};

/** Exam, APS and inspection vendors: read and report on their own orders, and see nothing else. */
export const vendorRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/v1/vendor/requirements/:caseId/:key',
    {
      config: { access: ['ops', 'vendor'] },
      schema: {
        operationId: 'getVendorOrder',
        tags: ['vendor'],
        summary: 'An exam or APS vendor reads the status of its order',
        params: RequirementParams,
        response: responses,
      },
    },
    async (request, reply) => {
      const { caseId, key } = request.params;
      const found = await orderFor(ctx, callerOf(request), caseId, key);
      return sendOutcome(reply, 'denied' in found ? found.denied : { status: 200, body: found.order });
    },
  );

  app.post(
    '/v1/vendor/requirements/:caseId/:key/status',
    {
      config: { access: ['ops', 'vendor'] },
      schema: {
        operationId: 'reportVendorStatus',
        tags: ['vendor'],
        summary: 'An exam or APS vendor reports the status of its order',
        description: `Records the status on the case (the vendor-status action) and returns the order afterwards. ${ACTOR_NOTE}`,
        headers: IdempotencyHeaders,
        params: RequirementParams,
        body: VendorStatusBody,
        response: { ...responses, 422: json(ProblemSchema, 'Invalid body (`invalid_request`), the case refused the report (`action_refused`), or the Idempotency-Key was used for another request') },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { caseId, key } = request.params;
      // Checked before acting, so a refused report leaves no trace in the case.
      const found = await orderFor(ctx, caller, caseId, key);
      if ('denied' in found) return sendOutcome(reply, found.denied);
      return respond(
        reply,
        await idempotently(ctx, request, async () => {
          try {
            const requestId = requestIdFor(request);
            const state = await act(ctx.client, caseId, 'vendor-status', { ...request.body, key, actor: actorFor(caller) }, requestId ? { requestId } : {});
            return { status: 200, body: vendorOrderView(state, key)! };
          } catch (err) {
            return caseFailure(err, 'action_refused');
          }
        }),
      );
    },
  );
};
