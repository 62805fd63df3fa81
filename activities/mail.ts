import crypto from 'node:crypto';
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { z } from 'zod';
import { EmailTemplateSchema, renderEmail } from '../templates';
import type { ActivityDeps } from './deps';

const AttachmentSchema = z.object({
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
  status: 'SENT' | 'ALREADY_SENT';
  messageId: string;
}

/** Recorded as heartbeat details once the SMTP server has accepted the message. */
interface SentMark {
  smtpAccepted: string;
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

export function mailActivities(deps: ActivityDeps) {
  return {
    /**
     * Renders and sends one email at most once per key. The row is claimed before the SMTP
     * transaction and marked SENT after it; a retry that finds SENT returns without sending.
     * The Message-ID is derived from the key, so even the one unavoidable window (a crash
     * after the SMTP server accepted but before the row was marked) yields a duplicate a
     * mail system can recognise.
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
      const activity = Context.current();
      const markSent = () =>
        retryBriefly(() =>
          deps.db.emailMessage.update({
            where: { idempotencyKey: input.key },
            data: { status: 'SENT', sentAt: new Date(), attempts: { increment: 1 }, lastError: null },
          }),
        );
      const existing = await deps.db.emailMessage.findUnique({ where: { idempotencyKey: input.key } });
      if (existing?.status === 'SENT') return { status: 'ALREADY_SENT', messageId: existing.messageId };
      // An earlier attempt had the SMTP server's acceptance but could not record it (say,
      // PostgreSQL was down): its heartbeat says so, and sending again would double the email.
      if (existing && (activity.info.heartbeatDetails as SentMark | undefined)?.smtpAccepted === input.key) {
        await markSent();
        return { status: 'SENT', messageId };
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
      try {
        await deps.mailer.sendMail({
          from: deps.mailFrom,
          to: input.to,
          cc: input.cc,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          messageId,
          headers: { 'X-BGA-Idempotency-Key': input.key },
          attachments: input.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
        });
      } catch (err) {
        await deps.db.emailMessage.update({
          where: { idempotencyKey: input.key },
          data: { attempts: { increment: 1 }, lastError: (err as Error).message.slice(0, 1000), status: 'FAILED' },
        });
        if (isPermanentSmtpFailure(err)) {
          throw ApplicationFailure.nonRetryable(`SMTP refused the email to ${input.to}: ${(err as Error).message}`, 'EmailRejected');
        }
        log.warn('SMTP send failed; Temporal will retry', { key: input.key, error: (err as Error).message });
        throw err;
      }
      activity.heartbeat({ smtpAccepted: input.key } satisfies SentMark);
      await markSent();
      return { status: 'SENT', messageId };
    },
  };
}
