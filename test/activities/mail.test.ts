import { MockActivityEnvironment } from '@temporalio/testing';
import { mailActivities, type SendEmailInput, type SendEmailResult } from '../../activities/mail';
import type { Db } from '../../platform/db';
import { createMailer, type Mailer } from '../../platform/mailer';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { eventually } from '../helpers/eventually';
import { type SmtpCapture, startSmtpCapture } from '../helpers/smtp';
import { MAIL_FROM } from '../helpers/temporal';
import { fixtures } from '../templates/fixtures';

/*
 * The mail activity against real PostgreSQL and a real SMTP server, attempt by attempt, as
 * Temporal would retry it: each scenario is one way an attempt can end before it finishes.
 */

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
const request = (): SendEmailInput => ({ key: `mail-test:${++n}`, to: 'robert.broker@example.com', data: fixtures['vendor-cancellation'] });
const attempt = (input: SendEmailInput, deps: { db?: Db; mailer?: Mailer } = {}): Promise<SendEmailResult> =>
  new MockActivityEnvironment().run(mailActivities({ db: deps.db ?? database.db, mailer: deps.mailer ?? mailer, mailFrom: MAIL_FROM, fetch }).sendEmail, input) as Promise<SendEmailResult>;
const copies = (key: string) => smtp.messages.filter((m) => m.idempotencyKey === key).length;
const row = (key: string) => database.db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: key } });

test('a retry after a finished attempt sends nothing', async () => {
  const input = request();
  expect((await attempt(input)).status).toBe('SENT');
  expect((await attempt(input)).status).toBe('ALREADY_SENT');
  await eventually(async () => expect(copies(input.key)).toBe(1));
  expect((await row(input.key)).status).toBe('SENT');
});

test('an attempt that dies after the end of data went out is not repeated by the retry', async () => {
  const input = request();
  // The message goes through the real SMTP transaction; then the "process" never hears back,
  // as when the worker is killed while the server's answer is in flight.
  const dying = { sendMail: (mail: object) => mailer.sendMail(mail).then(() => new Promise(() => {})) } as unknown as Mailer;
  void attempt(input, { mailer: dying });
  await eventually(async () => expect(copies(input.key)).toBe(1));
  expect((await row(input.key)).status).toBe('SENDING');

  expect((await attempt(input)).status).toBe('UNCONFIRMED');
  const stored = await row(input.key);
  expect(stored.status).toBe('UNCONFIRMED');
  expect(stored.lastError).toMatch(/Not resent/);
  expect((await attempt(input)).status).toBe('ALREADY_SENT');
  await new Promise((r) => setTimeout(r, 300));
  expect(copies(input.key)).toBe(1);
});

test('an attempt whose email a person claimed (a STALLED resend) before its end of data sends nothing and leaves the claim', async () => {
  const input = request();
  // The person's claim lands between this attempt's read of the row and its own claim.
  const claimedFirst = {
    sendMail: async (mail: object) => {
      await database.db.emailMessage.update({ where: { idempotencyKey: input.key }, data: { status: 'SENDING', resolution: 'RESENT', resolvedBy: 'cm:jordan' } });
      return mailer.sendMail(mail);
    },
  } as unknown as Mailer;
  expect((await attempt(input, { mailer: claimedFirst })).status).toBe('ALREADY_SENT');
  expect((await attempt(input)).status).toBe('ALREADY_SENT');
  await new Promise((r) => setTimeout(r, 300));
  expect(copies(input.key)).toBe(0);
  expect(await row(input.key)).toMatchObject({ status: 'SENDING', resolution: 'RESENT' });
});

test('an attempt refused before the end of data is sent by the retry', async () => {
  const input = request();
  const closed = createMailer('smtp://127.0.0.1:1');
  await expect(attempt(input, { mailer: closed })).rejects.toThrow();
  closed.close();
  expect((await row(input.key)).status).toBe('FAILED');
  expect((await attempt(input)).status).toBe('SENT');
  await eventually(async () => expect(copies(input.key)).toBe(1));
});

test('when the SENDING mark cannot be written, the SMTP transaction is abandoned and the retry sends once', async () => {
  const input = request();
  const refusesMark = new Proxy(database.db, {
    get(target, prop, receiver) {
      if (prop !== 'emailMessage') return Reflect.get(target, prop, receiver);
      const table = target.emailMessage;
      return new Proxy(table, {
        get(t, p, r) {
          if (p !== 'update' && p !== 'updateMany') return Reflect.get(t, p, r);
          return (args: { data: { status?: string } }) =>
            args.data.status === 'SENDING' ? Promise.reject(new Error('connection to PostgreSQL lost')) : p === 'update' ? t.update(args as never) : t.updateMany(args as never);
        },
      });
    },
  });
  await expect(attempt(input, { db: refusesMark })).rejects.toThrow(/PostgreSQL lost/);
  await new Promise((r) => setTimeout(r, 300));
  expect(copies(input.key)).toBe(0);
  expect((await row(input.key)).status).toBe('FAILED');
  expect((await attempt(input)).status).toBe('SENT');
  await eventually(async () => expect(copies(input.key)).toBe(1));
});
