import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { ApplicationFailure, log } from '@temporalio/activity';
import MailComposer from 'nodemailer/lib/mail-composer';
import { z } from 'zod';
import { EmailTemplateSchema, renderEmail } from '../templates';
import type { DocumentStore } from '../platform/document-store';
import type { ActivityDeps } from './deps';

export const AttachmentSchema = z.object({
  filename: z.string().min(1).max(120),
  contentType: z.string().min(3).max(100),
  content: z.string().max(5_000_000),
});

/** A file from the document store, attached by reference: the email row keeps the hash, never the bytes. */
export const DocumentAttachmentSchema = z.object({
  filename: z.string().min(1).max(200),
  contentType: z.string().min(3).max(100),
  document: z.string().regex(/^[0-9a-f]{64}$/),
});

/** What the email row's attachments hold: generated content (an ACORD 103) or a stored document. */
export const StoredAttachmentSchema = z.union([AttachmentSchema, DocumentAttachmentSchema]);
export type StoredAttachment = z.infer<typeof StoredAttachmentSchema>;

export interface ResolvedAttachment {
  filename: string;
  contentType: string;
  content: string | Buffer;
}

/** Reads attached documents from the store, decrypted, just before the message is composed. */
export async function resolveAttachments(list: readonly StoredAttachment[], store: DocumentStore | undefined): Promise<ResolvedAttachment[]> {
  return Promise.all(
    list.map(async (a) => {
      if (!('document' in a)) return a;
      if (!store) throw new Error(`The email attaches document ${a.filename}, but no document store is configured here (BGA_DOCUMENT_STORE).`);
      return { filename: a.filename, contentType: a.contentType, content: await store.get(a.document) };
    }),
  );
}

export const SendEmailSchema = z.object({
  /** Business key of this email; the same key is never sent twice. */
  key: z.string().min(3).max(300),
  caseId: z.string().min(1).max(120).optional(),
  to: z.string().min(3).max(1000),
  cc: z.string().min(3).max(1000).optional(),
  data: EmailTemplateSchema,
  attachments: z.array(AttachmentSchema).max(5).default([]),
  documents: z.array(DocumentAttachmentSchema).max(20).default([]),
});

export type SendEmailInput = z.input<typeof SendEmailSchema>;
export interface SendEmailResult {
  /** UNCONFIRMED: an earlier attempt stopped at the end of data; the email is flagged for ops, not sent again. */
  status: 'SENT' | 'ALREADY_SENT' | 'UNCONFIRMED';
  messageId: string;
}

/**
 * How long a claimed email may stay PENDING before a person is shown it. An attempt that finds
 * it PENDING either sends it or marks it, so an hour without that means no attempt is coming:
 * its case was rewound and took another path, or no worker has run for an hour. PENDING also
 * means the end of data never went out, so resending it cannot make a second copy.
 */
export const STALLED_AFTER_MS = 60 * 60_000;

export const stalledEmail = (now: Date) => ({ status: 'PENDING', createdAt: { lt: new Date(now.getTime() - STALLED_AFTER_MS) } });

