import type { Command } from 'commander';
import { type CaseEmail, caseEmails } from '../case-emails';
import { getCase } from '../operations';
import { examples, type JsonOption, withJson } from './options';
import { inSession, type Session } from './session';
import { printStatus } from './status-print';

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

/**
 * The direct path of `bga status`. When an HTTP API is configured or the local stack's is
 * running, main.ts has the API answer first (status-api.ts) and this runs only if it did not.
 */
export function registerStatusCommand(program: Command): void {
  const status = withJson(
    program.command('status').description('show where a case stands: stage, NIGO items, open requirements, documents, recent events, emails').argument('<caseId>'),
  ).action(async (caseId: string, opts: JsonOption) => {
    await inSession(async (session) => {
      const state = await getCase(await session.client(), caseId);
      const { emails, failure } = await emailsFor(session, caseId);
      printStatus(state, emails ?? (failure ? 'Emails: not shown (see the error below).' : NO_DATABASE), session.uiLink(caseId), opts.json === true);
      if (failure) throw failure;
    });
  });
  examples(status, ['bga status case-summit-sm-2026-10431', 'bga status case-summit-sm-2026-10431 --json | jq .case.stage']);
  status.addHelpText(
    'after',
    '\nFind case IDs with `bga list`. The case is read through the HTTP API when BGA_API_URL and BGA_API_KEY are set,' +
      '\nor a local `npm start` runs one; else from Temporal and PostgreSQL. Either way it shows the same.' +
      '\nIn JSON, "emails" is null when there is neither an API nor DATABASE_URL to read them from.',
  );
}
