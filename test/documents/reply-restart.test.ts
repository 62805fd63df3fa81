import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { type InboundReceiver, startInboundReceiver } from '../../client/inbound/receiver';
import type { DocumentStore } from '../../platform/document-store';
import { exampleApplication } from '../helpers/applications';
import { eventually } from '../helpers/eventually';
import { signedPdf, tinyPng as png } from '../helpers/document-files';
import { World } from '../helpers/world';

/*
 * On the dev server: the time-skipping server does not move a stopped worker's cached cases to
 * the next worker, and queries to them time out. The worker stops while it is taking a reply's attachments: the first is on the case, the
 * second is being stored. The next worker finishes the mail, and nothing is lost or kept twice.
 */


/** The first worker's store: the first document goes through, the second hangs until the worker is stopped under it. */
function stallingOnSecondPut(store: DocumentStore) {
  let stalled!: () => void;
  let crash!: (err: Error) => void;
  const reached = new Promise<void>((resolve) => (stalled = resolve));
  const crashed = new Promise<never>((_, reject) => (crash = reject));
  crashed.catch(() => undefined);
  let documentPuts = 0;
  const wrapped: DocumentStore = {
    description: store.description,
    get: (sha) => store.get(sha),
    async put(sha, bytes) {
      // The receiver keeps the raw message through its own store; only the activity's puts come here.
      documentPuts += 1;
      if (documentPuts < 2) return store.put(sha, bytes);
      stalled();
      return crashed;
    },
  };
  return { wrapped, reached, crash: () => crash(new Error('worker process stopped')) };
}

let world: World;
let inbound: InboundReceiver;
let stall: ReturnType<typeof stallingOnSecondPut>;

beforeEach(async () => {
  world = await World.create('dev-server', { wrapDocuments: (store) => (stall = stallingOnSecondPut(store)).wrapped });
  inbound = await startInboundReceiver({ db: world.db, store: world.documents, client: world.client, taskQueue: world.taskQueue, host: '127.0.0.1', port: 0, maxMessageBytes: 10 * 1024 * 1024 });
});
afterEach(async () => {
  await inbound?.close();
  await world?.close();
});

test('a worker restart in the middle of a reply: both files end up on the case once, and the mail is matched once', async () => {
  const app = exampleApplication('harbor-iul-nigo');
  await world.licensedBroker(app.broker.npn, 'CA', 'HARBOR');
  const { caseId } = await world.submit(app);
  const nigo = await eventually(async () => {
    const m = world.smtp.messages.find((x) => x.idempotencyKey === `${caseId}:nigo:1`);
    expect(m).toBeDefined();
    return m!;
  });

  const transport = nodemailer.createTransport({ url: inbound.url } as never);
  await transport.sendMail({
    from: app.broker.email,
    to: 'newbusiness@bga.example',
    subject: `Re: ${nigo.subject}`,
    inReplyTo: nigo.messageId,
    references: [nigo.messageId],
    text: 'Both pages attached.',
    attachments: [
      { filename: 'page-1.pdf', content: signedPdf },
      { filename: 'page-2.png', content: png },
    ],
  });
  transport.close();

  await stall.reached;
  const midway = await world.state(caseId);
  expect(midway.documents?.map((d) => d.fileName)).toEqual(['page-1.pdf']);
  expect((await world.db.inboundMail.findFirstOrThrow({})).status).toBe('RECEIVED');

  // Stop polling first, as a dying process would, then fail what was in flight.
  const restart = world.restartWorker();
  stall.crash();
  await restart;

  await eventually(async () => expect((await world.db.inboundMail.findFirstOrThrow({})).status).toBe('MATCHED'), 60_000);
  const s = await world.state(caseId);
  expect(s.documents?.map((d) => [d.fileName, d.review, d.inboundMailId !== undefined])).toEqual([
    ['page-1.pdf', 'TO_REVIEW', true],
    ['page-2.png', 'TO_REVIEW', true],
  ]);
  expect(new Set(s.documents!.map((d) => d.sha256)).size).toBe(2);
  await eventually(async () => expect(await world.db.document.count({ where: { caseId } })).toBe(2));
  // One DOCUMENT_RECEIVED per file in the case's history, and one stored copy of each file (plus the raw message).
  expect(s.recentEvents.filter((e) => e.type === 'DOCUMENT_RECEIVED').map((e) => e.description)).toHaveLength(2);
  const stored = fs.readdirSync(path.join(world.dataDir, 'documents'), { recursive: true }).filter((f) => /[0-9a-f]{64}/.test(path.basename(String(f))));
  expect(stored).toHaveLength(3);
  // Nobody was told anything was refused.
  expect(world.smtp.messages.filter((m) => m.idempotencyKey.includes(':inbound:'))).toHaveLength(0);
});
