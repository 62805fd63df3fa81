import type { CaseEmail } from '../case-emails';
import { ActionRefusedError, CaseNotFoundError } from '../case-errors';
import type { CaseState } from '../../domain/case';
import { apiGet, type ApiTarget, apiTarget } from './api-client';
import { printStatus } from './status-print';

/*
 * `bga status` answered by the HTTP API: two GETs with node's own http module. The direct path first
 * loads Temporal's client (protobufjs), Prisma's (a WebAssembly query compiler) and the full
 * program's zod schemas, most of a second before it sends anything. The API reads the same
 * workflow state and email rows with the same code, and the output is printed by the same
 * function. Whatever the API cannot answer falls back to the direct path, which then decides.
 */

/** `status <caseId>`, with or without `--json`. Anything else (help, a typo) is the full program's to parse and explain. */
function statusArgs(args: readonly string[]): { caseId: string; json: boolean } | undefined {
  if (args[0] !== 'status') return undefined;
  const rest = args.slice(1);
  const ids = rest.filter((a) => a !== '--json');
  if (ids.length !== 1 || ids[0]!.startsWith('-') || rest.length > 2) return undefined;
  return { caseId: ids[0]!, json: rest.length === 2 };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A cheap check of what the view reads: the case's identity and the containers it walks. The
 * values inside are the workflow's own state, which the API has already checked against its
 * CaseStateSchema as it answered; what fails here comes from an API of another release.
 */
function isCaseState(v: unknown, caseId: string): v is CaseState {
  return (
    isObject(v) &&
    v.caseId === caseId &&
    ['stage', 'stageEnteredAt', 'receivedAt'].every((k) => typeof v[k] === 'string') &&
    ['requirements', 'plannedRequirements', 'recentEvents'].every((k) => Array.isArray(v[k])) &&
    isObject(v.nigo) &&
    Array.isArray(v.nigo.items) &&
    isObject(v.broker) &&
    isObject(v.rules) &&
    isObject(v.rules.vendors)
  );
}

const isEmail = (e: unknown): e is CaseEmail =>
  isObject(e) && ['template', 'to', 'subject', 'status', 'createdAt'].every((k) => typeof e[k] === 'string') && (e.sentAt === null || typeof e.sentAt === 'string');

function isCaseEmails(v: unknown, caseId: string): v is { emails: CaseEmail[]; links: { temporalUi: string } } {
  return isObject(v) && v.caseId === caseId && Array.isArray(v.emails) && v.emails.every(isEmail) && isObject(v.links) && typeof v.links.temporalUi === 'string';
}

/** The API's answer, or why there is none to show. A case that does not exist or is still opening is an answer: it throws as the direct path would. */
async function askApi(target: ApiTarget, caseId: string): Promise<{ state: CaseState; emails: CaseEmail[]; uiLink: string } | { unanswered: string }> {
  const route = `/v1/cases/${encodeURIComponent(caseId)}`;
  let replies;
  try {
    replies = await Promise.all([apiGet(target, route), apiGet(target, `${route}/emails`)]);
  } catch (err) {
    return { unanswered: `did not answer (${(err as Error).message})` };
  }
  const [kase, mail] = replies;
  const problem = isObject(kase.body) ? kase.body : {};
  if (kase.status === 404 && problem.error === 'not_found' && problem.caseId === caseId) throw new CaseNotFoundError(caseId);
  if (kase.status === 409 && problem.error === 'case_not_ready' && typeof problem.message === 'string') throw new ActionRefusedError(problem.message);
  const failed = [kase, mail].find((r) => r.status !== 200);
  if (failed) return { unanswered: `answered ${failed.status}${isObject(failed.body) && typeof failed.body.error === 'string' ? ` ${failed.body.error}` : ''}` };
  if (!isCaseState(kase.body, caseId) || !isCaseEmails(mail.body, caseId)) return { unanswered: 'answered in a form this bga does not read' };
  return { state: kase.body, emails: mail.body.emails, uiLink: mail.body.links.temporalUi };
}

/**
 * Answers `bga status` through the API when there is one and the arguments are the plain form;
 * false means the full program is to run the command. Only an API chosen with BGA_API_URL is
 * worth a note when it does not answer: the local stack's is merely tried.
 */
export async function answerStatusFromApi(args: readonly string[]): Promise<boolean> {
  const command = statusArgs(args);
  const target = command && apiTarget();
  if (!command || !target) return false;
  const answer = await askApi(target, command.caseId);
  if ('unanswered' in answer) {
    if (target.explicit) process.stderr.write(`bga: the API at ${target.url} ${answer.unanswered}; reading Temporal and PostgreSQL directly instead.\n`);
    return false;
  }
  printStatus(answer.state, answer.emails, answer.uiLink, command.json);
  return true;
}