/** Rides out a short database outage inside the attempt, so a sent email gets its SENT mark. */
async function retryBriefly<T>(fn: () => Promise<T>, forMs = 60_000): Promise<T> {
  const started = Date.now();
  for (let delay = 250; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() - started > forMs) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** SMTP replies that will not change on retry: the address or message is refused. */
function isPermanentSmtpFailure(err: unknown): boolean {
  const code = (err as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/**
 * The composed message as a stream that holds back its end until `beforeEnd` resolves. The
 * SMTP client writes the end-of-data dot, the server's point of commitment, only once the
 * stream ends; if `beforeEnd` fails the transaction is abandoned and the server discards it.
 */
function heldUntilCommitted(message: MailComposer, beforeEnd: () => Promise<unknown>): Readable {
  let started = false;
  return new Readable({
    read() {
      if (started) return;
      started = true;
      message.compile().build((err, raw) => {
        if (err) return this.destroy(err);
        this.push(raw);
        beforeEnd().then(
          () => this.push(null),
          (e: unknown) => this.destroy(e as Error),
        );
      });
    },
  });
}

/** The row was no longer this attempt's to send when its end of data was due. */
class ClaimedElsewhere extends Error {
  override name = 'ClaimedElsewhere';
}

export interface StoredEmail {
  key: string;
  to: string;
  cc?: string | undefined;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  attachments: ResolvedAttachment[];
}

/** The message as it goes out, first time or resent by a person: same Message-ID, same key header. */
export function composeEmail(mailFrom: string, e: StoredEmail): MailComposer {
  return new MailComposer({
    from: mailFrom,
    to: e.to,
    cc: e.cc,
    subject: e.subject,
    text: e.text,
    html: e.html,
    messageId: e.messageId,
    headers: { 'X-BGA-Idempotency-Key': e.key },
    attachments: e.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
  });
}

export function mailActivities(deps: ActivityDeps) {
  return {
    /**
     * Renders and sends one email at most once per key. The row is claimed (PENDING) before
     * the SMTP transaction, marked SENDING in PostgreSQL just before the end of data goes out,
     * and SENT on the server's answer. A retry that finds SENDING knows an earlier attempt
     * stopped (a crash, a kill) around the end of data, so the server may or may not have the
     * message: it flags the row UNCONFIRMED for a person instead of risking a second copy. The
     * Message-ID is derived from the key either way.
     */
    async sendEmail(raw: SendEmailInput): Promise<SendEmailResult> {
      const parsed = SendEmailSchema.safeParse(raw);
      if (!parsed.success) {
        throw ApplicationFailure.nonRetryable(
          `Invalid email request: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          'InvalidEmailRequest',
        );
      }
      const input = parsed.data;
      const messageId = `<${crypto.createHash('sha256').update(input.key).digest('hex').slice(0, 32)}@bga.mail>`;
      const where = { idempotencyKey: input.key };
      const markSent = () =>
        retryBriefly(() => deps.db.emailMessage.update({ where, data: { status: 'SENT', sentAt: new Date(), attempts: { increment: 1 }, lastError: null } }));
      const existing = await deps.db.emailMessage.findUnique({ where });
      // A person who settled the email (`bga email`) owns it from then on, whatever its status.
      if (existing?.status === 'SENT' || existing?.status === 'UNCONFIRMED' || existing?.resolution) return { status: 'ALREADY_SENT', messageId: existing.messageId };
      if (existing?.status === 'SENDING') {
        // Sending again could double it; presuming it sent could lose it. Neither silently: the
        // row is flagged for a person to check with the recipient (`bga status` lists it).
        log.warn('An earlier attempt stopped at the end of data; the email is flagged UNCONFIRMED, not sent again', { key: input.key });
        await retryBriefly(() =>
          deps.db.emailMessage.update({
            where,
            data: { status: 'UNCONFIRMED', attempts: { increment: 1 }, lastError: 'Unconfirmed: the attempt stopped as the end of data went out, so the SMTP answer was never seen. Not resent, to avoid a second copy; check with the recipient.' },
          }),
        );
        return { status: 'UNCONFIRMED', messageId: existing.messageId };
      }

      const rendered = renderEmail(input.data);
      if (!existing) {
        await deps.db.emailMessage.createMany({
          data: [
            {
              idempotencyKey: input.key,
              caseId: input.caseId ?? null,
              template: input.data.template,
              to: input.to,
              cc: input.cc ?? null,
              subject: rendered.subject,
              text: rendered.text,
              html: rendered.html,
              attachments: input.attachments.length + input.documents.length ? [...input.attachments, ...input.documents] : undefined,
              status: 'PENDING',
              messageId,
            },
          ],
          skipDuplicates: true,
        });
      }
      const attachments = await resolveAttachments([...input.attachments, ...input.documents], deps.documents);
      const message = composeEmail(deps.mailFrom, { key: input.key, to: input.to, cc: input.cc, ...rendered, messageId, attachments });
      // The mark is a claim: it holds only while the row is still unsent and unclaimed, so a
      // person resending a stalled email at this moment and this attempt never both send it.
      const claimForSending = async () => {
        const { count } = await deps.db.emailMessage.updateMany({ where: { ...where, status: { in: ['PENDING', 'FAILED'] }, resolution: null }, data: { status: 'SENDING' } });
        if (count === 0) throw new ClaimedElsewhere();
      };
      try {
        await deps.mailer.sendMail({ envelope: message.compile().getEnvelope(), raw: heldUntilCommitted(message, claimForSending) });
      } catch (err) {
        if (err instanceof ClaimedElsewhere) {
          log.info('The email was claimed by someone else before its end of data; this attempt sent nothing', { key: input.key });
          return { status: 'ALREADY_SENT', messageId };
        }
        // The server did not take the message (or the SENDING mark could not be written, so the
        // dot never went out): FAILED lets the retry send it.
        await retryBriefly(() =>
          deps.db.emailMessage.update({ where, data: { attempts: { increment: 1 }, lastError: (err as Error).message.slice(0, 1000), status: 'FAILED' } }),
        );
        if (isPermanentSmtpFailure(err)) {
          throw ApplicationFailure.nonRetryable(`SMTP refused the email to ${input.to}: ${(err as Error).message}`, 'EmailRejected');
        }
        log.warn('SMTP send failed; Temporal will retry', { key: input.key, error: (err as Error).message });
        throw err;
      }
      await markSent();
      return { status: 'SENT', messageId };
    },
  };
}
