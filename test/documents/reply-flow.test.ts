import nodemailer from 'nodemailer';
import { startInboundReceiver, type InboundReceiver } from '../../client/inbound/receiver';
import { receiveDocument } from '../../client/documents';
import { ActionRefusedError } from '../../client/operations';
import { perform } from '../helpers/actions';
import { exampleApplication } from '../helpers/applications';
import { eventually } from '../helpers/eventually';
import { signedPdf } from '../helpers/document-files';
import { World } from '../helpers/world';

// A broker's reply to the NIGO email, through real SMTP both ways, to the carrier's inbox.
let world: World;
let inbound: InboundReceiver;
beforeEach(async () => {
  world = await World.create('time-skipping');
  inbound = await startInboundReceiver({
    db: world.db,
    store: world.documents,
    client: world.client,
    taskQueue: world.taskQueue,
    host: '127.0.0.1',
    port: 0,
    maxMessageBytes: 10 * 1024 * 1024,
  });
});
afterEach(async () => {
  await inbound?.close();
  await world?.close();
});

const cm = 'cm:jordan';

async function reply(opts: { from: string; inReplyTo?: string; subject: string; attachments: { filename: string; content: Buffer }[]; messageId?: string }) {
  const transport = nodemailer.createTransport({ url: inbound.url } as never);
  try {
    await transport.sendMail({
      from: opts.from,
      to: 'newbusiness@bga.example',
      subject: opts.subject,
      text: 'Signed page attached.',
      ...(opts.inReplyTo ? { inReplyTo: opts.inReplyTo, references: [opts.inReplyTo] } : {}),
      ...(opts.messageId ? { messageId: opts.messageId } : {}),
      attachments: opts.attachments,
    });
  } finally {
    transport.close();
  }
}

async function nigoCase() {
  const app = exampleApplication('harbor-iul-nigo');
  await world.licensedBroker(app.broker.npn, 'CA', 'HARBOR');
  const { caseId } = await world.submit(app);
  await world.skip('1 hour');
  const nigo = world.smtp.to(app.broker.email).find((m) => m.idempotencyKey === `${caseId}:nigo:1`);
  expect(nigo).toBeDefined();
  return { app, caseId, h: world.handle(caseId), nigo: nigo! };
}

test('a broker replies to the NIGO email with the signed page; the case manager accepts it; the item resolves and the carrier gets the file', async () => {
  const { app, caseId, h, nigo } = await nigoCase();
  await reply({ from: app.broker.email, inReplyTo: nigo.messageId, subject: `Re: ${nigo.subject}`, attachments: [{ filename: 'hipaa-signed.pdf', content: signedPdf }] });

  const waiting = await eventually(async () => {
    const s = await world.state(caseId);
    expect(s.documents?.map((d) => [d.fileName, d.review, d.source, d.sender])).toEqual([['hipaa-signed.pdf', 'TO_REVIEW', 'EMAIL', app.broker.email.toLowerCase()]]);
    return s;
  });
  await eventually(async () => {
    const mail = await world.db.inboundMail.findFirstOrThrow({});
    expect([mail.status, mail.caseId, mail.matchedBy]).toEqual(['MATCHED', caseId, 'in-reply-to']);
  });
  await eventually(async () => expect((await world.db.document.findMany({ where: { caseId } })).map((d) => d.reviewStatus)).toEqual(['TO_REVIEW']));

  const hipaa = waiting.nigo.items.find((i) => /hipaa/i.test(i.message) && !i.resolved)!;
  const doc = waiting.documents![0]!;
  const accepted = await perform(h, 'review-document', { actor: cm, documentId: doc.id, result: 'ACCEPTED', nigoItemKey: hipaa.key });
  expect(accepted.nigo.items.find((i) => i.key === hipaa.key)?.resolved).toBe(true);
  expect(accepted.documents![0]!.review).toBe('ACCEPTED');

  // The rest of the NIGO list resolved by hand: the case goes to the carrier with the file.
  await perform(h, 'review', { actor: cm, inGoodOrder: true });
  await world.skip('1 hour');
  await eventually(async () => {
    const guid = (await world.state(caseId)).submission?.transRefGuid;
    const submission = world.smtp.messages.find((m) => m.idempotencyKey === `${caseId}:submission:${guid}`);
    expect(submission?.parsed.attachments.map((a) => a.filename)).toEqual([expect.stringMatching(/^TXLife103-/), 'hipaa-signed.pdf']);
    expect(Buffer.compare(submission!.parsed.attachments[1]!.content, signedPdf)).toBe(0);
  });
  await eventually(async () => expect((await world.db.document.findUniqueOrThrow({ where: { id: doc.id } })).forwardedAt).not.toBeNull());

  // The same reply again (the relay retried, or the broker sent it twice): one document, stored once.
  await reply({ from: app.broker.email, inReplyTo: nigo.messageId, subject: `Re: ${nigo.subject}`, attachments: [{ filename: 'hipaa-again.pdf', content: signedPdf }] });
  await eventually(async () => expect((await world.db.inboundMail.findMany({ orderBy: { receivedAt: 'asc' } })).map((m) => m.status)).toEqual(['MATCHED', 'MATCHED']));
  expect((await world.state(caseId)).documents).toHaveLength(1);
  expect((await world.db.inboundMail.findMany({ orderBy: { receivedAt: 'asc' } }))[1]!.detail).toContain('already on the case: hipaa-again.pdf');
});

