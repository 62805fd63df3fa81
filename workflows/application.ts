import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import {
  AddRequirementSchema,
  CarrierDecisionSchema,
  NoteSchema,
  OfferResponseSchema,
  parseAction,
  ReceiveRequirementSchema,
  RecordAppointmentSchema,
  ReviewRequirementSchema,
  ReviewSchema,
  VendorStatusSchema,
  WaiveRequirementSchema,
  WithdrawSchema,
} from '../domain/actions';
import type { Application } from '../domain/application';
import { addBusinessDays } from '../domain/business-days';
import { CATALOGUE } from '../domain/catalogue';
import { type CaseRequirement, type CaseState, isOpen, type Outcome } from '../domain/case';
import type { PlannedRequirement } from '../domain/evaluation';
import { CaseBook } from './case-book';
import { type Clock, nextWake, runClocks } from './clocks';
import { type Email, emails } from './emails';
import * as msg from './messages';
import { describeCase, searchAttributesFor } from './visibility';

type Activities = ReturnType<typeof createActivities>;

/** Database and rules: quick, retried until PostgreSQL answers. */
const records = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
/** SMTP and vendor/carrier channels: may be down for a while; back off up to 10 minutes. */
const delivery = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: ['InvalidEmailRequest', 'EmailRejected', 'DeliveryRejected'],
  },
});

export type ApplicationWorkflowInput =
  | { kind: 'new'; application: Application; receivedAt?: string }
  | { kind: 'continued'; state: CaseState };

export interface ApplicationWorkflowResult {
  outcome: Outcome;
  reason: string;
}

class CaseClosed extends Error {}

type OutboxItem = { kind: 'email'; email: Email } | { kind: 'order'; key: string };

