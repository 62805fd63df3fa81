import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { ActionRefusedError, CaseNotFoundError } from '../client/case-errors';
import { type DocumentReceipt, receiveDocument } from '../client/documents';
import { getCase, sendAction } from '../client/operations';
import type { CaseState } from '../domain/case';
import { answeredBy, caseReferencesIn, parentMessageIds } from '../domain/reply-matching';
import type { ActivityDeps } from './deps';
import type { mailActivities } from './mail';

/*
 * A reply to an email the product sent: found its case and what it answers, its attachments
 * given to the case as documents, what could not be taken answered to the sender. Each step is
 * keyed by the mail and the file, so a retry after a crash repeats nothing.
 */

export interface InboundMailOutcome {
  status: 'MATCHED' | 'UNMATCHED' | 'REFUSED' | 'ALREADY_PROCESSED';
  caseId?: string;
  received: string[];
  duplicates: string[];
  refused: { fileName: string; problem: string }[];
}

interface Match {
  caseId: string;
  matchedBy: 'in-reply-to' | 'references' | 'subject' | 'body' | 'assigned';
  answeredKey?: string;
}

/** A case manager's answer to unmatched mail: the case it belongs to, and what it is for. */
export interface MailAssignment {
  caseId: string;
  actor: string;
  requirementKey?: string;
  nigoItemKey?: string;
}

const addressOf = (a: AddressObject | AddressObject[] | undefined): string | undefined => (Array.isArray(a) ? a[0] : a)?.value[0]?.address?.toLowerCase();

async function findCase(deps: ActivityDeps, mail: ParsedMail): Promise<Match | undefined> {
  const parents = parentMessageIds(mail.inReplyTo, mail.references);
  if (parents.length) {
    const sent = await deps.db.emailMessage.findMany({ where: { messageId: { in: parents }, caseId: { not: null } }, select: { messageId: true, caseId: true, idempotencyKey: true } });
    // The nearest parent the product sent wins: a reply to a reminder is about the reminder.
    for (const [i, id] of parents.entries()) {
      const hit = sent.find((s) => s.messageId === id);
      if (hit) return { caseId: hit.caseId!, matchedBy: i === 0 && mail.inReplyTo?.includes(id) ? 'in-reply-to' : 'references', answeredKey: hit.idempotencyKey.slice(hit.caseId!.length + 1) };
    }
  }
  for (const [where, text] of [['subject', mail.subject ?? ''], ['body', mail.text ?? '']] as const) {
    const refs = caseReferencesIn(text);
    if (!refs.length) continue;
    const found = await deps.db.case.findMany({ where: { id: { in: refs } }, select: { id: true } });
    if (found.length === 1) return { caseId: found[0]!.id, matchedBy: where };
  }
  return undefined;
}

/** What the answered email asked for, where it names one thing on the case. */
function targetOf(state: CaseState, answeredKey: string | undefined): { requirementKey?: string; nigoItemKey?: string } {
  if (!answeredKey) return {};
  const answered = answeredBy(answeredKey);
  if ('requirementKey' in answered) return state.requirements.some((r) => r.key === answered.requirementKey) ? { requirementKey: answered.requirementKey } : {};
  if ('nigo' in answered) {
    const open = state.nigo.items.filter((i) => !i.resolved);
    return open.length === 1 ? { nigoItemKey: open[0]!.key } : {};
  }
  if ('documentId' in answered) {
    const rejected = state.documents?.find((d) => d.id === answered.documentId);
    return { ...(rejected?.requirementKey ? { requirementKey: rejected.requirementKey } : {}), ...(rejected?.nigoItemKey ? { nigoItemKey: rejected.nigoItemKey } : {}) };
  }
  return {};
}

