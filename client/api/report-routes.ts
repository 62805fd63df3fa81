import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AGEING_BUCKETS } from '../../activities/reports/pipeline';
import type { Db } from '../../platform/db';
import {
  DEFAULT_QUIET_DAYS,
  getPipelineReport,
  getWorklist,
  type PendingCaseReportsResult,
  type PipelineReport,
  sendPendingReportsNow,
  type Worklist,
} from '../reports';
import type { ApiContext } from './context';
import { apiRegistry, json, PROBLEMS } from './schemas';

/*
 * The manager's reports. The schemas restate the report types and are checked against them
 * (`satisfies`), so a field added to a report fails the type check until the document has it.
 */

/** Registered in the API's registry, so the OpenAPI document names them as components. */
function component<S extends z.ZodType>(schema: S, id: string, description: string): S {
  apiRegistry.add(schema, { id, description });
  return schema;
}

const caseTotals = { cases: z.number().int(), faceAmount: z.number() };
const durations = z.object({ count: z.number().int(), medianDays: z.number().nullable(), p90Days: z.number().nullable() });
const openRequirements = { open: z.number().int(), oldestOpenDays: z.number().int() };

const PipelineReportSchema = component(
  z.object({
    asOf: z.string(),
    open: z.object(caseTotals),
    openByStage: z.array(z.object({ stage: z.string(), ...caseTotals })),
    ageing: z.array(z.object({ bucket: z.enum(AGEING_BUCKETS), ...caseTotals })),
    nigo: z.object({ since: z.string(), received: z.number().int(), nigo: z.number().int(), rate: z.number().nullable() }),
    cycleTimes: z.object({ byStage: z.array(durations.extend({ stage: z.string() })), receiptToClose: durations }),
    outstandingRequirements: z.object({
      byCode: z.array(z.object({ code: z.string(), ...openRequirements })),
      byVendor: z.array(z.object({ vendorCode: z.string().nullable(), ...openRequirements })),
    }),
    daysToAppointment: z.array(z.object({ carrierCode: z.string(), appointed: z.number().int(), medianDays: z.number().nullable() })),
  }) satisfies z.ZodType<PipelineReport>,
  'PipelineReport',
  'Open cases by stage and by days since receipt (face amounts in dollars), the NIGO rate over the last 90 days, cycle times in days ' +
    '(to 0.01; null when nothing has finished), outstanding requirements (vendorCode null: owed by the broker, client or carrier), ' +
    'and per carrier with an appointed contracting request, the median calendar days from the request opening to the appointment.',
);

const PendingReportsSchema = component(
  z.object({
    weekOf: z.string(),
    reports: z.array(
      z.object({ npn: z.string(), status: z.enum(['SENT', 'ALREADY_SENT', 'UNCONFIRMED', 'NO_OPEN_CASES', 'FAILED']), error: z.string().optional() }),
    ),
  }) satisfies z.ZodType<PendingCaseReportsResult>,
  'PendingReportsResult',
  "Each broker with open cases and what became of their report; FAILED carries the delivery error.",
);

const worklistCase = z.object({
  caseId: z.string(),
  carrierCode: z.string(),
  applicationNumber: z.string(),
  stage: z.string(),
  brokerNpn: z.string(),
  brokerName: z.string(),
  daysInStage: z.number().int(),
  daysSinceActivity: z.number().int(),
});

