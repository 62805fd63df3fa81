import { WorkflowNotFoundError } from '@temporalio/client';
import { perform } from '../helpers/actions';
import { InvalidApplicationError } from '../../client/cases';
import { caseIdFor } from '../../domain/application';
import { eventually } from '../helpers/eventually';
import type { CapturedMail } from '../helpers/smtp';
import { World } from '../helpers/world';
import { validApplication } from './bad-input-corpus';

/*
 * Names may hold the HTML-special characters real names and firms use (apostrophes,
 * ampersands, quotes); < and > are refused at the door. What is accepted reaches the
 * recipient escaped in the HTML part and verbatim in the plain-text part, end to end
 * through the workflow, the mail activity and SMTP. Dev server: real time, no timers needed.
 */

let world: World;
beforeAll(async () => {
  world = await World.create('dev-server');
});
afterAll(async () => world?.close());

const INSURED_FIRST = 'Mary "Molly"';
const INSURED_LAST = "O'Brien & Sons";
const INSURED = `${INSURED_FIRST} ${INSURED_LAST}`;
const INSURED_HTML = 'Mary &quot;Molly&quot; O&#39;Brien &amp; Sons';
const BROKER = `Daniel "Danny" O'Reilly & Co`;
const BROKER_HTML = 'Daniel &quot;Danny&quot; O&#39;Reilly &amp; Co';

const mailWithKey = (key: string) =>
  eventually(async () => {
    const m = world.smtp.messages.find((x) => x.idempotencyKey === key);
    expect(m).toBeDefined();
    return m as CapturedMail;
  }, 30_000);

function expectEscaped(mail: CapturedMail, raw: string, escaped: string): void {
  expect(mail.html).toContain(escaped);
  expect(mail.html).not.toContain(raw);
  expect(mail.text).toContain(raw);
  expect(mail.text).not.toContain(escaped);
}

test('the acknowledgement shows the insured name escaped in HTML and verbatim in text; the contracting hold does so for the broker name', async () => {
  const app = validApplication('summit-wl', (a) => {
    a.insured.firstName = INSURED_FIRST;
    delete a.insured.middleName;
    a.insured.lastName = INSURED_LAST;
    a.broker.name = BROKER;
    a.broker.agency = 'Reyes & Daughters "Financial"';
  });
  const { caseId } = await world.submit(app);

  const ack = await mailWithKey(`${caseId}:acknowledgement`);
  expect(ack.to).toContain(app.broker.email);
  expectEscaped(ack, INSURED, INSURED_HTML);
  // The subject is a header, not HTML: verbatim, and on one line.
  expect(ack.subject).toContain(INSURED);
  expect(ack.subject).not.toMatch(/[\r\n]/);
  // The stored copy of what was sent says the same.
  const row = await world.db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: `${caseId}:acknowledgement` } });
  expect(row.html).toContain(INSURED_HTML);
  expect(row.text).toContain(INSURED);

  // The acknowledgement does not name the broker; the contracting hold does. Complete the
  // non-carrier requirements so the case reaches the licensing gate (no licence is on file).
  const h = world.handle(caseId);
  await eventually(async () => {
    const s = await world.state(caseId);
    expect(s?.stage).toBe('REQUIREMENTS');
    expect(s.requirements.filter((r) => r.vendorCode).every((r) => r.status === 'ORDERED')).toBe(true);
  }, 30_000);
  for (const key of ['PARAMED', 'BLOOD', 'URINE']) {
    await perform(h, 'vendor-status', { actor: 'vendor:examone', key, status: 'COMPLETED' });
  }
  await perform(h, 'receive-requirement', { actor: 'cm:jordan', key: 'PHYSSTMT:priya-natarajan' });

  const hold = await mailWithKey(`${caseId}:contracting-hold:1`);
  expectEscaped(hold, BROKER, BROKER_HTML);
  expectEscaped(hold, INSURED, INSURED_HTML);
  expect(hold.subject).toContain(BROKER);

  // No part of any email of the case carries the names unescaped into HTML.
  const all = world.smtp.messages.filter((m) => m.idempotencyKey.startsWith(`${caseId}:`));
  expect(all.length).toBeGreaterThanOrEqual(3);
  for (const m of all) {
    expect(m.html).not.toContain(INSURED);
    expect(m.html).not.toContain(BROKER);
  }
});

test('< and > in the insured or broker name are refused before anything starts', async () => {
  const attempts = [
    { field: 'insured.lastName', app: validApplication('summit-wl', (a) => (a.insured.lastName = "O'Brien <Sons>")) },
    { field: 'insured.firstName', app: validApplication('summit-wl', (a) => (a.insured.firstName = 'Mary<br>Molly')) },
    { field: 'broker.name', app: validApplication('summit-wl', (a) => (a.broker.name = '<b>Daniel</b> & Co')) },
  ];
  const mailsBefore = world.smtp.messages.length;
  for (const { field, app } of attempts) {
    const err = await world.submit(app).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidApplicationError);
    expect((err as InvalidApplicationError).errors).toContainEqual({ field, message: 'must not contain <, >, { or }' });
    await expect(world.handle(caseIdFor(app.carrier, app.applicationNumber)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(await world.db.case.count({ where: { applicationNumber: app.applicationNumber } })).toBe(0);
  }
  expect(world.smtp.messages.length).toBe(mailsBefore);
});
