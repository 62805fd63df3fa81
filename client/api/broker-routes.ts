import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CaseState, daysBetween, isOpen, STAGES } from '../../domain/case';
import { getCase, listCases } from '../operations';
import { callerOf } from './auth';
import { type ApiContext, caseFailure, sendOutcome } from './context';
import type { ApiKey } from './keys';
import { failed, problem } from './problems';
import { apiRegistry, CaseParams, json, PROBLEMS, ProblemSchema } from './schemas';

/*
 * Brokers' self-service: a broker's own cases as the broker should see them, live from each
 * workflow. What is missing, who it waits on and what the client must do; no SSN, staff notes,
 * vendor details or internal settings.
 */

const BrokerCaseSchema = z.object({
  caseId: z.string(),
  carrierName: z.string(),
  applicationNumber: z.string(),
  insuredName: z.string(),
  productType: z.string(),
  plan: z.string(),
  faceAmount: z.number(),
  stage: z.enum(STAGES),
  daysInStage: z.number().int(),
  receivedAt: z.string(),
  notInGoodOrder: z.array(z.string()).describe('What the broker must fix or send before the case can go on'),
  outstanding: z.array(
    z.object({
      description: z.string(),
      status: z.string(),
      waitingOn: z.enum(['BROKER', 'CLIENT_AND_EXAMINER', 'PHYSICIAN', 'CARRIER', 'VENDOR']),
      clientAction: z.string().optional(),
      nextFollowUpOn: z.string().optional(),
    }),
  ),
  documents: z
    .array(
      z.object({
        fileName: z.string(),
        receivedAt: z.string(),
        forWhat: z.string().optional().describe('The requirement or missing item it was sent for'),
        review: z.enum(['RECEIVED', 'ACCEPTED', 'REJECTED']).describe('RECEIVED until the BGA has checked it'),
        rejectedBecause: z.string().optional(),
      }),
    )
    .describe('Files the case received, except medical records from vendors and physicians'),
  decision: z.object({ decision: z.string(), riskClass: z.string().optional(), rating: z.string().optional() }).optional(),
  policyNumber: z.string().optional(),
  outcome: z.object({ outcome: z.string(), reason: z.string() }).optional(),
});
apiRegistry.add(BrokerCaseSchema, { id: 'BrokerCase', description: 'One case as its broker sees it.' });
type BrokerCase = z.infer<typeof BrokerCaseSchema>;

const BrokerCasesSchema = z.object({ npn: z.string(), cases: z.array(BrokerCaseSchema) });
const BrokerCasesQuery = z.object({
  npn: z
    .string()
    .regex(/^\d{4,10}$/, 'must be a National Producer Number of 4-10 digits')
    .optional()
    .describe("Ops and read keys: whose cases. A broker key always gets its own, and may not name another's."),
});

const WAITING_ON = {
  BROKER: 'BROKER',
  CARRIER: 'CARRIER',
  EXAM_VENDOR: 'CLIENT_AND_EXAMINER',
  APS_VENDOR: 'PHYSICIAN',
  INSPECTION_VENDOR: 'VENDOR',
} as const;

/** What the broker sent or may see was received; results fulfilling a vendor's order are medical records, and stay with the BGA. */
function brokerDocuments(s: CaseState): BrokerCase['documents'] {
  const fromVendor = new Set(s.requirements.filter((r) => r.vendorCode).map((r) => r.key));
  return (s.documents ?? [])
    .filter((d) => !(d.requirementKey && fromVendor.has(d.requirementKey)))
    .map((d) => {
      const forWhat = s.requirements.find((r) => r.key === d.requirementKey)?.description ?? s.nigo.items.find((i) => i.key === d.nigoItemKey)?.message;
      return {
        fileName: d.fileName,
        receivedAt: d.receivedAt,
        ...(forWhat ? { forWhat } : {}),
        review: d.review === 'TO_REVIEW' ? 'RECEIVED' : d.review,
        ...(d.review === 'REJECTED' && d.reviewNote ? { rejectedBecause: d.reviewNote } : {}),
      };
    });
}

