import { addBusinessDays } from '../business-days';
import { type CaseEvent, type CaseRequirement, type CaseState, isOpen, type Outcome } from '../case';
import type { PlannedRequirement } from '../evaluation';
import { CaseBook } from './book';
import { type Clock, nextWake, runClocks } from './clocks';
import { DECIDERS, REQUIREMENT_EMAIL_KEYS } from './deciders';
import { type Email, emailsOn } from './emails';
import { type ActionName, type ActionRequest, describeProblems, REQUESTS_KEPT, Refusal, type RequestRecord } from './requests';

/*
 * The case's business decisions, free of Temporal and of I/O: given the case and an action or
 * the passing of time, it changes the case and lists the effects to run. The workflow feeds it
 * signals and timers and runs what it lists; tests drive it directly.
 */

export interface CoreEnv {
  /** Workflow time, as an ISO instant. */
  now(): string;
  /**
   * Whether a change made after cases were running applies to this one (Temporal's patched()
   * in the workflow, true in tests). Asked at the same points as before the core existed, so
   * recorded histories replay.
   */
  patched(changeId: string): boolean;
}

export type Effect =
  | { kind: 'email'; email: Email }
  | { kind: 'order'; key: string }
  | { kind: 'forward-document'; documentId: string }
  | { kind: 'record-appointment'; appointedOn: string; actor: string; license?: { state: string; licenseNumber: string; expiresOn: string } };

/** Vendor orders still open when a case closes are cancelled by email. */
const CANCEL_VENDOR_ORDERS_ON_CLOSE = 'cancel-vendor-orders-on-close';

export class CaseCore {
  /** The changes the core asks about only when it first needs them (see CoreEnv.patched). */
  static readonly LAZY_PATCHES = [REQUIREMENT_EMAIL_KEYS, CANCEL_VENDOR_ORDERS_ON_CLOSE];

  readonly book: CaseBook;
  /** Effects listed and not yet taken by the shell, in the order the case listed them. */
  readonly effects: Effect[] = [];
  /** Set when something asks for the licence and appointment to be checked again. */
  licensingRecheck = false;
  /** Set when ops asks for a refused submission to be sent again. */
  resubmitRequested = false;

  constructor(
    state: CaseState,
    private readonly env: CoreEnv,
  ) {
    this.book = new CaseBook(state, env.now);
  }

  get state(): CaseState {
    return this.book.state;
  }

  now(): string {
    return this.env.now();
  }

  today(): string {
    return this.env.now().slice(0, 10);
  }

  /** The emails as of the case's today. */
  get emails(): ReturnType<typeof emailsOn> {
    return emailsOn(this.today());
  }

  patched(changeId: string): boolean {
    return this.env.patched(changeId);
  }

  addDays(date: string, businessDays: number): string {
    return addBusinessDays(date, businessDays, this.state.rules.holidays);
  }

  get closed(): boolean {
    return this.state.stage === 'CLOSED';
  }

  send(email: Email): void {
    this.effects.push({ kind: 'email', email });
  }

  effect(e: Effect): void {
    this.effects.push(e);
  }

  /** Takes the listed effects; the shell runs them. */
  takeEffects(): Effect[] {
    return this.effects.splice(0);
  }

  /** Puts the requirement on the case; a vendor's is ordered, a broker's gets its reminder clock. */
  addPlanned(p: PlannedRequirement, actor: string): CaseRequirement {
    if (p.alreadyReceivedOn) return this.book.addRequirement(p, actor, 'RECEIVED', { fulfilledOn: p.alreadyReceivedOn });
    const r = this.book.addRequirement(p, actor, 'OUTSTANDING');
    if (r.vendorCode) this.effects.push({ kind: 'order', key: r.key });
    else if (r.fulfiller === 'BROKER') r.nextFollowUpOn = this.addDays(this.today(), this.state.rules.followUp.brokerReminderBusinessDays);
    return r;
  }

  closeCase(outcome: Outcome, reason: string, actor: string): void {
    if (this.closed) return;
    const state = this.state;
    const openAtClose = state.requirements.filter(isOpen);
    for (const r of openAtClose) this.book.setStatus(r, 'CANCELLED', actor, `case closed: ${outcome.toLowerCase()}`);
    if (this.patched(CANCEL_VENDOR_ORDERS_ON_CLOSE)) {
      for (const r of openAtClose) {
        const vendor = r.vendorCode ? state.rules.vendors[r.vendorCode] : undefined;
        const email = vendor && this.emails.vendorCancellation(state, r, vendor);
        if (email) this.send(email);
      }
    }
    state.outcome = { outcome, reason, at: this.now(), actor };
    this.book.event('CASE_CLOSED', actor, `Closed: ${outcome.replace(/_/g, ' ').toLowerCase()} — ${reason}`, { outcome });
    this.book.enterStage('CLOSED', actor);
    const email = this.emails.outcome(state, openAtClose);
    if (email) this.send(email);
  }