export async function applicationWorkflow(input: ApplicationWorkflowInput): Promise<ApplicationWorkflowResult> {
  const now = () => new Date().toISOString();
  const today = () => now().slice(0, 10);
  // Handlers come first so that no query or update arriving during intake is lost; until the
  // case is open their validators refuse with a "try again" message.
  let book!: CaseBook;
  let state!: CaseState;
  registerHandlers();
  book = new CaseBook(input.kind === 'continued' ? input.state : await intake(input.application, input.receivedAt ?? now()), now);
  state = book.state;
  const outbox: OutboxItem[] = [];
  let licensingRecheck = false;
  let holds = 0;
  let lastSearchAttributes = '';

  const addDays = (date: string, n: number) => addBusinessDays(date, n, state.rules.holidays);
  // ---- what people and systems tell the case ----
  const send = (email: Email) => outbox.push({ kind: 'email', email });
  const closed = () => state.stage === 'CLOSED';

  // ---- effects: emails, orders and the database sync run one at a time, in order ----
  let effects: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    const run = effects.then(runEffects);
    effects = run.catch(() => undefined);
    return run;
  };

  async function runEffects(): Promise<void> {
    while (outbox.length > 0) {
      const item = outbox[0]!;
      if (item.kind === 'email') await deliverEmail(item.email);
      else await orderRequirement(item.key);
      outbox.shift();
    }
    if (book.hasUnsynced()) {
      const changes = book.takeChanges();
      const { requirements: _r, recentEvents: _e, ...scalars } = state;
      try {
        await records.syncCase.executeWithOptions(
          { startToCloseTimeout: '30 seconds', summary: `Record: ${changes.events.at(-1)?.description ?? 'state'}` },
          [{ state: scalars, requirements: changes.requirements, events: changes.events }],
        );
      } catch (err) {
        book.returnChanges(changes);
        throw err;
      }
    }
    const attrs = searchAttributesFor(state);
    const serialized = JSON.stringify(attrs);
    if (serialized !== lastSearchAttributes) {
      upsertSearchAttributes(attrs);
      lastSearchAttributes = serialized;
    }
    setCurrentDetails(describeCase(state));
  }

  async function deliverEmail(email: Email): Promise<void> {
    try {
      await delivery.sendEmail.executeWithOptions({ startToCloseTimeout: '2 minutes', summary: email.summary }, [
        { key: `${state.caseId}:${email.key}`, caseId: state.caseId, to: email.to, data: email.data },
      ]);
      book.event('EMAIL_SENT', 'system', email.summary, { key: email.key, template: email.data.template });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      book.event('EMAIL_FAILED', 'system', `${email.summary} could not be delivered: ${err.cause?.message ?? err.message}`, {
        key: email.key,
      });
    }
  }

  async function orderRequirement(key: string): Promise<void> {
    const r = book.requirement(key);
    if (!r || r.status !== 'OUTSTANDING' || !r.vendorCode) return;
    const vendor = state.rules.vendors[r.vendorCode];
    if (!vendor) throw ApplicationFailure.nonRetryable(`Vendor ${r.vendorCode} is not configured for ${state.carrierCode}`);
    const order = await delivery.orderRequirement.executeWithOptions(
      { startToCloseTimeout: '2 minutes', summary: `Order ${r.description} from ${vendor.name}` },
      [{ caseId: state.caseId, requirement: r, vendor, bgaName: state.rules.bgaName, carrierName: state.carrierName, applicationNumber: state.applicationNumber }],
    );
    r.providerOrderNumber = order.providerOrderNumber;
    r.nextFollowUpOn = addDays(today(), vendor.followUpBusinessDays);
    book.setStatus(r, 'ORDERED', 'system', `order ${order.providerOrderNumber} sent to ${vendor.name} by ${order.channel}`);
  }

  // ---- the follow-up clocks, and waiting on people ----
  const clock: Clock = {
    book,
    send,
    addDays,
    today,
    close: (outcome, reason) => closeCase(outcome, reason, 'system'),
    requestLicensingRecheck: () => {
      licensingRecheck = true;
    },
  };

  /** Waits until `ready()`, running due follow-ups meanwhile; throws CaseClosed when the case closes. */
  async function waitFor(ready: () => boolean, what: string): Promise<void> {
    for (;;) {
      runClocks(clock);
      await flush();
      if (closed()) throw new CaseClosed();
      if (ready()) return;
      if (workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        await flush();
        await continueAsNew<typeof applicationWorkflow>({ kind: 'continued', state });
      }
      const wake = nextWake(state, addDays);
      const seen = state.nextSeq;
      const woke = () => ready() || closed() || state.nextSeq !== seen || outbox.length > 0;
      if (wake === undefined) await condition(woke);
      else await condition(woke, Math.max(wake - Date.now(), 1000), { summary: `${what}; next follow-up ${new Date(wake).toISOString().slice(0, 10)}` });
    }
  }

  function closeCase(outcome: Outcome, reason: string, actor: string): void {
    if (closed()) return;
    const openAtClose = state.requirements.filter(isOpen);
    for (const r of openAtClose) book.setStatus(r, 'CANCELLED', actor, `case closed: ${outcome.toLowerCase()}`);
    state.outcome = { outcome, reason, at: now(), actor };
    book.event('CASE_CLOSED', actor, `Closed: ${outcome.replace(/_/g, ' ').toLowerCase()} — ${reason}`, { outcome });
    book.enterStage('CLOSED', actor);
    const email = emails.outcome(state, openAtClose);
    if (email) send(email);
  }

  function addPlanned(p: PlannedRequirement, actor: string): CaseRequirement {
    if (p.alreadyReceivedOn) {
      return book.addRequirement(p, actor, 'RECEIVED', { fulfilledOn: p.alreadyReceivedOn });
    }
    const r = book.addRequirement(p, actor, 'OUTSTANDING');
    if (r.vendorCode) outbox.push({ kind: 'order', key: r.key });
    else if (r.fulfiller === 'BROKER') r.nextFollowUpOn = addDays(today(), state.rules.followUp.brokerReminderBusinessDays);
    return r;
  }

  const blocksSubmission = (r: CaseRequirement) => isOpen(r) && r.phase === 'PRE_SUBMISSION' && r.fulfiller !== 'CARRIER';

  // ---- stages ----
  async function completenessReview(): Promise<void> {
    const open = () => state.nigo.items.filter((i) => !i.resolved);
    if (open().length > 0 && !state.nigo.noticeSentAt) {
      state.nigo.noticeSentAt = now();
      state.nigo.nextReminderOn = addDays(today(), state.rules.followUp.brokerReminderBusinessDays);
      send(emails.nigo(state, addDays(today(), state.rules.followUp.closeIncompleteAfterBusinessDays), 'nigo:1'));
    }
    await waitFor(() => open().length === 0, 'Waiting for missing items from the broker');
    book.event('IN_GOOD_ORDER', 'system', 'Application in good order');
    book.enterStage('REQUIREMENTS');
  }

  async function requirements(): Promise<void> {
    const planned = state.plannedRequirements.splice(0);
    const added = planned.map((p) => addPlanned(p, 'system'));
    const forClient = added.filter((r) => r.clientAction && isOpen(r));
    if (forClient.length > 0) send(emails.examInstructions(state, forClient));
    if (state.rules.submissionPolicy === 'IN_GOOD_ORDER') {
      await waitFor(() => !state.requirements.some(blocksSubmission), 'Waiting for requirements before submission');
    }
    await gateAndSubmit();
  }

  async function gateAndSubmit(): Promise<void> {
    licensingRecheck = false;
    const check = await records.checkLicensing.executeWithOptions(
      { startToCloseTimeout: '30 seconds', summary: `Check licence in ${state.stateOfSigning} and appointment with ${state.carrierCode}` },
      [{ npn: state.broker.npn, state: state.stateOfSigning, carrierCode: state.carrierCode, onDate: today() }],
    );
    state.licensing = { ok: check.ok, problems: check.problems, checkedAt: now() };
    if (!check.ok) {
      if (state.stage !== 'LICENSING_HOLD') {
        book.event('LICENSING_HOLD', 'system', `Held for contracting: ${check.problems.join('; ')}`);
        book.enterStage('LICENSING_HOLD');
        holds += 1;
        send(emails.contractingHold(state, check, holds));
      }
      return;
    }
    const transRefGuid = state.submission?.transRefGuid ?? uuid4();
    const submitted = await delivery.submitToCarrier.executeWithOptions(
      { startToCloseTimeout: '2 minutes', summary: `Submit ACORD 103 to ${state.carrierName}` },
      [
        {
          caseId: state.caseId,
          transRefGuid,
          submittedAt: now(),
          carrierCode: state.carrierCode,
          carrierName: state.carrierName,
          issueAge: state.issueAge,
          requirements: state.requirements,
          vendors: state.rules.vendors,
          bgaName: state.rules.bgaName,
          channel: state.rules.newBusinessChannel,
        },
      ],
    );
    state.submission = { submittedAt: submitted.sentAt, transRefGuid, count: (state.submission?.count ?? 0) + 1 };
    const toFollow = state.requirements.filter(isOpen).length;
    book.event('SUBMITTED', 'system', `ACORD 103 submitted to ${state.carrierName}${toFollow ? ` with ${toFollow} requirements to follow` : ''}`, {
      transRefGuid,
    });
    book.enterStage('UNDERWRITING');
  }

  async function licensingHold(): Promise<void> {
    await waitFor(() => licensingRecheck, 'Held for licensing or appointment');
    await gateAndSubmit();
  }

  async function underwriting(): Promise<void> {
    await waitFor(() => state.decision !== undefined, 'Waiting for the carrier’s decision');
    const d = state.decision!;
    if (d.decision === 'DECLINED') closeCase('DECLINED', d.reason ?? 'declined by the carrier', d.actor);
    else if (d.decision === 'POSTPONED') closeCase('POSTPONED', d.reason ?? 'postponed by the carrier', d.actor);
    else if (d.decision === 'APPROVED_OTHER_THAN_APPLIED') book.enterStage('OFFER_PENDING', d.actor);
    else book.enterStage('APPROVED', d.actor);
  }

  async function offerPending(): Promise<void> {
    await waitFor(() => state.offerAccepted !== undefined, 'Waiting for the client to accept or decline the offer');
    if (state.offerAccepted) book.enterStage('APPROVED');
    else closeCase('NOT_TAKEN', 'client declined the counter-offer', 'system');
  }

  async function approved(): Promise<void> {
    await waitFor(() => state.policyNumber !== undefined, 'Waiting for the policy to be issued');
    book.enterStage('PLACEMENT');
    for (const p of state.rules.delivery) if (!book.requirement(p.key)) addPlanned(p, 'system');
    send(emails.issued(state));
  }

  async function placement(): Promise<void> {
    await waitFor(() => !state.requirements.some((r) => r.phase === 'DELIVERY' && isOpen(r)), 'Collecting delivery requirements');
    closeCase('PLACED', `policy ${state.policyNumber} placed in force`, 'system');
  }

  if (input.kind === 'new') {
    book.event('RECEIVED', 'intake', `Application ${state.applicationNumber} received for ${state.carrierName} ${state.productType}`);
    book.event('STAGE_ENTERED', 'system', 'Stage: completeness review', { stage: 'COMPLETENESS_REVIEW' });
    const nigo = state.nigo.items.length;
    if (nigo) book.event('NIGO_FOUND', 'system', `${nigo} item(s) not in good order`, { keys: state.nigo.items.map((n) => n.key) });
    send(emails.acknowledgement(state));
  }

  try {
    for (;;) {
      switch (state.stage) {
        case 'COMPLETENESS_REVIEW':
          await completenessReview();
          break;
        case 'REQUIREMENTS':
          await requirements();
          break;
        case 'LICENSING_HOLD':
          await licensingHold();
          break;
        case 'UNDERWRITING':
          await underwriting();
          break;
        case 'OFFER_PENDING':
          await offerPending();
          break;
        case 'APPROVED':
          await approved();
          break;
        case 'PLACEMENT':
          await placement();
          break;
        case 'CLOSED':
          throw new CaseClosed();
      }
    }
  } catch (err) {
    if (!(err instanceof CaseClosed)) throw err;
  }
  await flush();
  await condition(allHandlersFinished);
  return { outcome: state.outcome!.outcome, reason: state.outcome!.reason };

  function registerHandlers(): void {
    setHandler(msg.caseStateQuery, () => state);

    /** Shared shape: validate synchronously, change state, run the effects, return the new state. */
    const act = <T>(run: (action: T) => void) => async (action: T) => {
      run(action);
      await flush();
      return state;
    };
    const requireOpenCase = () => {
      if (!state) throw new Error('The case is still being opened; try again in a few seconds.');
      if (closed()) throw new Error(`Case ${state.caseId} is closed (${state.outcome?.outcome}); no further changes are accepted.`);
    };
    const requireRequirement = (key: string): CaseRequirement => {
      const r = book.requirement(key);
      if (!r) {
        const keys = state.requirements.map((x) => x.key).join(', ') || 'none yet';
        throw new Error(`key: no requirement "${key}" on this case (requirements: ${keys})`);
      }
      return r;
    };

    setHandler(
      msg.receiveRequirementUpdate,
      act((raw) => {
        const a = ReceiveRequirementSchema.parse(raw);
        const r = book.requirement(a.key)!;
        r.fulfilledOn = a.receivedOn ?? today();
        r.nextFollowUpOn = undefined;
        book.setStatus(r, 'RECEIVED', a.actor, a.note);
        if (r.fulfiller === 'BROKER' || r.vendorCode) send(emails.requirementUpdate(state, r, 'RECEIVED'));
      }),
      {
        validator: (raw) => {
          requireOpenCase();
          const a = parseAction(ReceiveRequirementSchema, raw);
          const r = requireRequirement(a.key);
          if (!isOpen(r)) throw new Error(`key: requirement ${a.key} is already ${r.status.toLowerCase()}`);
        },
      },
    );

    setHandler(
      msg.waiveRequirementUpdate,
      act((raw) => {
        const a = WaiveRequirementSchema.parse(raw);
        const r = book.requirement(a.key)!;
        r.nextFollowUpOn = undefined;
        book.setStatus(r, 'WAIVED', a.actor, a.reason);
        send(emails.requirementUpdate(state, r, 'WAIVED'));
      }),
      {
        validator: (raw) => {
          requireOpenCase();
          const a = parseAction(WaiveRequirementSchema, raw);
          const r = requireRequirement(a.key);
          if (!isOpen(r)) throw new Error(`key: requirement ${a.key} is already ${r.status.toLowerCase()}`);
        },
      },
    );

    setHandler(
      msg.addRequirementUpdate,
      act((raw) => {
        const a = AddRequirementSchema.parse(raw);
        const entry = CATALOGUE[a.code];
        const vendorKind = { EXAM_VENDOR: 'exam', APS_VENDOR: 'aps', INSPECTION_VENDOR: 'inspection' } as const;
        const kind = entry.fulfiller in vendorKind ? vendorKind[entry.fulfiller as keyof typeof vendorKind] : undefined;
        const slug = a.physician ? a.physician.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') : undefined;
        let key = slug ? `${a.code}:${slug}` : a.code;
        for (let n = 2; book.requirement(key); n++) key = `${slug ? `${a.code}:${slug}` : a.code}:${n}`;
        const r = addPlanned(
          {
            key,
            code: a.code,
            description: a.description ?? entry.description,
            fulfiller: entry.fulfiller,
            ...(kind && state.rules.vendorByKind[kind] ? { vendorCode: state.rules.vendorByKind[kind] } : {}),
            source: a.source,
            phase: state.stage === 'PLACEMENT' ? 'DELIVERY' : state.submission ? 'UNDERWRITING' : 'PRE_SUBMISSION',
            ...(entry.clientAction ? { clientAction: entry.clientAction } : {}),
            ...(a.physician ? { physician: a.physician } : {}),
          },
          a.actor,
        );
        if (a.carrierOrderNumber) r.carrierOrderNumber = a.carrierOrderNumber;
        if (a.note) book.event('NOTE', a.actor, a.note);
        send(emails.requirementUpdate(state, r, 'ADDED_BY_CARRIER'));
      }),
      {
        validator: (raw) => {
          requireOpenCase();
          parseAction(AddRequirementSchema, raw);
        },
      },
    );

    setHandler(
      msg.reviewUpdate,
      act((raw) => {
        const a = ReviewSchema.parse(raw);
        const resolved = a.inGoodOrder ? state.nigo.items.filter((i) => !i.resolved).map((i) => i.key) : a.resolvedItems;
        for (const item of state.nigo.items) if (resolved.includes(item.key)) item.resolved = true;
        if (resolved.length) book.event('NIGO_RESOLVED', a.actor, `Resolved: ${resolved.join(', ')}`, { keys: resolved });
        if (a.returnItems.length) {
          const n = state.nigo.items.length;
          a.returnItems.forEach((message, i) =>
            state.nigo.items.push({ key: `RETURNED:${n + i + 1}`, kind: 'MISSING_FIELD', message, resolved: false }),
          );
          book.event('NIGO_RETURNED', a.actor, `Returned to broker: ${a.returnItems.join('; ')}`);
          state.nigo.noticeSentAt ??= now();
          state.nigo.nextReminderOn = addDays(today(), state.rules.followUp.brokerReminderBusinessDays);
          send(emails.nigo(state, addDays(state.nigo.noticeSentAt.slice(0, 10), state.rules.followUp.closeIncompleteAfterBusinessDays), `nigo:return:${n}`));
        }
        if (a.note) book.event('NOTE', a.actor, a.note);
      }),
      {
        validator: (raw) => {
          requireOpenCase();
          const a = parseAction(ReviewSchema, raw);
          if (state.stage !== 'COMPLETENESS_REVIEW') throw new Error(`The completeness review is over; the case is in ${state.stage}.`);
          const keys = new Set(state.nigo.items.map((i) => i.key));
          const unknown = (a.resolvedItems ?? []).filter((k) => !keys.has(k));
          if (unknown.length) throw new Error(`resolvedItems: unknown item(s) ${unknown.join(', ')}; open items are ${[...keys].join(', ')}`);
        },
      },
    );

    setHandler(
      msg.reviewRequirementUpdate,
      act((raw) => {
        const a = ReviewRequirementSchema.parse(raw);
        const r = book.requirement(a.key)!;
        if (a.result === 'ACCEPTED') book.setStatus(r, 'REVIEWED', a.actor, a.note);
        else {
          r.fulfilledOn = undefined;
          r.nextFollowUpOn = addDays(today(), r.vendorCode ? state.rules.vendors[r.vendorCode]?.followUpBusinessDays ?? 5 : state.rules.followUp.brokerReminderBusinessDays);
          book.setStatus(r, 'OUTSTANDING', a.actor, `rejected on review${a.note ? `: ${a.note}` : ''}`);
          send(emails.requirementUpdate(state, r, 'REJECTED'));
        }
      }),
      {
        validator: (raw) => {
          requireOpenCase();
          const a = parseAction(ReviewRequirementSchema, raw);
          const r = requireRequirement(a.key);
          if (r.status !== 'RECEIVED') throw new Error(`key: requirement ${a.key} is ${r.status.toLowerCase()}; only received requirements can be reviewed`);
        },
      },
    );

    setHandler(
      msg.vendorStatusUpdate,
      act((raw) => {
        const a = VendorStatusSchema.parse(raw);
        const r = book.requirement(a.key)!;
        if (a.providerOrderNumber) r.providerOrderNumber = a.providerOrderNumber;
        if (a.status === 'SCHEDULED') {
          r.scheduledFor = a.scheduledFor;
          r.nextFollowUpOn = addDays(a.scheduledFor!, 1);
          book.setStatus(r, 'SCHEDULED', a.actor, `scheduled for ${a.scheduledFor}${a.note ? ` — ${a.note}` : ''}`);
        } else if (a.status === 'COMPLETED') {
          r.fulfilledOn = today();
          r.nextFollowUpOn = undefined;
          book.setStatus(r, 'RECEIVED', a.actor, a.note ?? 'completed by vendor');
        } else if (a.status === 'CANCELLED') {
          r.nextFollowUpOn = undefined;
          book.setStatus(r, 'CANCELLED', a.actor, a.note ?? 'cancelled by vendor');
        } else {
          book.event('VENDOR_DELAY', a.actor, `${r.description}: vendor reports a delay${a.note ? ` — ${a.note}` : ''}`, { key: r.key });
          book.touch(r);
        }
      }),
      {
        validator: (raw) => {
          requireOpenCase();
          const a = parseAction(VendorStatusSchema, raw);
          const r = requireRequirement(a.key);
          if (!r.vendorCode) throw new Error(`key: requirement ${a.key} is not fulfilled by a vendor`);
          if (!isOpen(r)) throw new Error(`key: requirement ${a.key} is already ${r.status.toLowerCase()}`);
        },
      },
    );

    setHandler(
      msg.carrierDecisionUpdate,
      act((raw) => {
        const a = CarrierDecisionSchema.parse(raw);
        if (a.decision === 'ISSUED') {
          state.policyNumber = a.policyNumber;
          book.event('ISSUED', a.actor, `Policy ${a.policyNumber} issued`);
          return;
        }
        state.decision = {
          decision: a.decision,
          at: now(),
          actor: a.actor,
          ...('riskClass' in a ? { riskClass: a.riskClass } : {}),
          ...('rating' in a && a.rating ? { rating: a.rating } : {}),
          ...('reason' in a ? { reason: a.reason } : {}),
          ...('postponeUntil' in a && a.postponeUntil ? { postponeUntil: a.postponeUntil } : {}),
        };
        book.event('DECISION', a.actor, `Carrier decision: ${a.decision.replace(/_/g, ' ').toLowerCase()}`, { decision: a.decision });
        send(emails.decision(state));
      }),
      {
        validator: (raw) => {
          requireOpenCase();
          const a = parseAction(CarrierDecisionSchema, raw);
          if (a.decision === 'ISSUED') {
            if (state.stage !== 'APPROVED') throw new Error(`decision: a policy can be issued only once the case is approved and accepted; it is in ${state.stage}`);
          } else if (state.stage !== 'UNDERWRITING' || state.decision) {
            throw new Error(`decision: the case is in ${state.stage}${state.decision ? ` with decision ${state.decision.decision}` : ''}; underwriting decisions are taken in UNDERWRITING`);
          }
        },
      },
    );

    setHandler(
      msg.offerResponseUpdate,
      act((raw) => {
        const a = OfferResponseSchema.parse(raw);
        state.offerAccepted = a.accepted;
        book.event('OFFER_RESPONSE', a.actor, a.accepted ? 'Client accepted the counter-offer' : 'Client declined the counter-offer');
        if (a.note) book.event('NOTE', a.actor, a.note);
      }),
      {
        validator: (raw) => {
          requireOpenCase();
          parseAction(OfferResponseSchema, raw);
          if (state.stage !== 'OFFER_PENDING') throw new Error(`accepted: there is no counter-offer pending; the case is in ${state.stage}`);
        },
      },
    );

    setHandler(
      msg.recordAppointmentUpdate,
      async (raw) => {
        const a = RecordAppointmentSchema.parse(raw);
        await records.recordAppointment.executeWithOptions(
          { startToCloseTimeout: '30 seconds', summary: `Record appointment of NPN ${state.broker.npn} with ${state.carrierCode}` },
          [{ npn: state.broker.npn, carrierCode: state.carrierCode, appointedOn: a.appointedOn, actor: a.actor, ...(a.license ? { license: a.license } : {}) }],
        );
        book.event('APPOINTMENT_RECORDED', a.actor, `Appointment with ${state.carrierCode} recorded${a.license ? ` and ${a.license.state} licence ${a.license.licenseNumber}` : ''}`);
        licensingRecheck = true;
        await flush();
        return state;
      },
      {
        validator: (raw) => {
          requireOpenCase();
          parseAction(RecordAppointmentSchema, raw);
        },
      },
    );

    setHandler(
      msg.withdrawUpdate,
      act((raw) => {
        const a = WithdrawSchema.parse(raw);
        closeCase(state.policyNumber ? 'NOT_TAKEN' : 'WITHDRAWN', a.reason, a.actor);
      }),
      {
        validator: (raw) => {
          requireOpenCase();
          parseAction(WithdrawSchema, raw);
        },
      },
    );

    setHandler(
      msg.noteUpdate,
      act((raw) => {
        const a = NoteSchema.parse(raw);
        book.event('NOTE', a.actor, a.text);
      }),
      {
        validator: (raw) => {
          requireOpenCase();
          parseAction(NoteSchema, raw);
        },
      },
    );
  }

  /** Evaluates the package against the carrier rules and opens the case record. */
  async function intake(application: Application, receivedAt: string): Promise<CaseState> {
    const caseId = workflowInfo().workflowId;
    const evaluation = await records.evaluateApplication.executeWithOptions(
      { startToCloseTimeout: '30 seconds', summary: `Evaluate ${application.carrier} rules for ${application.product.type} $${application.product.faceAmount.toLocaleString('en-US')}` },
      [{ application, today: receivedAt.slice(0, 10) }],
    );
    await records.registerCase.executeWithOptions({ startToCloseTimeout: '30 seconds', summary: 'Open the case record' }, [
      { caseId, application, receivedAt, stage: 'COMPLETENESS_REVIEW' },
    ]);
    const i = application.insured;
    const initial: CaseState = {
      caseId,
      carrierCode: application.carrier,
      carrierName: evaluation.rules.carrierName,
      applicationNumber: application.applicationNumber,
      productType: application.product.type,
      plan: application.product.plan,
      faceAmount: application.product.faceAmount,
      stateOfSigning: application.stateOfSigning,
      signedOn: application.signedOn,
      insuredName: [i.firstName, i.middleName, i.lastName].filter(Boolean).join(' '),
      issueAge: evaluation.issueAge,
      broker: { npn: application.broker.npn, name: application.broker.name, email: application.broker.email },
      rules: evaluation.rules,
      stage: 'COMPLETENESS_REVIEW',
      stageEnteredAt: receivedAt,
      receivedAt,
      lastActivityAt: receivedAt,
      nigo: { items: evaluation.nigo.map((n) => ({ ...n, resolved: false })), remindersSent: 0, escalated: false },
      requirements: [],
      plannedRequirements: evaluation.requirements,
      recentEvents: [],
      nextSeq: 1,
    };
    return initial;
  }
}
