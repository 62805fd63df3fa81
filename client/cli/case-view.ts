import { type CaseDocument, type CaseRequirement, type CaseState, daysBetween, openRequirements, waitingOn } from '../../domain/case';
import type { CaseEmail } from '../case-emails';
import { clip, dollars, minute, table } from './output';

/*
 * The case summary a case manager reads after `status` and after every action: where the
 * case stands, what is open, who it waits on, and what happened lately.
 */

const RECENT_EVENTS_SHOWN = 10;

const words = (code: string) => code.replace(/_/g, ' ').toLowerCase();
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The party a requirement waits on, named as the case manager would chase it. */
function waitsOn(state: CaseState, r: CaseRequirement): string {
  if (r.vendorCode) return state.rules.vendors[r.vendorCode]?.name ?? r.vendorCode;
  return r.fulfiller;
}

function header(s: CaseState, now: Date, uiLink: string): string[] {
  const lines = [
    `Case ${s.caseId} — ${s.carrierName} (${s.carrierCode}) ${s.productType} "${s.plan}" ${dollars(s.faceAmount)}, application ${s.applicationNumber}`,
    `Insured:  ${s.insuredName}, issue age ${s.issueAge}; signed in ${s.stateOfSigning} on ${s.signedOn}`,
    `Broker:   ${s.broker.name} (NPN ${s.broker.npn}) <${s.broker.email}>`,
    `Stage:    ${s.stage} for ${plural(daysBetween(s.stageEnteredAt, now.toISOString()), 'day')} (since ${s.stageEnteredAt.slice(0, 10)}); received ${s.receivedAt.slice(0, 10)}`,
  ];
  const who = waitingOn(s).map((w) => (w.startsWith('VENDOR:') ? (s.rules.vendors[w.slice(7)]?.name ?? w) : w));
  if (who.length) lines.push(`Waiting:  ${who.join(', ')}`);
  if (s.licensing && !s.licensing.ok) lines.push(`Licensing: ${s.licensing.problems.join('; ')}`);
  if (s.contractingId) lines.push(`Contracting: ${s.contractingId} (\`bga contracting status ${s.broker.npn} ${s.carrierCode}\`)`);
  if (s.decision) {
    const d = s.decision;
    const detail = [d.riskClass, d.rating, d.reason, d.postponeUntil && `until ${d.postponeUntil}`].filter(Boolean).join(', ');
    lines.push(`Decision: ${words(d.decision)}${detail ? ` — ${detail}` : ''} (${d.actor}, ${d.at.slice(0, 10)})`);
  }
  if (s.offerAccepted !== undefined) lines.push(`Offer:    ${s.offerAccepted ? 'accepted' : 'declined'} by the client`);
  if (s.policyNumber) lines.push(`Policy:   ${s.policyNumber}`);
  if (s.outcome) lines.push(`Outcome:  ${s.outcome.outcome} — ${s.outcome.reason} (${s.outcome.actor}, ${s.outcome.at.slice(0, 10)})`);
  lines.push(`Web UI:   ${uiLink}`);
  return lines;
}

function nigo(state: CaseState): string[] {
  const open = state.nigo.items.filter((i) => !i.resolved);
  if (!open.length) return ['NIGO items open: none'];
  const width = Math.max(...open.map((i) => i.key.length));
  return [`NIGO items open (${open.length}):`, ...open.map((i) => `  ${i.key.padEnd(width)}  ${i.message}`)];
}

function requirements(state: CaseState, now: Date): string[] {
  const open = openRequirements(state);
  const done = state.requirements.length - open.length;
  const title = `Outstanding requirements: ${open.length}${done ? ` (${done} more received, reviewed, waived or cancelled)` : ''}`;
  // Before good order nothing is ordered yet; say what will be, so the broker can be told early.
  const planned = state.requirements.length ? [] : state.plannedRequirements.map((p) => p.key);
  if (!open.length) return planned.length ? [title, `To be ordered once in good order: ${planned.join(', ')}`] : [title];
  const rows = open.map((r) => [
    r.key,
    r.description,
    r.escalated ? `${r.status} (escalated)` : r.status,
    waitsOn(state, r),
    r.nextFollowUpOn ?? '—',
    daysBetween(r.requestedOn, now.toISOString()),
  ]);
  return [title, table(['Key', 'Requirement', 'Status', 'Waiting on', 'Next follow-up', 'Days open'], rows)];
}

const REVIEW_WORDS = { TO_REVIEW: 'to review', ACCEPTED: 'accepted', REJECTED: 'rejected' } as const;

const size = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/** Each file under what it fulfils, so a reviewer sees at a glance which requirement has its paper. */
function documents(state: CaseState): string[] {
  const docs = state.documents ?? [];
  if (!docs.length) return ['Documents: none'];
  const toReview = docs.filter((d) => d.review === 'TO_REVIEW').length;
  const forWhat = (d: CaseDocument) => d.requirementKey ?? d.nigoItemKey ?? '(not said)';
  const sorted = [...docs].sort((a, b) => forWhat(a).localeCompare(forWhat(b)) || a.receivedAt.localeCompare(b.receivedAt));
  const rows = sorted.map((d) => [
    forWhat(d),
    d.fileName,
    `${REVIEW_WORDS[d.review]}${d.review === 'REJECTED' && d.reviewNote ? `: ${clip(d.reviewNote, 40)}` : ''}${d.forwardedAt ? ', sent to carrier' : ''}`,
    `${d.sender} (${d.source.toLowerCase()})`,
    minute(d.receivedAt),
    size(d.size),
    d.id,
  ]);
  return [
    `Documents: ${docs.length}${toReview ? `, ${toReview} waiting for review` : ''}`,
    table(['For', 'File', 'Review', 'From', 'Received', 'Size', 'ID'], rows),
  ];
}

function events(state: CaseState): string[] {
  const recent = state.recentEvents.slice(-RECENT_EVENTS_SHOWN);
  if (!recent.length) return ['Recent events: none'];
  return [`Recent events (last ${recent.length}):`, ...recent.map((e) => `  ${minute(e.at)}  ${e.type.padEnd(18)} ${e.actor.padEnd(14)} ${e.description}`)];
}

export function renderCase(state: CaseState, opts: { now: Date; uiLink: string }): string {
  return [header(state, opts.now, opts.uiLink), nigo(state), requirements(state, opts.now), documents(state), events(state)].map((b) => b.join('\n')).join('\n\n');
}

export function renderEmails(emails: CaseEmail[]): string {
  if (!emails.length) return 'Emails sent: none yet';
  const rows = emails.map((e) => [e.sentAt ? minute(e.sentAt) : '—', e.template, e.to, clip(e.subject, 80), e.status]);
  return [`Emails (${emails.length}):`, table(['Sent', 'Template', 'To', 'Subject', 'Status'], rows)].join('\n');
}
