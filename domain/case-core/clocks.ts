import { type CaseRequirement, type CaseState, isOpen, type Outcome } from '../case';
import type { CaseBook } from './book';
import type { Email, emailsOn } from './emails';

/*
 * Follow-up clocks. Broker items are chased with the broker, vendor orders with the vendor;
 * each escalates to the case manager after its limit, and the case closes as incomplete when
 * the carrier's limits run out. Everything here is driven by workflow time, so a
 * time-skipping test walks months of chasing in seconds.
 */

export interface Clock {
  book: CaseBook;
  send(email: Email): void;
  addDays(date: string, businessDays: number): string;
  today(): string;
  /** The emails as of today. */
  readonly emails: ReturnType<typeof emailsOn>;
  /** The case's time (workflow time in the workflow), as an ISO instant. */
  now(): string;
  close(outcome: Outcome, reason: string): void;
  requestLicensingRecheck(): void;
}

const DAY_MS = 86_400_000;

/** Follow-ups go out at 14:00 UTC (morning in US time zones) on their business day. */
export const dueAt = (date: string): number => Date.parse(`${date}T14:00:00Z`);

function nigoCloseAt(s: CaseState, addDays: Clock['addDays']): number | undefined {
  if (!s.nigo.noticeSentAt || !s.nigo.items.some((i) => !i.resolved)) return undefined;
  return dueAt(addDays(s.nigo.noticeSentAt.slice(0, 10), s.rules.followUp.closeIncompleteAfterBusinessDays));
}

function validityEndsAt(s: CaseState): number | undefined {
  if (s.policyNumber) return undefined;
  return Date.parse(`${s.signedOn}T00:00:00Z`) + s.rules.followUp.applicationValidDays * DAY_MS;
}

/** Cases waiting on the client's side close after the carrier's inactivity limit. */
function inactivityEndsAt(s: CaseState): number | undefined {
  const waitingOnClient = s.stage === 'REQUIREMENTS' || (s.stage === 'UNDERWRITING' && !s.decision);
  if (!waitingOnClient || !s.requirements.some(isOpen)) return undefined;
  return Date.parse(s.lastActivityAt) + s.rules.followUp.closeInactiveAfterDays * DAY_MS;
}

const licensingRecheckAt = (s: CaseState): number | undefined =>
  s.stage === 'LICENSING_HOLD' && s.licensing ? Date.parse(s.licensing.checkedAt) + DAY_MS : undefined;

/** The earliest moment a clock has something to do; undefined when only people can move the case. */
export function nextWake(s: CaseState, addDays: Clock['addDays']): number | undefined {
  if (s.stage === 'CLOSED') return undefined;
  const times: (number | undefined)[] = [validityEndsAt(s), inactivityEndsAt(s), licensingRecheckAt(s)];
  if (s.stage === 'COMPLETENESS_REVIEW') {
    times.push(nigoCloseAt(s, addDays));
    if (s.nigo.nextReminderOn && s.nigo.items.some((i) => !i.resolved)) times.push(dueAt(s.nigo.nextReminderOn));
  }
  for (const r of s.requirements) if (isOpen(r) && r.nextFollowUpOn) times.push(dueAt(r.nextFollowUpOn));
  const defined = times.filter((t): t is number => t !== undefined);
  return defined.length ? Math.min(...defined) : undefined;
}

export function runClocks(c: Clock): void {
  const s = c.book.state;
  if (s.stage === 'CLOSED') return;
  const now = Date.parse(c.now());
  const validity = validityEndsAt(s);
  if (validity !== undefined && now >= validity) {
    c.close('CLOSED_INCOMPLETE', `the application signed ${s.signedOn} expired after ${s.rules.followUp.applicationValidDays} days`);
    return;
  }
  if (s.stage === 'COMPLETENESS_REVIEW') {
    runNigoClock(c, now);
    return;
  }
  const inactive = inactivityEndsAt(s);
  if (inactive !== undefined && now >= inactive) {
    c.close('CLOSED_INCOMPLETE', `no activity for ${s.rules.followUp.closeInactiveAfterDays} days with requirements outstanding`);
    return;
  }
  runRequirementClocks(c, now);
  const recheck = licensingRecheckAt(s);
  if (recheck !== undefined && now >= recheck) c.requestLicensingRecheck();
}

function runNigoClock(c: Clock, now: number): void {
  const s = c.book.state;
  const n = s.nigo;
  const closeAt = nigoCloseAt(s, c.addDays);
  if (closeAt !== undefined && now >= closeAt) {
    c.close('CLOSED_INCOMPLETE', `missing items not received within ${s.rules.followUp.closeIncompleteAfterBusinessDays} business days`);
    return;
  }
  if (!n.nextReminderOn || now < dueAt(n.nextReminderOn) || !n.items.some((i) => !i.resolved)) return;
  n.remindersSent += 1;
  n.nextReminderOn = c.addDays(c.today(), s.rules.followUp.brokerReminderBusinessDays);
  c.book.event('REMINDER_SENT', 'system', `Reminder ${n.remindersSent} to the broker about missing items`);
  c.send(c.emails.nigoReminder(s, n.remindersSent, closeAt));
  if (n.remindersSent >= s.rules.followUp.remindersBeforeEscalation && !n.escalated) {
    n.escalated = true;
    c.book.event('ESCALATED', 'system', 'Missing items escalated to the case manager');
    c.send(c.emails.nigoEscalation(s));
  }
}

function runRequirementClocks(c: Clock, now: number): void {
  const s = c.book.state;
  const due = s.requirements.filter((r) => isOpen(r) && r.nextFollowUpOn && now >= dueAt(r.nextFollowUpOn));
  if (due.length === 0) return;
  const escalate: CaseRequirement[] = [];
  const brokerDue: CaseRequirement[] = [];
  for (const r of due) {
    r.followUpCount += 1;
    c.book.touch(r);
    const vendor = r.vendorCode ? s.rules.vendors[r.vendorCode] : undefined;
    if (vendor) {
      r.nextFollowUpOn = c.addDays(c.today(), vendor.followUpBusinessDays);
      c.book.event('FOLLOW_UP', 'system', `Follow-up ${r.followUpCount} with ${vendor.name} on ${r.description}`, { key: r.key });
      const email = c.emails.vendorFollowUp(s, r, vendor);
      if (email) c.send(email);
      if (r.followUpCount >= s.rules.followUp.vendorFollowUpsBeforeEscalation && !r.escalated) escalate.push(r);
    } else {
      r.nextFollowUpOn = c.addDays(c.today(), s.rules.followUp.brokerReminderBusinessDays);
      brokerDue.push(r);
      if (r.followUpCount >= s.rules.followUp.remindersBeforeEscalation && !r.escalated) escalate.push(r);
    }
  }
  if (brokerDue.length) {
    c.book.event('REMINDER_SENT', 'system', `Reminder to the broker about ${brokerDue.length} outstanding requirement(s)`);
    c.send(c.emails.requirementReminder(s, brokerDue));
  }
  if (escalate.length) {
    for (const r of escalate) r.escalated = true;
    c.book.event('ESCALATED', 'system', `Escalated to the case manager: ${escalate.map((r) => r.description).join(', ')}`);
    c.send(c.emails.requirementEscalation(s, escalate));
  }
}
