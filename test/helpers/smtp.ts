import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  idempotencyKey: string;
  attachments: { filename: string; content: string }[];
  parsed: ParsedMail;
}

/** A real SMTP server on a free port that keeps and parses every message it accepts. */
export class SmtpCapture {
  readonly messages: CapturedMail[] = [];
  private server: SMTPServer;
  port = 0;
  /** Connection-level errors the server reported, such as resets by a killed client. */
  readonly connectionErrors: string[] = [];

  constructor() {
    this.server = this.create();
  }

  private create(): SMTPServer {
    const server = new SMTPServer({
      authOptional: true,
      // Pooled client connections would otherwise hold close() for 30 s.
      closeTimeout: 200,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
            this.messages.push({
              to,
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              messageId: parsed.messageId ?? '',
              idempotencyKey: String(parsed.headers.get('x-bga-idempotency-key') ?? ''),
              attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? '', content: a.content.toString('utf8') })),
              parsed,
            });
            callback();
          })
          .catch(callback);
      },
    });
    // A client killed mid-transaction (the crash test's kill -9) resets its connection; the
    // server reports that as an 'error' event, which unhandled would end the test process.
    server.on('error', (err) => {
      this.connectionErrors.push(err.message);
    });
    return server;
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): CapturedMail[] {
    return this.messages.filter((m) => m.to.includes(address));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server = this.create();
  }
}

export async function startSmtpCapture(): Promise<SmtpCapture> {
  return new SmtpCapture().start();
}
