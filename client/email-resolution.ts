import { z } from 'zod';
import { composeEmail, resolveAttachments, STALLED_AFTER_MS, StoredAttachmentSchema, stalledEmail } from '../activities/mail';
import type { Db } from '../platform/db';
import type { DocumentStore } from '../platform/document-store';
import type { Mailer } from '../platform/mailer';

/*
 * How a person settles an email flagged UNCONFIRMED (a worker died as its end of data went
 * out, so nobody knows whether the server has it) or STALLED (claimed, never sent, and no
 * attempt is coming back to it): confirm the recipient has it, or resend it. The workflow never
 * touches an UNCONFIRMED row again, and an attempt that does reach a stalled row sends only if
 * its own claim wins (activities/mail.ts), so neither races a retry. Both are recorded on the
 * row: who, when, and why.
 */

export class EmailNotFoundError extends Error {
  override name = 'EmailNotFoundError';
}

/** The email is not (or no longer) UNCONFIRMED or STALLED; the message says what it is. */
export class EmailNotUnconfirmedError extends Error {
  override name = 'EmailNotUnconfirmedError';
}

export interface Resolution {
  key: string;
  to: string;
  subject: string;
  status: string;
  resolution: 'CONFIRMED' | 'RESENT';
  resolvedBy: string;
  resolvedAt: string;
}

const where = (key: string) => ({ idempotencyKey: key, OR: [{ status: 'UNCONFIRMED' }, stalledEmail(new Date())] });

async function refusal(db: Db, key: string): Promise<Error> {
  const row = await db.emailMessage.findUnique({ where: { idempotencyKey: key }, select: { status: true, resolution: true, resolvedBy: true } });
  if (!row) return new EmailNotFoundError(`No email with key ${key}. \`bga report worklist\` lists the ones to settle with their keys.`);
  if (row.status === 'PENDING') {
    return new EmailNotUnconfirmedError(
      `Email ${key} is PENDING: claimed less than ${STALLED_AFTER_MS / 60_000} minutes ago, so its activity may still send it. Settle it once \`bga report worklist\` lists it as STALLED.`,
    );
  }
  const settled = row.resolution ? ` (${row.resolution.toLowerCase()} by ${row.resolvedBy})` : '';
  return new EmailNotUnconfirmedError(`Email ${key} is ${row.status}${settled}, not UNCONFIRMED or STALLED; there is nothing to settle.`);
}

const asResolution = (row: { idempotencyKey: string; to: string; subject: string; status: string; resolution: string | null; resolvedBy: string | null; resolvedAt: Date | null }): Resolution => ({
  key: row.idempotencyKey,
  to: row.to,
  subject: row.subject,
  status: row.status,
  resolution: row.resolution as Resolution['resolution'],
  resolvedBy: row.resolvedBy ?? '',
  resolvedAt: row.resolvedAt?.toISOString() ?? '',
});

/** The recipient says it arrived: the email counts as sent. */
export async function confirmDelivered(db: Db, key: string, actor: string, note: string): Promise<Resolution> {
  const now = new Date();
  const { count } = await db.emailMessage.updateMany({
    where: where(key),
    data: { status: 'SENT', sentAt: now, resolution: 'CONFIRMED', resolvedBy: actor, resolvedAt: now, resolutionNote: note },
  });
  if (count === 0) throw await refusal(db, key);
  return asResolution(await db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: key } }));
}

/**
 * Sends the stored message again, with its Message-ID, so a recipient's mail system can drop
 * a copy it already has. The row is claimed first, so two people resending send it once; if
 * the send fails, the row is UNCONFIRMED (the failure may have come after the end of data)
 * with the error, and nothing is lost.
 */
export async function resendUnconfirmed(deps: { db: Db; mailer: Mailer; mailFrom: string; documents?: DocumentStore }, key: string, actor: string, note: string): Promise<Resolution> {
  const { db } = deps;
  const claimed = await db.emailMessage.updateMany({
    where: where(key),
    data: { status: 'SENDING', resolution: 'RESENT', resolvedBy: actor, resolvedAt: new Date(), resolutionNote: note },
  });
  if (claimed.count === 0) throw await refusal(db, key);
  const row = await db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: key } });
  const message = composeEmail(deps.mailFrom, {
    key,
    to: row.to,
    cc: row.cc ?? undefined,
    subject: row.subject,
    text: row.text,
    html: row.html,
    messageId: row.messageId,
    attachments: await resolveAttachments(z.array(StoredAttachmentSchema).parse(row.attachments ?? []), deps.documents),
  });
  try {
    await deps.mailer.sendMail({ envelope: message.compile().getEnvelope(), raw: await message.compile().build() });
  } catch (err) {
    await db.emailMessage.update({
      where: { idempotencyKey: key },
      data: { status: 'UNCONFIRMED', resolution: null, resolvedBy: null, resolvedAt: null, resolutionNote: null, lastError: `Resend by ${actor} failed: ${(err as Error).message}`.slice(0, 1000) },
    });
    throw new Error(`SMTP did not take the resent email ${key}: ${(err as Error).message}. It is still UNCONFIRMED; try again when the relay is back.`);
  }
  const sent = await db.emailMessage.update({ where: { idempotencyKey: key }, data: { status: 'SENT', sentAt: new Date(), attempts: { increment: 1 } } });
  return asResolution(sent);
}
