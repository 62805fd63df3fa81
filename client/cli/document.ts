import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { documentStoreFor } from '../../platform/document-store';
import { type DocumentReceipt, receiveDocument } from '../documents';
import { act } from '../operations';
import { runAction } from './action';
import { renderCase } from './case-view';
import { InputError } from './errors';
import { type ActionOptions, examples, withActionOptions } from './options';
import { print, printJson } from './output';
import { inSession, type Session } from './session';

/*
 * Files on a case: added from this machine, then accepted for what they fulfil or rejected
 * with what is wrong. Adding goes through the same intake as uploads and email replies.
 */

const DOCUMENT_HELP = 'the document ID or file name, as `bga status` lists it';

export interface FileTarget {
  requirement?: string;
  item?: string;
}

async function readGiven(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : (err as Error).message;
    throw new InputError(`Cannot read ${file}: ${why}.`);
  }
}

/** Reads the file and hands it to the case's intake, as the person running the command. */
export async function addFile(session: Session, caseId: string, file: string, target: FileTarget, actor: string): Promise<DocumentReceipt> {
  const bytes = await readGiven(file);
  const intake = { client: await session.client(), store: documentStoreFor(session.config), maxBytes: session.config.env.BGA_DOCUMENT_MAX_MB * 1024 * 1024 };
  return receiveDocument(intake, {
    caseId,
    fileName: path.basename(file),
    bytes,
    source: 'CLI',
    sender: actor,
    actor,
    ...(target.requirement ? { requirementKey: target.requirement } : {}),
    ...(target.item ? { nigoItemKey: target.item } : {}),
  });
}

export const receiptLine = (r: DocumentReceipt): string =>
  r.status === 'DUPLICATE'
    ? `${r.document.fileName} is already on the case as ${r.document.id} (received ${r.document.receivedAt.slice(0, 10)}, ${r.document.review.toLowerCase().replace('_', ' ')}); nothing new was stored.`
    : `${r.document.fileName} received as ${r.document.id}; it waits for review.`;

function registerAdd(doc: Command): void {
  const cmd = withActionOptions(
    doc
      .command('add')
      .description('put a file (PDF, TIFF, JPEG or PNG) on a case, to review')
      .argument('<caseId>')
      .argument('<file>', 'path of the file')
      .option('--requirement <key>', 'the requirement it fulfils, as `bga status` lists it')
      .option('--item <key>', 'the NIGO item it resolves, as `bga status` lists it'),
  ).action(async (caseId: string, file: string, o: ActionOptions & FileTarget) => {
    await inSession(async (session) => {
      const receipt = await addFile(session, caseId, file, o, o.as);
      if (o.json) return printJson({ status: receipt.status, document: receipt.document, case: receipt.state });
      print(`${receiptLine(receipt)}\n\n${renderCase(receipt.state, { now: new Date(), uiLink: session.uiLink(caseId) })}`);
    });
  });
  examples(cmd, [
    'bga document add case-harbor-hl-558120 examples/documents/signed-hipaa-authorization.pdf --item MISSING_SIGNATURE:HIPAA:insured',
    'bga document add case-summit-sm-2026-10431 ~/scans/aps-ruiz.pdf --requirement PHYSSTMT:ana-ruiz',
  ]);
}

function registerAccept(doc: Command): void {
  const cmd = withActionOptions(
    doc
      .command('accept')
      .description('accept a received document: marks the requirement received or resolves the NIGO item')
      .argument('<caseId>')
      .argument('<document>', DOCUMENT_HELP)
      .option('--requirement <key>', 'the requirement it fulfils (default: what it arrived for)')
      .option('--item <key>', 'the NIGO item it resolves (default: what it arrived for)'),
  ).action(async (caseId: string, document: string, o: ActionOptions & FileTarget) => {
    const input = { documentId: document, result: 'ACCEPTED', requirementKey: o.requirement, nigoItemKey: o.item };
    await runAction(caseId, 'review-document', input, o, `Document ${document} accepted.`, {
      flags: { documentId: 'the document', requirementKey: '--requirement', nigoItemKey: '--item' },
    });
  });
  examples(cmd, ['bga document accept case-harbor-hl-558120 signed-hipaa-authorization.pdf', 'bga document accept case-summit-sm-2026-10431 doc-3f09c2a1b4d5e6f70812 --requirement HIPAA']);
}

function registerReject(doc: Command): void {
  const cmd = withActionOptions(
    doc
      .command('reject')
      .description('reject a received document; its sender is emailed the reason')
      .argument('<caseId>')
      .argument('<document>', DOCUMENT_HELP)
      .requiredOption('--reason <text>', 'what is wrong with it, in words the sender understands'),
  ).action(async (caseId: string, document: string, o: ActionOptions & { reason: string }) => {
    await runAction(caseId, 'review-document', { documentId: document, result: 'REJECTED', reason: o.reason }, o, `Document ${document} rejected; the sender is told why.`, {
      flags: { documentId: 'the document' },
    });
  });
  examples(cmd, ['bga document reject case-harbor-hl-558120 scan.png --reason "page 2 is cut off; please scan the whole page"']);
}

/**
 * `bga requirement receive … --file`: the file goes on the case and is accepted for the
 * requirement in one step, since the person sending it is the one who checked it.
 */
export async function receiveWithFile(caseId: string, key: string, file: string, o: ActionOptions & { note?: string }): Promise<void> {
  await inSession(async (session) => {
    const receipt = await addFile(session, caseId, file, { requirement: key }, o.as);
    let state = receipt.state;
    if (receipt.document.review === 'TO_REVIEW') {
      const review = { actor: o.as, documentId: receipt.document.id, result: 'ACCEPTED', requirementKey: key };
      state = await act(await session.client(), caseId, 'review-document', review, { requestId: o.requestId ?? `accept:${receipt.document.id}` });
    }
    if (o.json) return printJson({ status: receipt.status, document: state.documents?.find((d) => d.id === receipt.document.id), case: state });
    const done = receipt.document.review === 'TO_REVIEW' ? `Requirement ${key} received with ${receipt.document.fileName}.` : receiptLine(receipt);
    print(`${done}\n\n${renderCase(state, { now: new Date(), uiLink: session.uiLink(caseId) })}`);
  });
}

export function registerDocumentCommands(program: Command): void {
  const doc = program.command('document').description("a case's files: add one, then accept or reject it");
  examples(doc, ['bga document add case-harbor-hl-558120 signed.pdf --item MISSING_SIGNATURE:HIPAA:insured', 'bga document accept case-harbor-hl-558120 signed.pdf', 'bga document add --help']);
  registerAdd(doc);
  registerAccept(doc);
  registerReject(doc);
}
