import type { MultipartFile } from '@fastify/multipart';
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { CaseState } from '../../domain/case';
import type { DocumentStore } from '../../platform/document-store';
import { receiveDocument } from '../documents';
import { getCase } from '../operations';
import { actorFor, callerOf } from './auth';
import { type ApiContext, caseFailure, sendOutcome } from './context';
import type { ApiKey } from './keys';
import { failed, type Outcome, problem } from './problems';
import { CaseParams, DocumentListSchema, DocumentParams, DocumentReceiptSchema, json, PROBLEMS, ProblemSchema } from './schemas';

/*
 * Files on a case over HTTP: an upload, the list, and the content. Uploads go through the same
 * intake as `bga document add` and email replies, so each path refuses the same files the same way.
 */

export interface ApiDocuments {
  store: DocumentStore;
  /** The largest file accepted, in bytes (BGA_DOCUMENT_MAX_MB). */
  maxBytes: number;
}

interface Upload {
  fileName: string;
  bytes: Buffer;
  requirement?: string;
  item?: string;
}

const TARGET_FIELDS = ['requirement', 'item'] as const;

const uploadProblem = (message: string, field = 'file'): Outcome => failed(422, problem('document_refused', message, { errors: [{ field, message }] }));

/** The one file and the optional target fields of a multipart body, or what is wrong with it. */
async function readUpload(request: FastifyRequest, maxBytes: number): Promise<Upload | { refused: Outcome }> {
  let file: { fileName: string; bytes: Buffer } | undefined;
  const fields: Partial<Record<(typeof TARGET_FIELDS)[number], string>> = {};
  try {
    for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 4 } })) {
      if (part.type === 'file') {
        file = { fileName: part.filename || 'upload', bytes: await (part as MultipartFile).toBuffer() };
      } else if ((TARGET_FIELDS as readonly string[]).includes(part.fieldname) && typeof part.value === 'string' && part.value.trim()) {
        fields[part.fieldname as (typeof TARGET_FIELDS)[number]] = part.value.trim();
      } else if (!(TARGET_FIELDS as readonly string[]).includes(part.fieldname)) {
        return { refused: uploadProblem(`unknown form field "${part.fieldname}"; send "file" and optionally "requirement" or "item"`, part.fieldname) };
      }
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      return { refused: failed(413, problem('file_too_large', `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB, the most a case takes (BGA_DOCUMENT_MAX_MB).`, { errors: [{ field: 'file', message: 'is too large' }] })) };
    }
    if (code === 'FST_FILES_LIMIT') return { refused: uploadProblem('send one file per request') };
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return { refused: failed(415, problem('bad_request', 'Send the file as multipart/form-data with a part named "file".')) };
    throw err;
  }
  if (!file) return { refused: uploadProblem('is required: send the document as a multipart part named "file"') };
  return { ...file, ...fields };
}

/**
 * A vendor key may upload only for an order it fulfils, named in `requirement`; anything else
 * gets one 403, so it cannot learn which cases exist.
 */
async function vendorMayUpload(ctx: ApiContext, caller: ApiKey, caseId: string, requirement: string | undefined): Promise<Outcome | undefined> {
  if (caller.role !== 'vendor') return undefined;
  const denied = failed(403, problem('forbidden', `This key may upload only results for its own orders: name one of them in the "requirement" field.`));
  if (!requirement) return denied;
  let state: CaseState;
  try {
    state = await getCase(ctx.client, caseId);
  } catch {
    return denied;
  }
  return state.requirements.find((r) => r.key === requirement)?.vendorCode === caller.vendor ? undefined : denied;
}