export function brokerCaseView(s: CaseState, now = new Date().toISOString()): BrokerCase {
  return {
    caseId: s.caseId,
    carrierName: s.carrierName,
    applicationNumber: s.applicationNumber,
    insuredName: s.insuredName,
    productType: s.productType,
    plan: s.plan,
    faceAmount: s.faceAmount,
    stage: s.stage,
    daysInStage: daysBetween(s.stageEnteredAt, now),
    receivedAt: s.receivedAt,
    notInGoodOrder: s.nigo.items.filter((i) => !i.resolved).map((i) => i.message),
    outstanding: s.requirements.filter(isOpen).map((r) => ({
      description: r.description,
      status: r.status,
      waitingOn: WAITING_ON[r.fulfiller],
      ...(r.clientAction ? { clientAction: r.clientAction } : {}),
      ...(r.nextFollowUpOn ? { nextFollowUpOn: r.nextFollowUpOn } : {}),
    })),
    documents: brokerDocuments(s),
    ...(s.decision ? { decision: { decision: s.decision.decision, riskClass: s.decision.riskClass, rating: s.decision.rating } } : {}),
    ...(s.policyNumber ? { policyNumber: s.policyNumber } : {}),
    ...(s.outcome ? { outcome: { outcome: s.outcome.outcome, reason: s.outcome.reason } } : {}),
  };
}

const notYours = (caller: ApiKey, what: string) =>
  failed(403, problem('forbidden', `The API key "${caller.name}" is a broker key for NPN ${caller.role === 'broker' ? caller.npn : '?'}; ${what}.`));

export const brokerRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/v1/broker/cases',
    {
      config: { access: ['broker', 'ops', 'read'] },
      schema: {
        operationId: 'listBrokerCases',
        tags: ['broker'],
        summary: "A broker's open cases, each with what is outstanding and what the client must do",
        querystring: BrokerCasesQuery,
        response: {
          200: json(BrokerCasesSchema, 'Open cases, oldest first'),
          400: PROBLEMS[400],
          401: PROBLEMS[401],
          403: json(ProblemSchema, "The key's role may not do this, or a broker key named another broker (`forbidden`)"),
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const asked = request.query.npn;
      if (caller.role === 'broker' && asked !== undefined && asked !== caller.npn) return sendOutcome(reply, notYours(caller, `it may not list NPN ${asked}'s cases`));
      const npn = caller.role === 'broker' ? caller.npn : asked;
      if (npn === undefined) return sendOutcome(reply, failed(400, problem('invalid_request', 'Name the broker with ?npn=.', { errors: [{ field: 'npn', message: 'is required for ops and read keys' }] })));
      const summaries = await listCases(ctx.client, { brokerNpn: npn });
      // A case closing between the list and its query is simply left out.
      const states = await Promise.all(summaries.map((c) => getCase(ctx.client, c.caseId).catch(() => undefined)));
      const cases = states
        .filter((s): s is CaseState => s !== undefined && s.stage !== 'CLOSED')
        .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
        .map((s) => brokerCaseView(s));
      return sendOutcome(reply, { status: 200, body: { npn, cases } });
    },
  );

  app.get(
    '/v1/broker/cases/:caseId',
    {
      config: { access: ['broker', 'ops', 'read'] },
      schema: {
        operationId: 'getBrokerCase',
        tags: ['broker'],
        summary: 'One case as its broker sees it, open or closed',
        params: CaseParams,
        response: {
          200: json(BrokerCaseSchema, 'The case'),
          401: PROBLEMS[401],
          403: json(ProblemSchema, "The key's role may not do this, or the case is another broker's (`forbidden`)"),
          404: PROBLEMS[404],
          409: json(ProblemSchema, 'The case is still being opened; retry in a few seconds (`case_not_ready`)'),
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { caseId } = request.params;
      let state: CaseState;
      try {
        state = await getCase(ctx.client, caseId);
      } catch (err) {
        const failure = caseFailure(err, 'case_not_ready');
        // A broker key learns nothing about cases that are not its own, not even whether they exist.
        return sendOutcome(reply, caller.role === 'broker' && failure.status === 404 ? notYours(caller, `case ${caseId} is not one of its cases`) : failure);
      }
      if (caller.role === 'broker' && state.broker.npn !== caller.npn) return sendOutcome(reply, notYours(caller, `case ${caseId} is not one of its cases`));
      return sendOutcome(reply, { status: 200, body: brokerCaseView(state) });
    },
  );
};
