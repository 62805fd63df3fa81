import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { ApplicationFailure, log } from '@temporalio/activity';
import MailComposer from 'nodemailer/lib/mail-composer';
import { z } from 'zod';
import { EmailTemplateSchema, renderEmail } from '../templates';
import type { ActivityDeps } from './deps';

export const AttachmentSchema = z.object({
  filename: z.string().min(1).max(120),
  contentType: z.string().min(3).max(100),
  content: z.string().max(5_000_000),
});

export const SendEmailSchema = z.object({
  /** Business key of this email; the same key is never sent twice. */
  key: z.string().min(3).max(300),
  caseId: z.string().min(1).max(120).optional(),
  to: z.string().min(3).max(1000),
  cc: z.string().min(3).max(1000).optional(),
  data: EmailTemplateSchema,
  attachments: z.array(AttachmentSchema).max(5).default([]),
});

export type SendEmailInput = z.input<typeof SendEmailSchema>;
export interface SendEmailResult {
  /** UNCONFIRMED: an earlier attempt stopped at the end of data; the email is flagged for ops, not sent again. */
  status: 'SENT' | 'ALREADY_SENT' | 'UNCONFIRMED';
  messageId: string;
}

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

export interface StoredEmail {
  key: string;
  to: string;
  cc?: string | undefined;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  attachments: z.infer<typeof AttachmentSchema>[];
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
      if (existing?.status === 'SENT' || existing?.status === 'UNCONFIRMED') return { status: 'ALREADY_SENT', messageId: existing.messageId };
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
              attachments: input.attachments.length ? input.attachments : undefined,
              status: 'PENDING',
              messageId,
            },
          ],
          skipDuplicates: true,
        });
      }
      const message = composeEmail(deps.mailFrom, { key: input.key, to: input.to, cc: input.cc, ...rendered, messageId, attachments: input.attachments });
      try {
        await deps.mailer.sendMail({
          envelope: message.compile().getEnvelope(),
          raw: heldUntilCommitted(message, () => deps.db.emailMessage.update({ where, data: { status: 'SENDING' } })),
        });
      } catch (err) {
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