export function inboundMailActivities(deps: ActivityDeps, mail: ReturnType<typeof mailActivities>, maxDocumentBytes: number) {
  return {
    async processInboundMail({ mailId, assignment }: { mailId: string; assignment?: MailAssignment }): Promise<InboundMailOutcome> {
      const row = await deps.db.inboundMail.findUniqueOrThrow({ where: { id: mailId } });
      const none = { received: [], duplicates: [], refused: [] };
      // Unmatched mail waits for a person to say where it goes; all else is processed once.
      if (row.status !== (assignment ? 'UNMATCHED' : 'RECEIVED')) return { status: 'ALREADY_PROCESSED', ...(row.caseId ? { caseId: row.caseId } : {}), ...none };
      if (!deps.documents) throw new Error('Inbound mail needs the document store (BGA_DOCUMENT_STORE), where the message is kept.');
      const parsed = await simpleParser(await deps.documents.get(row.rawSha256));
      const from = addressOf(parsed.from) ?? row.fromAddress;
      const match: Match | undefined = assignment ? { caseId: assignment.caseId, matchedBy: 'assigned' } : await findCase(deps, parsed);
      const finish = (status: InboundMailOutcome['status'], detail: string, extra: { caseId?: string; matchedBy?: string; requirementKey?: string } = {}) =>
        deps.db.inboundMail.update({ where: { id: mailId }, data: { status, detail: detail.slice(0, 2000), processedAt: new Date(), ...extra } });
      if (!match) {
        await finish('UNMATCHED', 'No case found: the mail answers no email the pipeline sent, and names no case reference.');
        log.info('Inbound mail matched no case', { mailId });
        return { status: 'UNMATCHED', ...none };
      }
      const client = Context.current().client;
      let state: CaseState;
      try {
        state = await getCase(client, match.caseId);
      } catch (err) {
        if (!(err instanceof CaseNotFoundError)) throw err;
        if (assignment) throw ApplicationFailure.nonRetryable(`There is no case ${match.caseId}; check the case ID with \`bga list\`.`, 'CaseNotFound');
        await finish('UNMATCHED', `Case ${match.caseId} has no running workflow.`);
        return { status: 'UNMATCHED', ...none };
      }
      const target = assignment
        ? { ...(assignment.requirementKey ? { requirementKey: assignment.requirementKey } : {}), ...(assignment.nigoItemKey ? { nigoItemKey: assignment.nigoItemKey } : {}) }
        : targetOf(state, match.answeredKey);
      const outcome: InboundMailOutcome = { status: 'MATCHED', caseId: match.caseId, received: [], duplicates: [], refused: [] };
      const files = parsed.attachments.filter((a) => a.contentDisposition === 'attachment' || a.filename);
      for (const [i, a] of files.entries()) {
        const fileName = a.filename ?? `attachment-${i + 1}`;
        try {
          const receipt: DocumentReceipt = await receiveDocument(
            { client, store: deps.documents, maxBytes: maxDocumentBytes },
            { caseId: match.caseId, fileName, bytes: a.content, source: 'EMAIL', sender: from, actor: `mail:${from}`.slice(0, 80), replyTo: from, inboundMailId: mailId, ...target },
          );
          (receipt.status === 'RECEIVED' ? outcome.received : outcome.duplicates).push(fileName);
        } catch (err) {
          if (!(err instanceof ActionRefusedError)) throw err;
          outcome.refused.push({ fileName, problem: err.problems[0]?.message ?? err.message });
        }
      }
      const body = parsed.text?.trim();
      if (body && !files.length) {
        await sendAction(client, match.caseId, 'note', { actor: `mail:${from}`.slice(0, 80), text: `Reply from ${from}: ${(parsed.subject ?? '').slice(0, 200)}\n\n${body.slice(0, 1500)}` }, `mail:${mailId}:note`);
      }
      if (outcome.refused.length) {
        await mail.sendEmail({
          key: `${match.caseId}:inbound:${mailId}:refused`,
          caseId: match.caseId,
          to: from,
          data: {
            template: 'attachments-refused',
            bgaName: state.rules.bgaName,
            caseReference: state.caseId,
            carrierName: state.carrierName,
            applicationNumber: state.applicationNumber,
            insuredName: state.insuredName,
            subject: (parsed.subject ?? '(no subject)').slice(0, 200),
            refused: outcome.refused.map((r) => ({ fileName: r.fileName.slice(0, 200), problem: r.problem.slice(0, 500) })),
            kept: [...outcome.received, ...outcome.duplicates].map((f) => f.slice(0, 200)),
          },
        });
      }
      if (!outcome.received.length && !outcome.duplicates.length && outcome.refused.length) outcome.status = 'REFUSED';
      const detail = [
        outcome.received.length ? `received ${outcome.received.join(', ')}` : '',
        outcome.duplicates.length ? `already on the case: ${outcome.duplicates.join(', ')}` : '',
        outcome.refused.length ? `refused ${outcome.refused.map((r) => `${r.fileName} (${r.problem})`).join('; ')}` : '',
        files.length ? '' : 'no attachments; the text is kept as a case note',
      ].filter(Boolean).join('; ');
      const matchedBy = assignment ? `assigned by ${assignment.actor}`.slice(0, 120) : match.matchedBy;
      await finish(outcome.status, detail, { caseId: match.caseId, matchedBy, ...(target.requirementKey ? { requirementKey: target.requirementKey } : {}) });
      return outcome;
    },
  };
}
