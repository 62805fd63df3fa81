import nodemailer, { type Transporter } from 'nodemailer';

export type Mailer = Transporter;

/**
 * One pooled SMTP transport per process. `smtp://host:port` for a local sink,
 * `smtps://user:pass@host:465` or `smtp://…?requireTLS=true` for a real relay.
 */
export function createMailer(smtpUrl: string): Mailer {
  const url = new URL(smtpUrl);
  url.searchParams.set('pool', 'true');
  if (!url.searchParams.has('maxConnections')) url.searchParams.set('maxConnections', '5');
  return nodemailer.createTransport(url.toString());
}
