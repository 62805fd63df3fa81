import { MockActivityEnvironment } from '@temporalio/testing';
import { mailActivities, type SendEmailInput, type SendEmailResult } from '../../activities/mail';
import { confirmDelivered, EmailNotFoundError, EmailNotUnconfirmedError, resendUnconfirmed } from '../../client/email-resolution';
import { createMailer, type Mailer } from '../../platform/mailer';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { eventually } from '../helpers/eventually';
import { type SmtpCapture, startSmtpCapture } from '../helpers/smtp';
import { MAIL_FROM } from '../helpers/temporal';
import { fixtures } from '../templates/fixtures';
import { worklist } from '../../activities/reports/worklist';
import { loadRulesConfig } from '../../activities/rules-config';

/* A person settles an UNCONFIRMED email, made the way a killed worker makes one, against real PostgreSQL and SMTP. */

let database: TestDatabase;
let smtp: SmtpCapture;
let mailer: Mailer;
beforeAll(async () => {
  database = await createTestDatabase();
  smtp = await startSmtpCapture();
  mailer = createMailer(smtp.url);
});
afterAll(async () => {
  mailer?.close();
  await smtp?.stop();
  await database?.drop();
});

let n = 0;
const attempt = (input: SendEmailInput, using: Mailer): Promise<SendEmailResult> =>
  new MockActivityEnvironment().run(mailActivities({ db: database.db, mailer: using, mailFrom: MAIL_FROM, fetch }).sendEmail, input) as Promise<SendEmailResult>;
const copies = (key: string) => smtp.messages.filter((m) => m.idempotencyKey === key);
const row = (key: string) => database.db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: key } });

/** An attempt dies once the end of data went out (the server may have it or not); the retry flags it. */
async function unconfirmedEmail(reachesServer: boolean): Promise<string> {
  const input: SendEmailInput = { key: `resolution-test:${++n}`, to: 'robert.broker@example.com', data: fixtures['vendor-cancellation'] };
  const dying = {
    sendMail: (mail: object) => (reachesServer ? mailer.sendMail(mail) : Promise.resolve()).then(() => new Promise(() => {})),
  } as unknown as Mailer;
  if (reachesServer) {
    void attempt(input, dying);
    await eventually(async () => expect(copies(input.key)).toHaveLength(1));
  } else {
    // The SENDING mark without the message: as if the connection dropped with the dot.
    await attempt(input, createMailer('smtp://127.0.0.1:1')).catch(() => undefined);
    await database.db.emailMessage.update({ where: { idempotencyKey: input.key }, data: { status: 'SENDING' } });
  }
  expect((await attempt(input, mailer)).status).toBe('UNCONFIRMED');
  return input.key;
}

test('confirming records who settled it and why; the email counts as sent and cannot be settled twice', async () => {
  const key = await unconfirmedEmail(true);
  const settled = await confirmDelivered(database.db, key, 'cm:jordan', 'Broker has it, called 10:40');
  expect(settled).toMatchObject({ key, status: 'SENT', resolution: 'CONFIRMED', resolvedBy: 'cm:jordan' });
  expect(await row(key)).toMatchObject({ status: 'SENT', resolutionNote: 'Broker has it, called 10:40' });
  await expect(confirmDelivered(database.db, key, 'cm:pat', 'again')).rejects.toThrow(EmailNotUnconfirmedError);
  await expect(resendUnconfirmed({ db: database.db, mailer, mailFrom: MAIL_FROM }, key, 'cm:pat', 'again')).rejects.toThrow(/is SENT \(confirmed by cm:jordan\)/);
  expect(copies(key)).toHaveLength(1);
});

test('resending sends the stored message once more with its Message-ID, and records it', async () => {
  const key = await unconfirmedEmail(false);
  expect(copies(key)).toHaveLength(0);
  const settled = await resendUnconfirmed({ db: database.db, mailer, mailFrom: MAIL_FROM }, key, 'cm:jordan', 'not received');
  expect(settled).toMatchObject({ status: 'SENT', resolution: 'RESENT', resolvedBy: 'cm:jordan' });
  await eventually(async () => expect(copies(key)).toHaveLength(1));
  const stored = await row(key);
  expect(copies(key)[0]!.messageId).toBe(stored.messageId);
  expect(copies(key)[0]!.subject).toBe(stored.subject);
});

test('a resend the relay refuses leaves the email UNCONFIRMED with the error, to try again', async () => {
  const key = await unconfirmedEmail(false);
  const down = createMailer('smtp://127.0.0.1:1');
  await expect(resendUnconfirmed({ db: database.db, mailer: down, mailFrom: MAIL_FROM }, key, 'cm:jordan', 'retry')).rejects.toThrow(/still UNCONFIRMED/);
  down.close();
  expect(await row(key)).toMatchObject({ status: 'UNCONFIRMED', resolution: null, lastError: expect.stringContaining('Resend by cm:jordan failed') });
  await resendUnconfirmed({ db: database.db, mailer, mailFrom: MAIL_FROM }, key, 'cm:jordan', 'retry');
  await eventually(async () => expect(copies(key)).toHaveLength(1));
});

test('a STALLED email (claimed, never sent, no attempt for an hour) can be resent once; until then it is refused', async () => {
  const input: SendEmailInput = { key: `resolution-test:${++n}`, to: 'robert.broker@example.com', data: fixtures['vendor-cancellation'] };
  // The attempt claims the row and then never reaches the end of data: its run was abandoned.
  void attempt(input, { sendMail: () => new Promise(() => {}) } as unknown as Mailer);
  await eventually(async () => expect((await row(input.key)).status).toBe('PENDING'));
  await expect(resendUnconfirmed({ db: database.db, mailer, mailFrom: MAIL_FROM }, input.key, 'cm:jordan', 'x')).rejects.toThrow(/is PENDING: claimed less than 60 minutes ago/);

  await database.db.emailMessage.update({ where: { idempotencyKey: input.key }, data: { createdAt: new Date(Date.now() - 2 * 3_600_000) } });
  const listed = await worklist(database.db, await loadRulesConfig(), new Date());
  expect(listed.emails.find((e) => e.key === input.key)?.status).toBe('STALLED');
  const settled = await resendUnconfirmed({ db: database.db, mailer, mailFrom: MAIL_FROM }, input.key, 'cm:jordan', 'case went on without it');
  expect(settled).toMatchObject({ status: 'SENT', resolution: 'RESENT' });
  // An attempt that comes back to it after all finds it settled and sends nothing.
  expect((await attempt(input, mailer)).status).toBe('ALREADY_SENT');
  await eventually(async () => expect(copies(input.key)).toHaveLength(1));
  await new Promise((r) => setTimeout(r, 300));
  expect(copies(input.key)).toHaveLength(1);
});

test('an unknown key is reported as such', async () => {
  await expect(confirmDelivered(database.db, 'no-such-email', 'cm:jordan', 'x')).rejects.toThrow(EmailNotFoundError);
});
