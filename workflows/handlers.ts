import type { UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure, condition, patched, setHandler } from '@temporalio/workflow';
import type { z } from 'zod';
import type * as Actions from '../domain/actions';
import { CATALOGUE } from '../domain/catalogue';
import { type CaseRequirement, type CaseState, isOpen, type Outcome } from '../domain/case';
import type { PlannedRequirement } from '../domain/evaluation';
import { physicianSlug } from '../domain/physician';
import type { CaseBook } from './case-book';
import { type Email, emails } from './emails';
import * as msg from './messages';

/** What the handlers need from the running workflow. `book()` is undefined until intake is done. */
export interface HandlerContext {
  book(): CaseBook | undefined;
  flush(): Promise<void>;
  send(email: Email): void;
  addDays(date: string, businessDays: number): string;
  today(): string;
  now(): string;
  closeCase(outcome: Outcome, reason: string, actor: string): void;
  addPlanned(p: PlannedRequirement, actor: string): CaseRequirement;
  recordAppointment(input: { appointedOn: string; actor: string; license?: { state: string; licenseNumber: string; expiresOn: string } }): Promise<void>;
  requestLicensingRecheck(): void;
}

/**
 * The action schemas, loaded on first use. Workflow modules are evaluated afresh for every
 * workflow, and zod with these schemas costs about 1.4 MB and 18 ms each time; most cases sit
 * on their timers and never validate an update while cached.
 */
let actions: typeof Actions | undefined;
const schemas = (): typeof Actions => (actions ??= require('../domain/actions') as typeof Actions);

/** Requirement emails keyed by occurrence of the status (see emails.requirementUpdate). */
const REQUIREMENT_EMAIL_KEYS = 'requirement-email-key-by-occurrence';

const VENDOR_KIND = { EXAM_VENDOR: 'exam', APS_VENDOR: 'aps', INSPECTION_VENDOR: 'inspection' } as const;

