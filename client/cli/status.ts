import type { Command } from 'commander';
import { getCase } from '../operations';
import { type CaseEmail, caseEmails } from './case-emails';
import { renderCase, renderEmails } from './case-view';
import { examples, type JsonOption, withJson } from './options';
import { print, printJson } from './output';
import { inSession, type Session } from './session';

const NO_DATABASE = 'Emails: not shown — set DATABASE_URL to read them from PostgreSQL.';

/**
 * The emails come from PostgreSQL, the case from Temporal. The case is shown whatever
 * happens to the email part; an unreachable database still ends the command with its error.
 */
async function emailsFor(session: Session, caseId: string): Promise<{ emails: CaseEmail[] | null; failure?: unknown }> {
  if (!session.hasDatabase) return { emails: null };
  try {
    return { emails: await caseEmails(await session.db(), caseId) };
  } catch (failure) {
    return { emails: null, failure };
  }
}

export function registerStatusCommand(program: Command): void {
  const status = withJson(
    program.command('status').description('show where a case stands: stage, NIGO items, open requirements, recent events, emails').argument('<caseId>'),
  ).action(async (caseId: string, opts: JsonOption) => {
    await inSession(async (session) => {
      const state = await getCase(await session.client(), caseId);
      const { emails, failure } = await emailsFor(session, caseId);
      if (opts.json) {
        printJson({ case: state, emails });
      } else {
        const mail = emails ? renderEmails(emails) : failure ? 'Emails: not shown (see the error below).' : NO_DATABASE;
        print(`${renderCase(state, { now: new Date(), uiLink: session.uiLink(caseId) })}\n\n${mail}`);
      }
      if (failure) throw failure;
    });
  });
  examples(status, ['bga status case-summit-sm-2026-10431', 'bga status case-summit-sm-2026-10431 --json | jq .case.stage']);
  status.addHelpText('after', '\nFind case IDs with `bga list`. In JSON, "emails" is null when DATABASE_URL is not set.');
}
