import type { Command } from 'commander';
import { createMailer } from '../../platform/mailer';
import { confirmDelivered, type Resolution, resendUnconfirmed } from '../email-resolution';
import { UsageError } from './errors';
import { type ActionOptions, examples, withChangeOptions } from './options';
import { print, printJson } from './output';
import { inSession } from './session';

/* Settling emails flagged UNCONFIRMED or STALLED, as `bga report worklist` lists them. */

function show(r: Resolution, opts: ActionOptions): void {
  if (opts.json) return printJson(r);
  print(`Email ${r.key} to ${r.to} ("${r.subject}") is ${r.status}: ${r.resolution.toLowerCase()} by ${r.resolvedBy} at ${r.resolvedAt.slice(0, 16).replace('T', ' ')}Z.`);
}

export function registerEmailCommands(program: Command): void {
  const email = program.command('email').description('settle emails flagged UNCONFIRMED or STALLED: confirm the recipient has them, or resend them (needs DATABASE_URL)');

  const confirm = withChangeOptions(
    email
      .command('confirm')
      .description('record that the recipient has the email, so it counts as sent')
      .argument('<key>', "the email's key, as `bga report worklist` shows it")
      .requiredOption('--note <text>', 'how you know, e.g. "Broker confirmed receipt by phone"'),
  ).action(async (key: string, o: ActionOptions & { note: string }) => {
    await inSession(async (session) => show(await confirmDelivered(await session.db(), key, o.as, o.note), o));
  });
  examples(confirm, ['bga email confirm case-summit-sm-2026-10431:nigo:1 --note "Broker has it; called 10:40"']);

  const resend = withChangeOptions(
    email
      .command('resend')
      .description('send the email again, with the same Message-ID, and record that you did')
      .argument('<key>', "the email's key, as `bga report worklist` shows it")
      .option('--note <text>', 'why', 'recipient does not have it'),
  ).action(async (key: string, o: ActionOptions & { note: string }) => {
    await inSession(async (session) => {
      const { smtpUrl, env } = session.config;
      if (!smtpUrl) throw new UsageError('SMTP_URL is not set; resending needs the SMTP relay the workers use.');
      const mailer = createMailer(smtpUrl);
      try {
        show(await resendUnconfirmed({ db: await session.db(), mailer, mailFrom: env.MAIL_FROM }, key, o.as, o.note), o);
      } finally {
        mailer.close();
      }
    });
  });
  examples(resend, ['bga email resend case-summit-sm-2026-10431:nigo:1']);
}
