import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CONTRACTING_STAGES, type ContractingActionName, CancelSchema, CarrierAppointedSchema, CarrierDeclinedSchema, ReceiveItemSchema, RejectItemSchema } from '../../domain/contracting-core';
import type { Db } from '../../platform/db';
import { actOnContracting, ContractingNotFoundError, ContractingPendingError, contractingView, listContracting, startContracting } from '../contracting';
import { ActionRefusedError } from '../case-errors';
import { actorFor, callerOf } from './auth';
import { type ApiContext, idempotently, requestIdFor, respond, sendOutcome } from './context';
import { failed, type Outcome, problem } from './problems';
import { component, IdempotencyHeaders, json, PROBLEMS, ProblemSchema, withoutActor } from './schemas';

/*
 * Contracting requests over HTTP: list and read them, start one, and send the inputs contracting
 * staff give (packet items, the carrier's answer). Each input runs as `bga contracting` runs it.
 */

const MissingSchema = z.object({ item: z.string(), description: z.string(), waitingOn: z.enum(['BROKER', 'BGA', 'CARRIER']), problem: z.string().optional() });

const ContractingViewSchema = component(
  z.object({
    id: z.string().describe('The workflow ID and the instant the request opened'),
    workflowId: z.string(),
    state: z.looseObject({
      npn: z.string(),
      brokerName: z.string(),
      carrierCode: z.string(),
      carrierName: z.string(),
      stage: z.enum(CONTRACTING_STAGES),
      stageEnteredAt: z.string(),
      cases: z.array(z.looseObject({ caseId: z.string(), state: z.string() })),
      events: z.array(z.object({ type: z.string(), at: z.string(), actor: z.string(), description: z.string() })),
    }),
    missing: z.array(MissingSchema),
    waitingOn: z.enum(['BROKER', 'BGA', 'CARRIER']).optional(),
    requests: z.array(z.looseObject({ id: z.string(), action: z.string(), status: z.enum(['APPLIED', 'REFUSED']) })),
  }),
  'ContractingRequest',
  'One running contracting request, live from its workflow.',
);

const ContractingRowSchema = component(
  z.object({
    id: z.string(),
    workflowId: z.string(),
    npn: z.string(),
    brokerName: z.string(),
    carrierCode: z.string(),
    stage: z.string(),
    waitingOn: z.string().nullable(),
    missing: z.array(MissingSchema),
    caseIds: z.array(z.string()),
    openedAt: z.string(),
    stageEnteredAt: z.string(),
    appointedOn: z.string().nullable(),
    outcomeReason: z.string().nullable(),
  }),
  'ContractingRecord',
  'A contracting request as PostgreSQL holds it, running or ended.',
);

const NpnCarrierParams = z.object({
  npn: z.string().regex(/^\d{4,10}$/, 'must be a National Producer Number of 4-10 digits'),
  carrier: z.string().min(1).max(40).transform((c) => c.toUpperCase()),
});

const StartBody = component(
  z.object({ npn: z.string(), carrier: z.string(), residentState: z.string().optional().describe("The broker's resident state, when the broker record lacks it") }),
  'StartContracting',
);

type ItemBody = z.ZodObject<{ item: z.ZodLiteral<string> }>;
const RECEIVE_BODIES = (ReceiveItemSchema.options as readonly z.ZodObject<z.ZodRawShape>[]).map((o) =>
  o.omit({ actor: true, file: true } as Record<string, true>),
) as unknown as [ItemBody, ...ItemBody[]];

const BODIES = {
  // No `file` over HTTP: a packet file is one `bga contracting receive --file` has put in the store itself.
  'receive-item': component(z.discriminatedUnion('item', RECEIVE_BODIES), 'ReceiveContractingItem'),
  'reject-item': component(withoutActor(RejectItemSchema), 'RejectContractingItem'),
  'carrier-appointed': component(withoutActor(CarrierAppointedSchema), 'CarrierAppointed'),
  'carrier-declined': component(withoutActor(CarrierDeclinedSchema), 'CarrierDeclined'),
  cancel: component(withoutActor(CancelSchema), 'CancelContracting'),
} satisfies Partial<Record<ContractingActionName, z.ZodType>>;