export const documentRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext; documents: ApiDocuments }> = async (app, { ctx, documents }) => {
  await app.register(multipart);

  app.post(
    '/v1/cases/:caseId/documents',
    {
      config: { access: ['ops', 'vendor'] },
      schema: {
        operationId: 'uploadDocument',
        tags: ['documents'],
        summary: 'Put a file on a case, to review',
        description:
          'A multipart/form-data body with one part `file` (PDF, TIFF, JPEG or PNG, judged by its content) and optionally `requirement` (the requirement key it fulfils) or `item` (the NIGO item it resolves). ' +
          'The same file twice is stored once: the second answer is 200 with status DUPLICATE, so a retry is safe without an Idempotency-Key. ' +
          'Vendor keys may upload only for their own orders, named in `requirement`.',
        consumes: ['multipart/form-data'],
        params: CaseParams,
        response: {
          201: json(DocumentReceiptSchema, 'Received; it waits for review'),
          200: json(DocumentReceiptSchema, 'The case already had this file'),
          401: PROBLEMS[401],
          403: PROBLEMS[403],
          404: PROBLEMS[404],
          409: json(ProblemSchema, 'The case is still being opened (`case_not_ready`)'),
          413: json(ProblemSchema, 'The file is over the size limit (`file_too_large`)'),
          415: json(ProblemSchema, 'The body is not multipart/form-data'),
          422: json(ProblemSchema, 'The file or its target is refused (`document_refused`: empty, wrong type, encrypted PDF, unknown requirement, closed case…)'),
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { caseId } = request.params;
      const upload = await readUpload(request, documents.maxBytes);
      if ('refused' in upload) return sendOutcome(reply, upload.refused);
      const denied = await vendorMayUpload(ctx, caller, caseId, upload.requirement);
      if (denied) return sendOutcome(reply, denied);
      try {
        const receipt = await receiveDocument(
          { client: ctx.client, store: documents.store, maxBytes: documents.maxBytes },
          {
            caseId,
            fileName: upload.fileName,
            bytes: upload.bytes,
            source: 'UPLOAD',
            sender: actorFor(caller),
            actor: actorFor(caller),
            ...(upload.requirement ? { requirementKey: upload.requirement } : {}),
            ...(upload.item ? { nigoItemKey: upload.item } : {}),
          },
        );
        return sendOutcome(reply, { status: receipt.status === 'RECEIVED' ? 201 : 200, body: { status: receipt.status, document: receipt.document } });
      } catch (err) {
        const outcome = caseFailure(err, 'action_refused');
        if (outcome.status === 422) return sendOutcome(reply, { status: 422, body: { ...outcome.body, error: 'document_refused' } });
        return sendOutcome(reply, outcome);
      }
    },
  );

  app.get(
    '/v1/cases/:caseId/documents',
    {
      config: { access: ['ops', 'read'] },
      schema: {
        operationId: 'listDocuments',
        tags: ['documents'],
        summary: "The case's documents, oldest first, with their review state",
        params: CaseParams,
        response: { 200: json(DocumentListSchema, "The case's documents"), 401: PROBLEMS[401], 403: PROBLEMS[403], 404: PROBLEMS[404] },
      },
    },
    async (request, reply) => {
      const { caseId } = request.params;
      try {
        const state = await getCase(ctx.client, caseId);
        return sendOutcome(reply, { status: 200, body: { caseId, documents: state.documents ?? [], links: ctx.links(caseId) } });
      } catch (err) {
        return sendOutcome(reply, caseFailure(err, 'case_not_ready'));
      }
    },
  );

  app.get(
    '/v1/cases/:caseId/documents/:documentId/content',
    {
      config: { access: ['ops'] },
      schema: {
        operationId: 'getDocumentContent',
        tags: ['documents'],
        summary: "A document's file, decrypted; each read is logged with the API key that made it",
        params: DocumentParams,
        produces: ['application/pdf', 'image/tiff', 'image/jpeg', 'image/png'],
        response: { 401: PROBLEMS[401], 403: PROBLEMS[403], 404: PROBLEMS[404] },
      },
    },
    async (request, reply) => {
      const { caseId, documentId } = request.params;
      let state: CaseState;
      try {
        state = await getCase(ctx.client, caseId);
      } catch (err) {
        return sendOutcome(reply, caseFailure(err, 'case_not_ready'));
      }
      const doc = state.documents?.find((d) => d.id === documentId);
      if (!doc) return sendOutcome(reply, failed(404, problem('not_found', `Case ${caseId} has no document ${documentId}.`, { caseId })));
      const bytes = await documents.store.get(doc.sha256);
      // Medical records and SSNs: who read which file stays in the log.
      request.log.info({ caseId, documentId, apiKey: callerOf(request).name }, 'document content read');
      // Bytes, not JSON: past the route's typed responses, which describe its problems only.
      return (reply as FastifyReply)
        .code(200)
        .header('content-type', doc.contentType)
        .header('content-disposition', `attachment; filename="${doc.fileName.replace(/["\\\r\n]/g, '_')}"`)
        .header('cache-control', 'no-store')
        .send(bytes);
    },
  );
};
