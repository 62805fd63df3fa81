import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Db } from '../../platform/db';
import type { DocumentStore } from '../../platform/document-store';

/*
 * The inbound SMTP server: brokers' and vendors' replies, forwarded by the mail relay. A
 * message is acknowledged only once it is kept (encrypted in the document store, listed in
 * PostgreSQL) and its processing has started in Temporal; until then the sending server is
 * told to try again later, so no mail is lost to an outage here.
 */

export interface InboundReceiverOptions {
  db: Db;
  store: DocumentStore;
  client: Client;
  taskQueue: string;
  host: string;
  port: number;
  /** The largest message taken, in bytes; larger ones are refused with 552. */
  maxMessageBytes: number;
  log?: (line: string) => void;
}

export interface InboundReceiver {
  url: string;
  close(): Promise<void>;
}

/** The relay's retry of a message is the same row and the same workflow. */
export function inboundMailIdFor(messageId: string | undefined, raw: Buffer): string {
  const basis = messageId?.trim() || crypto.createHash('sha256').update(raw).digest('hex');
  return `mail-${crypto.createHash('sha256').update(basis).digest('hex').slice(0, 24)}`;
}

/** A message carries its attachments base64-encoded, a third larger than the files, plus its text. */
export const inboundMessageLimit = (maxDocumentMb: number): number => Math.ceil(maxDocumentMb * 1024 * 1024 * 1.4) + 1024 * 1024;

class TryLater extends Error {
  readonly responseCode = 451;
}

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startInboundReceiver(o: InboundReceiverOptions): Promise<InboundReceiver> {
  async function keep(raw: Buffer, session: SMTPServerSession): Promise<string> {
    const head = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
    const messageId = head.messageId;
    const id = inboundMailIdFor(messageId, raw);
    const sha256 = crypto.createHash('sha256').update(raw).digest('hex');
    await o.store.put(sha256, raw);
    const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    await o.db.inboundMail.createMany({
      data: [
        {
          id,
          messageId: (messageId ?? `(none; ${sha256.slice(0, 16)})`).slice(0, 500),
          fromAddress: (head.from?.text || envelopeFrom).slice(0, 500),
          subject: (head.subject ?? '').slice(0, 500),
          rawSha256: sha256,
          size: raw.length,
          status: 'RECEIVED',
        },
      ],
      skipDuplicates: true,
    });
    try {
      await o.client.workflow.start('inboundMailWorkflow', { taskQueue: o.taskQueue, workflowId: `inbound-${id}`, args: [{ mailId: id }] });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    return id;
  }

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: o.maxMessageBytes,
    banner: 'BGA new-business inbound mail',
    logger: false,
    onData(stream, session, callback) {
      readAll(stream)
        .then(async (raw) => {
          if (stream.sizeExceeded) {
            const err = Object.assign(new Error(`Message too large: the limit is ${Math.round(o.maxMessageBytes / 1048576)} MB`), { responseCode: 552 });
            return callback(err);
          }
          try {
            const id = await keep(raw, session);
            o.log?.(`Inbound mail ${id} kept (${raw.length} bytes)`);
            callback(null, `Kept as ${id}`);
          } catch (err) {
            o.log?.(`Inbound mail not kept, sender asked to retry: ${(err as Error).message}`);
            callback(new TryLater(`Cannot take the message now (${(err as Error).message.split('\n')[0]}); try again later`));
          }
        })
        .catch((err: Error) => callback(new TryLater(err.message)));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => o.log?.(`Inbound mail server error: ${err.message}`));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  return {
    url: `smtp://${o.host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