const changeResponses = {
  200: json(ContractingViewSchema, 'The request after the input, once it is in effect and recorded'),
  400: PROBLEMS[400],
  401: PROBLEMS[401],
  403: PROBLEMS[403],
  404: PROBLEMS[404],
  409: json(ProblemSchema, 'The Idempotency-Key is in use by a request still running'),
  422: json(ProblemSchema, 'Invalid body (`invalid_request`), or the request refused the input (`action_refused`); `errors` names the field'),
  503: json(ProblemSchema, 'The request has the input but has not taken it yet (`action_pending`); retry with the same Idempotency-Key'),
};

function contractingFailure(err: unknown): Outcome {
  if (err instanceof ContractingNotFoundError) return failed(404, problem('not_found', err.message));
  if (err instanceof ActionRefusedError) {
    const errors = err.problems.flatMap((p) => (p.field ? [{ field: p.field, message: p.message }] : []));
    return failed(422, problem('action_refused', err.message, errors.length ? { errors } : {}));
  }
  if (err instanceof ContractingPendingError) return failed(503, problem('action_pending', err.message));
  throw err;
}

const camel = (name: string) => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

export const contractingRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext; db: Db }> = async (app, { ctx, db }) => {
  app.get(
    '/v1/contracting',
    {
      config: { access: ['ops', 'read'] },
      schema: {
        operationId: 'listContracting',
        tags: ['contracting'],
        summary: 'Contracting requests, newest first',
        querystring: z.object({
          npn: z.string().regex(/^\d{4,10}$/, 'must be a National Producer Number of 4-10 digits').optional(),
          open: z.enum(['true', 'false']).optional().describe('true: only requests still running'),
        }),
        response: { 200: json(z.object({ contracting: z.array(ContractingRowSchema) }), 'The requests'), 400: PROBLEMS[400], 401: PROBLEMS[401], 403: PROBLEMS[403] },
      },
    },
    async (request, reply) => {
      const { npn, open } = request.query;
      const rows = await listContracting(db, { ...(npn ? { npn } : {}), open: open === 'true' });
      return sendOutcome(reply, { status: 200, body: { contracting: rows } });
    },
  );

  app.get(
    '/v1/contracting/:npn/:carrier',
    {
      config: { access: ['ops', 'read'] },
      schema: {
        operationId: 'getContracting',
        tags: ['contracting'],
        summary: 'The running contracting request for a broker and carrier: what is missing and who it waits on',
        params: NpnCarrierParams,
        response: { 200: json(ContractingViewSchema, 'The request'), 401: PROBLEMS[401], 403: PROBLEMS[403], 404: PROBLEMS[404] },
      },
    },
    async (request, reply) => {
      const { npn, carrier } = request.params;
      const view = await contractingView(ctx.client, npn, carrier);
      if (!view) return sendOutcome(reply, contractingFailure(new ContractingNotFoundError(npn, carrier)));
      return sendOutcome(reply, { status: 200, body: view });
    },
  );

  app.post(
    '/v1/contracting',
    {
      config: { access: ['ops'] },
      schema: {
        operationId: 'startContracting',
        tags: ['contracting'],
        summary: 'Start contracting for a broker with a carrier, or get the request already running',
        headers: IdempotencyHeaders,
        body: StartBody,
        response: changeResponses,
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const body = request.body;
      return respond(
        reply,
        await idempotently(ctx, request, async () => {
          try {
            const view = await startContracting(ctx.client, ctx.taskQueue, db, { npn: body.npn, carrier: body.carrier, actor: actorFor(caller), ...(body.residentState ? { residentState: body.residentState } : {}) });
            return { status: 200, body: view };
          } catch (err) {
            return contractingFailure(err);
          }
        }),
      );
    },
  );

  for (const [action, body] of Object.entries(BODIES) as [keyof typeof BODIES, z.ZodType][]) {
    app.post(
      `/v1/contracting/:npn/:carrier/actions/${action}`,
      {
        config: { access: ['ops'] },
        schema: {
          operationId: `contracting${camel(`-${action}`)}`,
          tags: ['contracting'],
          summary: `Contracting input: ${action}`,
          headers: IdempotencyHeaders,
          params: NpnCarrierParams,
          body,
          response: changeResponses,
        },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        const { npn, carrier } = request.params;
        const input = { ...(request.body as Record<string, unknown>), actor: actorFor(caller) };
        return respond(
          reply,
          await idempotently(ctx, request, async () => {
            try {
              return { status: 200, body: await actOnContracting(ctx.client, npn, carrier, action, input, requestIdFor(request)) };
            } catch (err) {
              return contractingFailure(err);
            }
          }),
        );
      },
    );
  }
};