export function registerHandlers(ctx: HandlerContext): void {
  setHandler(msg.caseStateQuery, () => ctx.book()?.state as CaseState);

  const openBook = (): CaseBook => {
    const book = ctx.book()!;
    const s = book.state;
    if (s.stage === 'CLOSED') throw new Error(`Case ${s.caseId} is closed (${s.outcome?.outcome}); no further changes are accepted.`);
    return book;
  };

  const requirement = (book: CaseBook, key: string, mustBeOpen = true): CaseRequirement => {
    const r = book.requirement(key);
    if (!r) {
      const keys = book.state.requirements.map((x) => x.key).join(', ') || 'none yet';
      throw new Error(`key: no requirement "${key}" on this case (requirements: ${keys})`);
    }
    if (mustBeOpen && !isOpen(r)) throw new Error(`key: requirement ${key} is already ${r.status.toLowerCase()}`);
    return r;
  };

  /**
   * One shape for every action: the validator parses and checks against the case, so bad input
   * never reaches history; the handler applies it, runs the effects (emails, orders, the
   * database sync) and returns the new state. An update that arrives while the case is still
   * being opened waits for intake and is validated then.
   */
  function on<S extends z.ZodType>(
    def: UpdateDefinition<CaseState, [z.input<S>]>,
    schema: (a: typeof Actions) => S,
    check: (book: CaseBook, a: z.output<S>) => void,
    apply: (book: CaseBook, a: z.output<S>) => void | Promise<void>,
  ): void {
    const validate = (raw: unknown): z.output<S> => {
      const a = schemas().parseAction(schema(schemas()) as z.ZodType<z.output<S>>, raw);
      check(openBook(), a);
      return a;
    };
    // An update that came during intake passed a validator that could not judge it yet. Refused
    // here, it must fail as the update's own failure: any other error fails the workflow task,
    // on every retry, and the case with it. (An update a rewind reapplies skips the validator too;
    // when it meets an open case that is not ready for it, the failed task is retried until it is.)
    const validatedAfterIntake = (raw: unknown): z.output<S> => {
      try {
        return validate(raw);
      } catch (err) {
        throw ApplicationFailure.nonRetryable((err as Error).message, 'ActionRefused');
      }
    };
    setHandler(
      def,
      async (raw) => {
        const duringIntake = !ctx.book();
        if (duringIntake) await condition(() => ctx.book() !== undefined);
        const a = duringIntake ? validatedAfterIntake(raw) : validate(raw);
        await apply(ctx.book()!, a);
        await ctx.flush();
        return ctx.book()!.state;
      },
      {
        validator: (raw) => {
          if (ctx.book()) validate(raw);
        },
      },
    );
  }

  on(
    msg.receiveRequirementUpdate,
    (a) => a.ReceiveRequirementSchema,
    (book, a) => requirement(book, a.key),
    (book, a) => {
      const r = requirement(book, a.key);
      r.fulfilledOn = a.receivedOn ?? ctx.today();
      r.nextFollowUpOn = undefined;
      book.setStatus(r, 'RECEIVED', a.actor, a.note);
      if (r.fulfiller === 'BROKER' || r.vendorCode) ctx.send(emails.requirementUpdate(book.state, r, 'RECEIVED', patched(REQUIREMENT_EMAIL_KEYS)));
    },
  );

  on(
    msg.waiveRequirementUpdate,
    (a) => a.WaiveRequirementSchema,
    (book, a) => requirement(book, a.key),
    (book, a) => {
      const r = requirement(book, a.key);
      r.nextFollowUpOn = undefined;
      book.setStatus(r, 'WAIVED', a.actor, a.reason);
      ctx.send(emails.requirementUpdate(book.state, r, 'WAIVED', patched(REQUIREMENT_EMAIL_KEYS)));
    },
  );

  on(
    msg.addRequirementUpdate,
    (a) => a.AddRequirementSchema,
    () => {},
    (book, a) => {
      const s = book.state;
      const entry = CATALOGUE[a.code];
      const kind = entry.fulfiller in VENDOR_KIND ? VENDOR_KIND[entry.fulfiller as keyof typeof VENDOR_KIND] : undefined;
      const vendorCode = kind ? s.rules.vendorByKind[kind] : undefined;
      const base = a.physician ? `${a.code}:${physicianSlug(a.physician.name)}` : a.code;
      let key = base;
      for (let n = 2; book.requirement(key); n++) key = `${base}:${n}`;
      const r = ctx.addPlanned(
        {
          key,
          code: a.code,
          description: a.description ?? entry.description,
          fulfiller: entry.fulfiller,
          ...(vendorCode ? { vendorCode } : {}),
          source: a.source,
          phase: s.stage === 'PLACEMENT' ? 'DELIVERY' : s.submission ? 'UNDERWRITING' : 'PRE_SUBMISSION',
          ...(entry.clientAction ? { clientAction: entry.clientAction } : {}),
          ...(a.physician ? { physician: a.physician } : {}),
        },
        a.actor,
      );
      if (a.carrierOrderNumber) r.carrierOrderNumber = a.carrierOrderNumber;
      if (a.note) book.event('NOTE', a.actor, a.note);
      ctx.send(emails.requirementUpdate(s, r, 'ADDED_BY_CARRIER', patched(REQUIREMENT_EMAIL_KEYS)));
    },
  );

  on(
    msg.reviewUpdate,
    (a) => a.ReviewSchema,
    (book, a) => {
      const s = book.state;
      if (s.stage !== 'COMPLETENESS_REVIEW') throw new Error(`The completeness review is over; the case is in ${s.stage}.`);
      const keys = new Set(s.nigo.items.map((i) => i.key));
      const unknown = a.resolvedItems.filter((k) => !keys.has(k));
      if (unknown.length) throw new Error(`resolvedItems: unknown item(s) ${unknown.join(', ')}; items are ${[...keys].join(', ')}`);
    },
    (book, a) => {
      const s = book.state;
      const resolved = a.inGoodOrder ? s.nigo.items.filter((i) => !i.resolved).map((i) => i.key) : a.resolvedItems;
      for (const item of s.nigo.items) if (resolved.includes(item.key)) item.resolved = true;
      if (resolved.length) book.event('NIGO_RESOLVED', a.actor, `Resolved: ${resolved.join(', ')}`, { keys: resolved });
      if (a.returnItems.length) {
        const n = s.nigo.items.length;
        a.returnItems.forEach((message, i) => s.nigo.items.push({ key: `RETURNED:${n + i + 1}`, kind: 'MISSING_FIELD', message, resolved: false }));
        book.event('NIGO_RETURNED', a.actor, `Returned to the broker: ${a.returnItems.join('; ')}`);
        s.nigo.noticeSentAt ??= ctx.now();
        s.nigo.nextReminderOn = ctx.addDays(ctx.today(), s.rules.followUp.brokerReminderBusinessDays);
        const closeOn = ctx.addDays(s.nigo.noticeSentAt.slice(0, 10), s.rules.followUp.closeIncompleteAfterBusinessDays);
        ctx.send(emails.nigo(s, closeOn, `nigo:returned:${n}`));
      }
      if (a.note) book.event('NOTE', a.actor, a.note);
    },
  );

  on(
    msg.reviewRequirementUpdate,
    (a) => a.ReviewRequirementSchema,
    (book, a) => {
      const r = requirement(book, a.key, false);
      if (r.status !== 'RECEIVED') throw new Error(`key: requirement ${a.key} is ${r.status.toLowerCase()}; only received requirements can be reviewed`);
    },
    (book, a) => {
      const s = book.state;
      const r = requirement(book, a.key, false);
      if (a.result === 'ACCEPTED') {
        book.setStatus(r, 'REVIEWED', a.actor, a.note);
        return;
      }
      r.fulfilledOn = undefined;
      const cadence = r.vendorCode ? s.rules.vendors[r.vendorCode]?.followUpBusinessDays : undefined;
      r.nextFollowUpOn = ctx.addDays(ctx.today(), cadence ?? s.rules.followUp.brokerReminderBusinessDays);
      book.setStatus(r, 'OUTSTANDING', a.actor, `rejected on review${a.note ? `: ${a.note}` : ''}`);
      ctx.send(emails.requirementUpdate(s, r, 'REJECTED', patched(REQUIREMENT_EMAIL_KEYS)));
    },
  );

  on(
    msg.vendorStatusUpdate,
    (a) => a.VendorStatusSchema,
    (book, a) => {
      if (!requirement(book, a.key).vendorCode) throw new Error(`key: requirement ${a.key} is not fulfilled by a vendor`);
    },
    (book, a) => {
      const r = requirement(book, a.key);
      if (a.providerOrderNumber) r.providerOrderNumber = a.providerOrderNumber;
      if (a.status === 'SCHEDULED') {
        r.scheduledFor = a.scheduledFor;
        r.nextFollowUpOn = ctx.addDays(a.scheduledFor!, 1);
        book.setStatus(r, 'SCHEDULED', a.actor, `scheduled for ${a.scheduledFor}${a.note ? ` — ${a.note}` : ''}`);
      } else if (a.status === 'COMPLETED') {
        r.fulfilledOn = ctx.today();
        r.nextFollowUpOn = undefined;
        book.setStatus(r, 'RECEIVED', a.actor, a.note ?? 'completed by the vendor');
      } else if (a.status === 'CANCELLED') {
        r.nextFollowUpOn = undefined;
        book.setStatus(r, 'CANCELLED', a.actor, a.note ?? 'cancelled by the vendor');
      } else {
        book.event('VENDOR_DELAY', a.actor, `${r.description}: the vendor reports a delay${a.note ? ` — ${a.note}` : ''}`, { key: r.key });
        book.touch(r);
      }
    },
  );

  on(
    msg.carrierDecisionUpdate,
    (a) => a.CarrierDecisionSchema,
    (book, a) => {
      const s = book.state;
      if (a.decision === 'ISSUED') {
        if (s.stage !== 'APPROVED') throw new Error(`decision: a policy is issued only once the case is approved (and any offer accepted); it is in ${s.stage}`);
      } else if (s.stage !== 'UNDERWRITING' || s.decision) {
        throw new Error(`decision: underwriting decisions are taken in UNDERWRITING; the case is in ${s.stage}${s.decision ? ` with decision ${s.decision.decision}` : ''}`);
      }
    },
    (book, a) => {
      const s = book.state;
      if (a.decision === 'ISSUED') {
        s.policyNumber = a.policyNumber;
        book.event('ISSUED', a.actor, `Policy ${a.policyNumber} issued`);
        return;
      }
      s.decision = {
        decision: a.decision,
        at: ctx.now(),
        actor: a.actor,
        ...('riskClass' in a ? { riskClass: a.riskClass } : {}),
        ...('rating' in a && a.rating ? { rating: a.rating } : {}),
        ...('reason' in a ? { reason: a.reason } : {}),
        ...('postponeUntil' in a && a.postponeUntil ? { postponeUntil: a.postponeUntil } : {}),
      };
      book.event('DECISION', a.actor, `Carrier decision: ${a.decision.replace(/_/g, ' ').toLowerCase()}`, { decision: a.decision });
      ctx.send(emails.decision(s));
    },
  );

  on(
    msg.offerResponseUpdate,
    (a) => a.OfferResponseSchema,
    (book) => {
      if (book.state.stage !== 'OFFER_PENDING') throw new Error(`accepted: no counter-offer is pending; the case is in ${book.state.stage}`);
    },
    (book, a) => {
      book.state.offerAccepted = a.accepted;
      book.event('OFFER_RESPONSE', a.actor, a.accepted ? 'The client accepted the counter-offer' : 'The client declined the counter-offer');
      if (a.note) book.event('NOTE', a.actor, a.note);
    },
  );

  on(
    msg.recordAppointmentUpdate,
    (a) => a.RecordAppointmentSchema,
    () => {},
    async (book, a) => {
      await ctx.recordAppointment({ appointedOn: a.appointedOn, actor: a.actor, ...(a.license ? { license: a.license } : {}) });
      const s = book.state;
      book.event('APPOINTMENT_RECORDED', a.actor, `Appointment with ${s.carrierCode} recorded${a.license ? ` with ${a.license.state} licence ${a.license.licenseNumber}` : ''}`);
      ctx.requestLicensingRecheck();
    },
  );

  on(
    msg.recheckLicensingUpdate,
    (a) => a.RecheckLicensingSchema,
    (book) => {
      if (book.state.stage !== 'LICENSING_HOLD') throw new Error(`The case is not held for licensing; it is in ${book.state.stage}.`);
    },
    (book, a) => {
      book.event('LICENSING_RECHECK', a.actor, 'Licence and appointment re-check requested');
      ctx.requestLicensingRecheck();
    },
  );

  on(
    msg.withdrawUpdate,
    (a) => a.WithdrawSchema,
    () => {},
    (book, a) => ctx.closeCase(book.state.policyNumber ? 'NOT_TAKEN' : 'WITHDRAWN', a.reason, a.actor),
  );

  on(
    msg.noteUpdate,
    (a) => a.NoteSchema,
    () => {},
    (book, a) => void book.event('NOTE', a.actor, a.text),
  );
}