test('an executable named .pdf in a reply is refused, the sender is told why, and nothing of it is kept', async () => {
  const { app, caseId, nigo } = await nigoCase();
  const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
  await reply({ from: app.broker.email, inReplyTo: nigo.messageId, subject: `Re: ${nigo.subject}`, attachments: [{ filename: 'hipaa.pdf', content: exe }] });
  await eventually(async () => expect((await world.db.inboundMail.findFirstOrThrow({})).status).toBe('REFUSED'));
  const answer = await eventually(async () => {
    const m = world.smtp.to(app.broker.email).find((x) => x.idempotencyKey.startsWith(`${caseId}:inbound:`));
    expect(m).toBeDefined();
    return m!;
  });
  expect(answer.text).toContain('hipaa.pdf');
  expect(answer.text).toMatch(/executable/i);
  expect((await world.state(caseId)).documents ?? []).toHaveLength(0);
  expect(await world.db.document.count()).toBe(0);
});

test('mail that answers nothing the pipeline sent and names no case is listed as unmatched, not dropped', async () => {
  await reply({ from: 'someone@example.com', subject: 'Documents', attachments: [{ filename: 'a.pdf', content: signedPdf }] });
  const row = await eventually(async () => {
    const m = await world.db.inboundMail.findFirstOrThrow({});
    expect(m.status).toBe('UNMATCHED');
    return m;
  });
  expect(row.fromAddress).toContain('someone@example.com');
  // The message itself is kept: it can be read back from the store.
  expect((await world.documents.get(row.rawSha256)).toString('utf8')).toContain('Subject: Documents');
});

test('the CLI and API path: a file for a requirement the case lacks, a closed case, and a duplicate', async () => {
  const { caseId } = await nigoCase();
  const intake = { client: world.client, store: world.documents, maxBytes: 10 * 1024 * 1024 };
  const base = { caseId, fileName: 'hipaa.pdf', bytes: signedPdf, source: 'CLI' as const, sender: cm, actor: cm };
  await expect(receiveDocument(intake, { ...base, requirementKey: 'NOPE' })).rejects.toThrow(/requirement: no requirement "NOPE"/);
  expect((await world.state(caseId)).documents ?? []).toHaveLength(0);
  const first = await receiveDocument(intake, base);
  expect(first.status).toBe('RECEIVED');
  const again = await receiveDocument(intake, { ...base, fileName: 'copy.pdf' });
  expect([again.status, again.document.id]).toEqual(['DUPLICATE', first.document.id]);
  await expect(receiveDocument(intake, { ...base, fileName: 'empty.pdf', bytes: Buffer.alloc(0) })).rejects.toBeInstanceOf(ActionRefusedError);
  // A rejection tells the sender, and names the reason.
  const rejected = await perform(world.handle(caseId), 'review-document', { actor: cm, documentId: 'hipaa.pdf', result: 'REJECTED', reason: 'the insured did not sign page 2' });
  expect(rejected.documents![0]!.review).toBe('REJECTED');
  await eventually(async () => expect(world.smtp.messages.find((m) => m.idempotencyKey === `${caseId}:document:${first.document.id}:rejected`)?.text).toContain('the insured did not sign page 2'));
  await perform(world.handle(caseId), 'withdraw', { actor: cm, reason: 'Client withdrew' });
  await expect(receiveDocument(intake, { ...base, bytes: Buffer.concat([signedPdf, Buffer.from('\n%extra\n')]) })).rejects.toThrow(/is closed/);
});
