import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../../platform/db';
import { caseEmails } from '../case-emails';
import { getCase, listCases } from '../operations';
import { type ApiContext, caseFailure, sendOutcome } from './context';
import { CaseEmailsSchema, CaseListQuery, CaseListSchema, CaseParams, CaseStateSchema, json, PROBLEMS, ProblemSchema } from './schemas';

/** Reads for ops tools and dashboards. Vendors get none: they see only their actions' results. */
export const caseRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext; db: Db }> = async (app, { ctx, db }) => {
  app.get(
    '/v1/cases',
    {
      config: { access: ['ops', 'read'] },
      schema: {
        operationId: 'listCases',
        tags: ['cases'],
        summary: 'Find cases; open cases only unless all=true. At most 200 are returned.',
        querystring: CaseListQuery,
        response: { 200: json(CaseListSchema, 'Matching cases'), 400: PROBLEMS[400], 401: PROBLEMS[401], 403: PROBLEMS[403] },
      },
    },
    async (request) => {
      const { stage, carrier, broker, outstanding, olderThanDays, all } = request.query;
      const cases = await listCases(ctx.client, { stage, carrier, brokerNpn: broker, outstanding, olderThanDays, all });
      return { cases };
    },
  );

  app.get(
    '/v1/cases/:caseId',
    {
      config: { access: ['ops', 'read'] },
      schema: {
        operationId: 'getCase',
        tags: ['cases'],
        summary: 'The case as it stands now',
        params: CaseParams,
        response: {
          200: json(CaseStateSchema, 'The case'),
          401: PROBLEMS[401],
          403: PROBLEMS[403],
          404: PROBLEMS[404],
          409: json(ProblemSchema, 'The case is still being opened; retry in a few seconds (`case_not_ready`)'),
        },
      },
    },
    async (request, reply) => {
      try {
        return sendOutcome(reply, { status: 200, body: await getCase(ctx.client, request.params.caseId) });
      } catch (err) {
        return sendOutcome(reply, caseFailure(err, 'case_not_ready'));
      }
    },
  );

  app.get(
    '/v1/cases/:caseId/emails',
    {
      config: { access: ['ops', 'read'] },
      schema: {
        operationId: 'getCaseEmails',
        tags: ['cases'],
        // Read from PostgreSQL alone, so it costs no Temporal query; the case route says whether the case exists.
        summary: "The case's emails, from PostgreSQL; none for a case ID that has sent none or does not exist",
        params: CaseParams,
        response: { 200: json(CaseEmailsSchema, "The case's emails, with links to the case"), 401: PROBLEMS[401], 403: PROBLEMS[403] },
      },
    },
    async (request) => {
      const { caseId } = request.params;
      return { caseId, emails: await caseEmails(db, caseId), links: ctx.links(caseId) };
    },
  );
};