const WorklistSchema = component(
  z.object({
    asOf: z.string(),
    quietDays: z.number().int(),
    emails: z.array(
      z.object({
        key: z.string(),
        caseId: z.string().nullable(),
        to: z.string(),
        subject: z.string(),
        status: z.enum(['UNCONFIRMED', 'FAILED', 'STALLED']),
        attempts: z.number().int(),
        lastError: z.string().nullable(),
        createdAt: z.string(),
      }),
    ),
    contractingHolds: z.array(worklistCase),
    offersAwaitingAnswer: z.array(worklistCase),
    escalatedRequirements: z.array(
      z.object({
        caseId: z.string(),
        key: z.string(),
        description: z.string(),
        status: z.string(),
        waitingOn: z.string(),
        followUps: z.number().int(),
        daysOpen: z.number().int(),
      }),
    ),
    quietCases: z.array(worklistCase),
    refusedOrders: z.array(
      z.object({ caseId: z.string(), key: z.string(), description: z.string(), vendorCode: z.string(), reason: z.string(), refusedAt: z.string() }),
    ),
    refusedSubmissions: z.array(z.object({ caseId: z.string(), carrierCode: z.string(), applicationNumber: z.string(), reason: z.string(), refusedAt: z.string() })),
    documentsToReview: z.array(
      z.object({
        caseId: z.string(),
        documentId: z.string(),
        fileName: z.string(),
        source: z.string(),
        sender: z.string(),
        forWhat: z.string().nullable(),
        receivedAt: z.string(),
        daysWaiting: z.number().int(),
      }),
    ),
    unmatchedMail: z.array(z.object({ mailId: z.string(), from: z.string(), subject: z.string(), receivedAt: z.string() })),
    contracting: z.array(
      z.object({
        npn: z.string(),
        brokerName: z.string(),
        carrierCode: z.string(),
        workflowId: z.string(),
        stage: z.string(),
        waitingOn: z.string().nullable(),
        missing: z.array(z.string()),
        casesWaiting: z.number().int(),
        daysInStage: z.number().int(),
      }),
    ),
  }) satisfies z.ZodType<Worklist>,
  'Worklist',
  'What needs a person now: emails whose delivery is unconfirmed or failing, cases held for contracting, counter-offers awaiting an answer, ' +
    'open requirements chased as often as the carrier allows, open cases with no activity for quietDays or more, ' +
    'orders a vendor refused for good on requirements still outstanding, submissions a carrier refused for good, ' +
    'documents waiting for review, inbound mail that matched no case, ' +
    'and contracting requests still running (stage COLLECTING_PACKET, VERIFYING_LICENSE or AT_CARRIER; waitingOn BROKER, BGA or CARRIER), longest in their stage first.',
);

const WorklistQuery = z.object({
  quietDays: z.coerce.number().int().min(1).max(365).default(DEFAULT_QUIET_DAYS).describe('A case with no activity for this many days is listed'),
});

export const reportRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext; db: Db }> = async (app, { ctx, db }) => {
  app.get(
    '/v1/reports/pipeline',
    {
      config: { access: ['ops', 'read'] },
      schema: {
        operationId: 'getPipelineReport',
        tags: ['reports'],
        summary: 'The pipeline as of now, read from the system of record',
        response: { 200: json(PipelineReportSchema, 'The pipeline report'), 401: PROBLEMS[401], 403: PROBLEMS[403] },
      },
    },
    async () => getPipelineReport(db),
  );

  app.get(
    '/v1/reports/worklist',
    {
      config: { access: ['ops', 'read'] },
      schema: {
        operationId: 'getWorklist',
        tags: ['reports'],
        summary: "The case managers' queue: what the workflows cannot settle by themselves",
        querystring: WorklistQuery,
        response: { 200: json(WorklistSchema, 'The worklist'), 400: PROBLEMS[400], 401: PROBLEMS[401], 403: PROBLEMS[403] },
      },
    },
    async (request) => getWorklist(db, request.query.quietDays),
  );

  // No Idempotency-Key: a repeat the same day sends nothing twice, as each email is keyed by broker and date.
  app.post(
    '/v1/reports/pending',
    {
      config: { access: ['ops'] },
      schema: {
        operationId: 'sendPendingReports',
        tags: ['reports'],
        summary: "Email each broker with open cases their pending-case report now; answers when every broker's outcome is known",
        response: { 200: json(PendingReportsSchema, "Each broker's outcome"), 401: PROBLEMS[401], 403: PROBLEMS[403] },
      },
    },
    async () => sendPendingReportsNow(ctx.client, ctx.taskQueue),
  );
};