  /** The appointment the action asked for is on file: the hold can be checked again. */
  appointmentRecorded(a: Extract<Effect, { kind: 'record-appointment' }>): void {
    this.book.event(
      'APPOINTMENT_RECORDED',
      a.actor,
      `Appointment with ${this.state.carrierCode} recorded${a.license ? ` with ${a.license.state} licence ${a.license.licenseNumber}` : ''}`,
    );
    this.licensingRecheck = true;
  }

  /** The carrier has the documents: with the ACORD 103, or in a transmittal after it. */
  documentsForwarded(ids: readonly string[], how: string): void {
    for (const d of this.state.documents ?? []) {
      if (!ids.includes(d.id) || d.forwardedAt) continue;
      d.forwardedAt = this.now();
      this.book.event('DOCUMENT_FORWARDED', 'system', `${d.fileName} sent to ${this.state.carrierName} ${how}`, { documentId: d.id });
    }
  }

  // ---- time ----

  private get clock(): Clock {
    return {
      book: this.book,
      send: (email) => this.send(email),
      addDays: (date, n) => this.addDays(date, n),
      today: () => this.today(),
      emails: this.emails,
      now: () => this.now(),
      close: (outcome, reason) => this.closeCase(outcome, reason, 'system'),
      requestLicensingRecheck: () => {
        this.licensingRecheck = true;
      },
    };
  }

  /** Runs every follow-up, reminder and deadline that is due by now. */
  runClocks(): void {
    runClocks(this.clock);
  }

  /** When the next clock is due (epoch ms); undefined when only people can move the case. */
  nextWake(): number | undefined {
    return nextWake(this.state, (date, n) => this.addDays(date, n));
  }

  // ---- actions ----

  /**
   * Applies one request, once: a request ID seen before returns its first outcome and changes
   * nothing. A refusal changes nothing but the trail, which records it with its reasons.
   */
  receive(action: ActionName, request: ActionRequest): RequestRecord {
    const requests = (this.state.requests ??= []);
    const seen = requests.find((r) => r.id === request.requestId);
    if (seen) return seen;
    const actor = actorOf(request.input);
    const record: RequestRecord = { id: request.requestId, action, at: this.now(), ...(actor ? { actor } : {}), status: 'APPLIED', stageBefore: this.state.stage };
    try {
      this.decide(action, request.input);
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      record.status = 'REFUSED';
      record.problems = err.problems;
      record.settledStage = this.state.stage;
      this.book.event('REQUEST_REFUSED', actor ?? 'unknown', `Refused ${action}: ${describeProblems(err.problems)}`, {
        requestId: request.requestId,
        action,
        problems: err.problems,
      }, false);
    }
    requests.push(record);
    if (requests.length > REQUESTS_KEPT) requests.splice(0, requests.length - REQUESTS_KEPT);
    return record;
  }

  /**
   * Parses, checks and applies an action without a request record: the path of actions that
   * reached the case as Temporal Updates, kept so that their histories replay. Throws Refusal.
   */
  decide(action: ActionName, input: unknown): void {
    const decider = DECIDERS[action];
    const parsed = decider.parse(input);
    if (this.closed) throw new Refusal([{ message: `Case ${this.state.caseId} is closed (${this.state.outcome?.outcome}); no further changes are accepted.` }]);
    decider.check(this, parsed);
    decider.apply(this, parsed);
  }

  /** Records the stage each applied request led to; called whenever the case waits. */
  settle(): void {
    for (const r of this.state.requests ?? []) {
      if (r.settledStage !== undefined) continue;
      r.settledStage = this.state.stage;
      const moved = r.stageBefore === r.settledStage ? '' : `; stage ${r.stageBefore} → ${r.settledStage}`;
      this.book.event('REQUEST_APPLIED', r.actor ?? 'unknown', `Applied ${r.action}${moved}`, { requestId: r.id, action: r.action, stage: r.settledStage }, false);
    }
  }
}

/** The requests whose outcome events the database now holds. */
export function markRecorded(state: CaseState, events: readonly CaseEvent[]): void {
  for (const e of events) {
    const id = e.data?.requestId;
    if ((e.type !== 'REQUEST_APPLIED' && e.type !== 'REQUEST_REFUSED') || typeof id !== 'string') continue;
    const record = state.requests?.find((r) => r.id === id);
    if (record) record.recorded = true;
  }
}

function actorOf(input: unknown): string | undefined {
  const actor = input !== null && typeof input === 'object' ? (input as { actor?: unknown }).actor : undefined;
  return typeof actor === 'string' && actor.trim() ? actor.trim().slice(0, 80) : undefined;
}
