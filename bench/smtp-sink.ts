import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { now } from './util';

const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 64 * 1024;

/** The X-BGA-Idempotency-Key header of a raw message; nodemailer folds long values onto a continuation line. */
function idempotencyKey(head: string): string {
  const unfolded = head.replace(/\r\n[ \t]+/g, ' ');
  return /^x-bga-idempotency-key:\s*(\S+)/im.exec(unfolded)?.[1] ?? '';
}

/**
 * An in-process SMTP server that accepts everything and remembers, per idempotency key, when
 * the message was accepted. It reads headers only: parsing bodies would cost the worker's
 * event loop, which it shares, more than the mail does.
 */
export class SmtpSink {
  /** Idempotency key → acceptance time (bench clock). */
  readonly accepted = new Map<string, number>();
  private readonly waiters = new Map<string, (at: number) => void>();
  private server: SMTPServer;
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // The pooled transports of the workers keep connections open; close() must not wait 30 s for them.
      closeTimeout: 200,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let key: string | undefined;
        stream.on('data', (chunk: Buffer) => {
          if (key !== undefined) return;
          chunks.push(chunk);
          size += chunk.length;
          const head = Buffer.concat(chunks);
          const end = head.indexOf(HEADER_END);
          if (end >= 0 || size > MAX_HEADER_BYTES) key = idempotencyKey(head.subarray(0, end >= 0 ? end : size).toString('latin1'));
        });
        stream.on('end', () => {
          this.record(key ?? '', now());
          callback();
        });
      },
    });
  }

  private record(key: string, at: number): void {
    this.accepted.set(key, at);
    // Requirement emails end in an occurrence count the sender cannot know in advance; waiters use the prefix.
    for (const [prefix, waiter] of this.waiters) {
      if (!key.startsWith(prefix)) continue;
      this.waiters.delete(prefix);
      waiter(at);
    }
  }

  /** Resolves with the acceptance time of the first message whose key starts with `prefix`. */
  waitForPrefix(prefix: string): Promise<number> {
    return new Promise((resolve) => this.waiters.set(prefix, resolve));
  }

  has(key: string): boolean {
    return this.accepted.has(key);
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
