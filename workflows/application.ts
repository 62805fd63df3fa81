import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setCurrentDetails,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { Application } from '../domain/application';
import { addBusinessDays } from '../domain/business-days';
import { type CaseRequirement, type CaseState, isOpen, type Outcome } from '../domain/case';
import type { PlannedRequirement } from '../domain/evaluation';
import { CaseBook } from './case-book';
import { deliveryOptions, EMAIL_PERMANENT_ERRORS, recordsOptions } from './activity-options';
import { type Clock, nextWake, runClocks } from './clocks';
import { type Email, emails } from './emails';
import { registerHandlers } from './handlers';
import { describeCase, searchAttributesFor } from './visibility';

type Activities = ReturnType<typeof createActivities>;

const records = proxyActivities<Activities>(recordsOptions);
const delivery = proxyActivities<Activities>(deliveryOptions([...EMAIL_PERMANENT_ERRORS, 'DeliveryRejected']));

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
  registerHandlers({
    book: () => book,
    flush: () => flush(),
    send: (email) => send(email),
    addDays: (date, n) => addDays(date, n),
    today,
    now,
    closeCase: (outcome, reason, actor) => closeCase(outcome, reason, actor),
    addPlanned: (p, actor) => addPlanned(p, actor),
    recordAppointment: (a) =>
      records.recordAppointment.executeWithOptions(
        { startToCloseTimeout: '30 seconds', summary: `Record the appointment of NPN ${state.broker.npn} with ${state.carrierCode}` },
        [{ npn: state.broker.npn, carrierCode: state.carrierCode, ...a }],
      ),
    requestLicensingRecheck: () => {
      licensingRecheck = true;
    },
  });
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
      const { caseId, stage, outcome, stageEnteredAt, lastActivityAt } = state;
      try {
        await records.syncCase.executeWithOptions(
          { startToCloseTimeout: '30 seconds', summary: `Record: ${changes.events.at(-1)?.description ?? 'state'}` },
          [{ state: { caseId, stage, outcome, stageEnteredAt, lastActivityAt }, requirements: changes.requirements, events: changes.events }],
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
    let order: Awaited<ReturnType<Activities['orderRequirement']>>;
    try {
      order = await delivery.orderRequirement.executeWithOptions(
        { startToCloseTimeout: '2 minutes', summary: `Order ${r.description} from ${vendor.name}` },
        [{ caseId: state.caseId, requirement: r, vendor, bgaName: state.rules.bgaName, carrierName: state.carrierName, applicationNumber: state.applicationNumber }],
      );
    } catch (err) {
      // Refused for good (a 4xx, a permanent SMTP answer): a person takes it from the worklist. The case goes on.
      if (!(err instanceof ActivityFailure)) throw err;
      const reason = err.cause?.message ?? err.message;
      book.event('ORDER_REFUSED', 'system', `${r.description}: ${vendor.name} refused the order — ${reason}`, { key: r.key, vendorCode: r.vendorCode, reason });
      return;
    }
    r.providerOrderNumber = order.providerOrderNumber;
    // Received, waived or cancelled while the order was on its way (a slow vendor channel, a
    // document that came in first): the later status stands. Added after cases were running;
    // the marker is written only when this happens.
    const current = book.requirement(key)!.status;
    if (current !== 'OUTSTANDING' && patched('order-keeps-later-status')) {
      book.event('ORDER_AFTER_STATUS', 'system', `${r.description}: order ${order.providerOrderNumber} reached ${vendor.name} after it was already ${current.toLowerCase()}`, {
        key: r.key,
      });
      return;
    }
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
    // Added after cases were already running: histories without this marker replay the old way.
    if (patched('cancel-vendor-orders-on-close')) {
      for (const r of openAtClose) {
        const vendor = r.vendorCode ? state.rules.vendors[r.vendorCode] : undefined;
        const email = vendor && emails.vendorCancellation(state, r, vendor);
        if (email) send(email);
      }
    }
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
    // Drawn at random before it was derived from the case (by the activity): a rewound case then sent a second, different one.
    const transRefGuid = state.submission?.transRefGuid ?? (patched('trans-ref-guid-from-case') ? undefined : uuid4());
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
    // Results recorded before the activity returned the GUID lack it; those runs drew their own.
    state.submission = { submittedAt: submitted.sentAt, transRefGuid: submitted.transRefGuid ?? transRefGuid!, count: (state.submission?.count ?? 0) + 1 };
    const toFollow = state.requirements.filter(isOpen).length;
    book.event('SUBMITTED', 'system', `ACORD 103 submitted to ${state.carrierName}${toFollow ? ` with ${toFollow} requirements to follow` : ''}`, {
      transRefGuid: state.submission.transRefGuid,
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
