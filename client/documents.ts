import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { CaseDocument, CaseState, DocumentSource } from '../domain/case';
import { inspectDocument } from '../domain/document-inspection';
import type { DocumentStore } from '../platform/document-store';
import { act, ActionRefusedError, getCase } from './operations';

/*
 * The one way a file reaches a case, whether it came by upload, by `bga document add` or by
 * mail: judged by its content, kept encrypted in the document store, then given to the case,
 * which puts it on the worklist to review. A file refused here leaves nothing behind.
 */

export interface DocumentIntake {
  client: Client;
  store: DocumentStore;
  /** The largest file accepted, in bytes (BGA_DOCUMENT_MAX_MB). */
  maxBytes: number;
}

export interface IncomingDocument {
  caseId: string;
  fileName: string;
  bytes: Buffer;
  source: DocumentSource;
  /** Who sent it: an actor, an API key, a mail sender. */
  sender: string;
  /** Who is recorded as having received it on the case. */
  actor: string;
  replyTo?: string;
  inboundMailId?: string;
  requirementKey?: string;
  nigoItemKey?: string;
}

export interface DocumentReceipt {
  /** DUPLICATE: the case already has this very file; nothing new is stored. */
  status: 'RECEIVED' | 'DUPLICATE';
  document: CaseDocument;
  state: CaseState;
}

/** The same file on the same case always gets the same ID, so every path and every retry agree. */
export const documentIdFor = (caseId: string, sha256: string): string =>
  `doc-${crypto.createHash('sha256').update(`${caseId}:${sha256}`).digest('hex').slice(0, 20)}`;

const refuse = (field: string, message: string): never => {
  throw new ActionRefusedError(`${field}: ${message}`, [{ field, message }]);
};

/** What the case can take: the file's target must exist on it, and it must be open. */
function checkTarget(state: CaseState, doc: IncomingDocument): void {
  if (state.stage === 'CLOSED') refuse('caseId', `case ${state.caseId} is closed (${state.outcome?.outcome}); it takes no more documents`);
  if (doc.requirementKey && !state.requirements.some((r) => r.key === doc.requirementKey)) {
    refuse('requirement', `no requirement "${doc.requirementKey}" on case ${state.caseId} (requirements: ${state.requirements.map((r) => r.key).join(', ') || 'none yet'})`);
  }
  if (doc.nigoItemKey && !state.nigo.items.some((i) => i.key === doc.nigoItemKey)) {
    refuse('item', `no NIGO item "${doc.nigoItemKey}" on case ${state.caseId} (items: ${state.nigo.items.map((i) => i.key).join(', ') || 'none'})`);
  }
}

/** Stores the file and gives it to the case; a file the case already has is reported as a duplicate. */
export async function receiveDocument(intake: DocumentIntake, doc: IncomingDocument): Promise<DocumentReceipt> {
  const inspected = await inspectDocument(doc.fileName, doc.bytes, intake.maxBytes);
  if (!inspected.ok) refuse('file', inspected.problem);
  const { sha256, contentType, size } = inspected as Extract<typeof inspected, { ok: true }>;
  const before = await getCase(intake.client, doc.caseId);
  const known = before.documents?.find((d) => d.sha256 === sha256);
  if (known) return { status: 'DUPLICATE', document: known, state: before };
  checkTarget(before, doc);

  const documentId = documentIdFor(doc.caseId, sha256);
  await intake.store.put(sha256, doc.bytes);
  const input = {
    actor: doc.actor,
    documentId,
    sha256,
    fileName: doc.fileName,
    contentType,
    size,
    source: doc.source,
    sender: doc.sender,
    ...(doc.replyTo ? { replyTo: doc.replyTo } : {}),
    ...(doc.inboundMailId ? { inboundMailId: doc.inboundMailId } : {}),
    ...(doc.requirementKey ? { requirementKey: doc.requirementKey } : {}),
    ...(doc.nigoItemKey ? { nigoItemKey: doc.nigoItemKey } : {}),
  };
  try {
    const state = await act(intake.client, doc.caseId, 'receive-document', input, { requestId: `document:${documentId}` });
    return { status: 'RECEIVED', document: state.documents!.find((d) => d.id === documentId)!, state };
  } catch (err) {
    // The same file sent twice at once: the case took the first and refused the second.
    if (err instanceof ActionRefusedError && err.problems.some((p) => p.field === 'file')) {
      const state = await getCase(intake.client, doc.caseId);
      const first = state.documents?.find((d) => d.sha256 === sha256);
      if (first) return { status: 'DUPLICATE', document: first, state };
    }
    throw err;
  }
}
