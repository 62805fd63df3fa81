import type { Command } from 'commander';
import type { InboundMailOutcome } from '../../activities/inbound-mail';
import { assignMail, listUnmatched } from '../inbound/unmatched';
import { type ActionOptions, examples, type JsonOption, withChangeOptions, withJson } from './options';
import { clip, minute, print, printJson, table } from './output';
import { inSession } from './session';

/* Replies the inbound receiver could not put on a case: listed, then assigned by hand (needs DATABASE_URL). */

function outcomeLine(mailId: string, caseId: string, o: InboundMailOutcome): string {
  if (o.status === 'ALREADY_PROCESSED') return `Mail ${mailId} was already put on case ${o.caseId ?? caseId}; nothing was repeated.`;
  const parts = [
    o.received.length ? `received ${o.received.join(', ')} (to review)` : '',
    o.duplicates.length ? `already on the case: ${o.duplicates.join(', ')}` : '',
    o.refused.length ? `refused ${o.refused.map((r) => `${r.fileName}: ${r.problem}`).join('; ')} (the sender is told)` : '',
  ].filter(Boolean);
  return `Mail ${mailId} put on case ${caseId}: ${parts.join('; ') || 'no attachments; its text is a case note'}.`;
}

export function registerMailCommands(program: Command): void {
  const mail = program.command('mail').description('inbound mail that matched no case: list it, put it on its case');

  const unmatched = withJson(mail.command('unmatched').description('list replies that matched no case, oldest first')).action(async (o: JsonOption) => {
    await inSession(async (session) => {
      const rows = await listUnmatched(await session.db());
      if (o.json) return printJson({ mail: rows });
      if (!rows.length) return print('Unmatched mail: none');
      print([`Unmatched mail (${rows.length}):`, table(['ID', 'Received', 'From', 'Subject'], rows.map((r) => [r.id, minute(r.receivedAt), clip(r.from, 40), clip(r.subject, 60)]))].join('\n'));
    });
  });
  examples(unmatched, ['bga mail unmatched']);

  const assign = withChangeOptions(
    mail
      .command('assign')
      .description("put an unmatched mail's attachments on a case, to review")
      .argument('<mailId>', 'as `bga mail unmatched` lists it')
      .argument('<caseId>')
      .option('--requirement <key>', 'the requirement its files fulfil')
      .option('--item <key>', 'the NIGO item its files resolve'),
  ).action(async (mailId: string, caseId: string, o: ActionOptions & { requirement?: string; item?: string }) => {
    await inSession(async (session) => {
      const assignment = { caseId, actor: o.as, ...(o.requirement ? { requirementKey: o.requirement } : {}), ...(o.item ? { nigoItemKey: o.item } : {}) };
      const outcome = await assignMail(await session.client(), session.config.temporal.taskQueue, await session.db(), mailId, assignment);
      if (o.json) return printJson(outcome);
      print(outcomeLine(mailId, caseId, outcome));
    });
  });
  examples(assign, ['bga mail assign mail-5c1d0e9f2a7b83d4e6f1 case-harbor-hl-558120 --item MISSING_SIGNATURE:HIPAA:insured']);
}
