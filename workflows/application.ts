import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ActivityFailure,
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { Application } from '../domain/application';
import { type CaseRequirement, type CaseState, isOpen, type Outcome } from '../domain/case';
import { dueAt } from '../domain/case-core/clocks';
import { CaseCore } from '../domain/case-core/core';
import { ACTION_NAMES, type ActionName, type ActionRequest } from '../domain/case-core/requests';
import { deliveryOptions, EMAIL_PERMANENT_ERRORS, recordsOptions } from './activity-options';
import type { contractingWorkflow } from './contracting';
import { contractingSignals, contractingWorkflowId } from './contracting-messages';
import { concurrentEffects, type EffectPorts, type EffectRunner, laneEffects, serialEffects } from './effects';
import { registerLegacyUpdates } from './legacy-updates';
import * as msg from './messages';
import { ShellTimer } from './shell-timer';

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

/**
 * Waits until `woke()` or the timeout, then until every promise continuation of that activation
 * has run, and only then cancels the timer: whatever the lane does with an activity result comes
 * before the shell's next command, in whichever order the activation's jobs arrived. (The SDK's
 * condition with a timeout cancels its timer as soon as it is met, racing the lane.)
 */
async function wakeAfterTheLane(
  woke: () => boolean,
  timeout: number | undefined,
  summary: string | undefined,
  keepDueTimer: boolean,
): Promise<void> {
  const timer = new CancellationScope();
  const deadline = timeout === undefined ? undefined : Date.now() + timeout;
  let fired = false;
  if (timeout !== undefined) {
    timer
      .run(() => sleep(timeout, summary ? { summary } : {}))
      .then(
        () => {
          fired = true;
        },
        () => undefined,
      );
  }
  await condition(() => fired || woke());
  // False when set, true at the SDK's next check of conditions, which comes once the microtasks have drained.
  let armed = false;
  const settled = condition(() => armed);
  armed = true;
  await settled;
  if (deadline === undefined || fired) return;
  // A timer already due has fired on the server or is about to: cancelling it would race its
  // firing (the time-skipping server strands a run that cancels a fired timer), so it is awaited.
  if (keepDueTimer && deadline <= Date.now()) await condition(() => fired);
  else timer.cancel();
}

/**
 * Cases opened before actions were signals took them as Updates and ran their effects one at a
 * time, each action waiting for all of them. Their histories replay only that way; every case
 * opened or continued since runs the signal-only shell, its effects in a lane of their own.
 */
const SIGNAL_SHELL = 'signal-shell-effect-lane';

/**
 * Requests are taken by the shell's loop, once the lane has scheduled what its activity results
 * call for, never by the signal handler. The SDK hands a signal and an activity result to the
 * workflow in one activation or in two, and after a worker crash it can choose differently live
 * and on replay; taken this way, the commands come out in one order either way. Cases opened
 * before took requests in the handler, and replay that way.
 */
const INBOX = 'requests-taken-by-the-shell';

/**
 * A follow-up date an order result sets gets a timer of its own, started by the lane beside the
 * result, and the shell no longer wakes on what the lane did. Woken by the result, the shell
 * restarted its timer in the result's activation live and in the next signal's on replay, when
 * the two were handed over together, and every later timer's ID shifted by one.
 */
const FOLLOW_UP_ALARMS = 'follow-ups-timed-by-the-lane';

/**
 * A broker not licensed in the state or not appointed with the carrier starts contracting the
 * day the case arrives, beside its exams. Cases opened before found the gap only at the gate.
 */
const CONTRACTING_AT_INTAKE = 'contracting-at-intake';

/** An appointment recorded on the case closes the contracting request it waited on, which would go on asking for the packet. */
const APPOINTMENT_ENDS_CONTRACTING = 'appointment-closes-contracting';

/**
 * An action's workflow task schedules its database sync and, mostly, nothing else: the search
 * attributes follow once the sync has completed, the shell's timer is moved only when it would
 * fire too late (ShellTimer), and the patch markers a case's first actions would write are written
 * when the run starts. Cases opened before upserted, cancelled and restarted ahead of the sync.
 */
const LEAN_ACTION_TASK = 'lean-action-task';

/**
 * Emails, orders and transmittals run concurrently, each with its own retries, and no longer one
 * after another behind a delivery being retried. Cases opened before ran them in one lane.
 */
const CONCURRENT_EFFECTS = 'concurrent-effects';

/**
 * One application, from receipt to placement or closure. A thin shell: the case core decides,
 * and this feeds it signals and timers and runs the effects it lists.
 */
export async function applicationWorkflow(input: ApplicationWorkflowInput): Promise<ApplicationWorkflowResult> {
  const now = () => new Date().toISOString();
  const signalShell = patched(SIGNAL_SHELL);
  const viaInbox = signalShell && patched(INBOX);
  const alarmed = viaInbox && patched(FOLLOW_UP_ALARMS);
  const lean = alarmed && patched(LEAN_ACTION_TASK);
  const concurrent = lean && patched(CONCURRENT_EFFECTS);
  if (lean) for (const id of CaseCore.LAZY_PATCHES) patched(id);
  let core: CaseCore | undefined;
  // Handlers come first so that nothing sent during intake is lost. Requests wait in the inbox
  // (before, only while the case was being opened); the case then judges them like any other.
  const inbox: [ActionName, ActionRequest][] = [];
  const take = (action: ActionName, request: ActionRequest) => {
    if (!core || viaInbox) inbox.push([action, request]);
    else core.receive(action, request);
  };
  const takeInbox = () => {
    for (const [action, request] of inbox.splice(0)) core!.receive(action, request);
  };
  for (const action of ACTION_NAMES) setHandler(msg.actionSignals[action], (request) => take(action, request));
  setHandler(msg.caseStateQuery, () => core?.state as CaseState);
  setHandler(msg.requestResultQuery, (requestId) => {
    const request = core?.state.requests?.find((r) => r.id === requestId);
    return request?.settledStage !== undefined ? { request, state: core!.state } : undefined;
  });
  if (!signalShell) registerLegacyUpdates(() => core, () => effects.flush());

  core = new CaseCore(input.kind === 'continued' ? input.state : await intake(input.application, input.receivedAt ?? now()), {
    now,
    patched: (id) => patched(id),
  });
  const c = core;
  const state = c.state;
  const book = c.book;
  let holds = 0;

  // Alarms due at one moment share a timer. Never cancelled: a spare wake costs one workflow task.
  let alarms = 0;
  const alarmsDue = new Set<number>();
  const followUpAlarm = (r: CaseRequirement) => {
    if (!r.nextFollowUpOn) return;
    const due = dueAt(r.nextFollowUpOn);
    if (alarmsDue.has(due)) return;
    alarmsDue.add(due);
    void sleep(Math.max(due - Date.now(), 1000), { summary: `Follow up ${r.description}` }).then(() => {
      alarmsDue.delete(due);
      alarms += 1;
    });
  };
  const ports: EffectPorts = {
    syncCase: (changes) => {
      const { caseId, stage, outcome, stageEnteredAt, lastActivityAt } = state;
      return records.syncCase.executeWithOptions(
        { startToCloseTimeout: '30 seconds', summary: `Record: ${changes.events.at(-1)?.description ?? 'state'}` },
        [{ state: { caseId, stage, outcome, stageEnteredAt, lastActivityAt }, requirements: changes.requirements, events: changes.events }],
      );
    },
    sendEmail: (email) =>
      delivery.sendEmail.executeWithOptions({ startToCloseTimeout: '2 minutes', summary: email.summary }, [
        { key: `${state.caseId}:${email.key}`, caseId: state.caseId, to: email.to, data: email.data },
      ]),
    orderRequirement: (r, vendor) =>
      delivery.orderRequirement.executeWithOptions({ startToCloseTimeout: '2 minutes', summary: `Order ${r.description} from ${vendor.name}` }, [
        { caseId: state.caseId, requirement: r, vendor, bgaName: state.rules.bgaName, carrierName: state.carrierName, applicationNumber: state.applicationNumber },
      ]),
    recordAppointment: async (a) => {
      await records.recordAppointment.executeWithOptions(
        { startToCloseTimeout: '30 seconds', summary: `Record the appointment of NPN ${state.broker.npn} with ${state.carrierCode}` },
        [{ npn: state.broker.npn, carrierCode: state.carrierCode, appointedOn: a.appointedOn, actor: a.actor, ...(a.license ? { license: a.license } : {}) }],
      );
      if (!state.contractingId || !patched(APPOINTMENT_ENDS_CONTRACTING)) return;
      const reason = `Appointment on ${a.appointedOn} recorded on case ${state.caseId}`;
      // A request that has ended meanwhile has nothing to close.
      await getExternalWorkflowHandle(state.contractingId)
        .signal(contractingSignals.cancel, { requestId: `appointment-recorded:${state.caseId}:${a.appointedOn}`, input: { actor: a.actor, reason } })
        .catch(() => undefined);
    },
    forwardDocument: (document, requirement) =>
      delivery.forwardDocument.executeWithOptions({ startToCloseTimeout: '2 minutes', summary: `Send ${document.fileName} to ${state.carrierName}` }, [
        {
          caseId: state.caseId,
          document,
          ...(requirement ? { requirement: { description: requirement.description, ...(requirement.carrierOrderNumber ? { carrierOrderNumber: requirement.carrierOrderNumber } : {}) } } : {}),
          carrierName: state.carrierName,
          bgaName: state.rules.bgaName,
          applicationNumber: state.applicationNumber,
          insuredName: state.insuredName,
          channel: state.rules.newBusinessChannel,
        },
      ]),
  };
  const effects: EffectRunner = !signalShell
    ? serialEffects(c, ports)
    : concurrent
      ? concurrentEffects(c, ports, { followUpSet: followUpAlarm })
      : laneEffects(c, ports, alarmed ? { followUpSet: followUpAlarm, searchAfterSync: lean } : {});

  const closed = () => state.stage === 'CLOSED';
  const shellTimer = new ShellTimer();

  /** Waits until `ready()`, running due follow-ups meanwhile; throws CaseClosed when the case closes. */
  async function waitFor(ready: () => boolean, what: string): Promise<void> {
    for (;;) {
      takeInbox();
      c.runClocks();
      await effects.afterStep();
      if (closed()) throw new CaseClosed();
      if (ready()) return;
      // The case has moved as far as it can without anyone: requests taken so far are settled.
      c.settle();
      await effects.beforeWaiting();
      if (workflowInfo().continueAsNewSuggested && inbox.length === 0) {
        await condition(allHandlersFinished);
        await effects.drain();
        // A request that came in meanwhile is taken by this run first.
        if (inbox.length === 0) await continueAsNew<typeof applicationWorkflow>({ kind: 'continued', state });
      }
      const wake = c.nextWake();
      const seen = state.nextSeq;
      const rung = alarms;
      // With alarms, what the lane did with an activity result never wakes the shell: after a
      // crash that result can come in an activation of its own live and beside a signal on
      // replay, and a timer restarted in between would shift every later timer's ID.
      const woke = alarmed
        ? () => ready() || closed() || inbox.length > 0 || alarms !== rung || effects.wantsStep()
        : () => ready() || closed() || state.nextSeq !== seen || effects.wantsStep() || inbox.length > 0;
      // An alarm due first wakes the shell, which then times what comes after it.
      const covered = alarmed && wake !== undefined && [...alarmsDue].some((due) => due <= wake);
      const timeout = wake === undefined || covered ? undefined : Math.max(wake - Date.now(), 1000);
      const summary = timeout === undefined ? undefined : `${what}; next follow-up ${new Date(wake!).toISOString().slice(0, 10)}`;
      if (!viaInbox) await (timeout === undefined ? condition(woke) : condition(woke, timeout, { summary }));
      else if (lean) await shellTimer.wait(woke, timeout === undefined ? undefined : wake, what);
      else await wakeAfterTheLane(woke, timeout, summary, alarmed);
    }
  }

  const blocksSubmission = (r: CaseRequirement) => isOpen(r) && r.phase === 'PRE_SUBMISSION' && r.fulfiller !== 'CARRIER';

  // ---- stages ----
  async function completenessReview(): Promise<void> {
    const open = () => state.nigo.items.filter((i) => !i.resolved);
    if (open().length > 0 && !state.nigo.noticeSentAt) {
      state.nigo.noticeSentAt = now();
      state.nigo.nextReminderOn = c.addDays(c.today(), state.rules.followUp.brokerReminderBusinessDays);
      c.send(c.emails.nigo(state, c.addDays(c.today(), state.rules.followUp.closeIncompleteAfterBusinessDays), 'nigo:1'));
    }
    await waitFor(() => open().length === 0, 'Waiting for missing items from the broker');
    book.event('IN_GOOD_ORDER', 'system', 'Application in good order');
    book.enterStage('REQUIREMENTS');
  }

  async function requirements(): Promise<void> {
    const planned = state.plannedRequirements.splice(0);
    const added = planned.map((p) => c.addPlanned(p, 'system'));
    const forClient = added.filter((r) => r.clientAction && isOpen(r));
    if (forClient.length > 0) c.send(c.emails.examInstructions(state, forClient));
    if (state.rules.submissionPolicy === 'IN_GOOD_ORDER') {
      await waitFor(() => !state.requirements.some(blocksSubmission), 'Waiting for requirements before submission');
    }
    await gateAndSubmit();
  }

  async function gateAndSubmit(): Promise<void> {
    c.licensingRecheck = false;
    c.settle();
    await effects.beforeWaiting();
    const check = await effects.exclusive(() =>
      records.checkLicensing.executeWithOptions(
        { startToCloseTimeout: '30 seconds', summary: `Check licence in ${state.stateOfSigning} and appointment with ${state.carrierCode}` },
        [{ npn: state.broker.npn, state: state.stateOfSigning, carrierCode: state.carrierCode, onDate: c.today() }],
      ),
    );
    state.licensing = { ok: check.ok, problems: check.problems, checkedAt: now() };
    if (!check.ok) {
      if (state.stage !== 'LICENSING_HOLD') {
        book.event('LICENSING_HOLD', 'system', `Held for contracting: ${check.problems.join('; ')}`);
        book.enterStage('LICENSING_HOLD');
        holds += 1;
        c.send(c.emails.contractingHold(state, check, holds));
      }
      return;
    }
    // Drawn at random before it was derived from the case (by the activity): a rewound case then sent a second, different one.
    const transRefGuid = state.submission?.transRefGuid ?? (patched('trans-ref-guid-from-case') ? undefined : uuid4());
    const enclosed = (state.documents ?? []).filter((d) => d.review === 'ACCEPTED' && !d.forwardedAt);
    let submitted: Awaited<ReturnType<Activities['submitToCarrier']>>;
    try {
      submitted = await effects.exclusive(() => delivery.submitToCarrier.executeWithOptions(
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
            ...(enclosed.length ? { documents: enclosed } : {}),
          },
        ],
      ));
    } catch (err) {
      // Refused for good (a 4xx, a permanent SMTP answer): the case waits for ops to fix what the
      // carrier objected to and resubmit, and the worklist shows it. Before the signal shell,
      // such a refusal failed the case; those histories replay that way.
      if (!signalShell || !(err instanceof ActivityFailure)) throw err;
      const reason = err.cause?.message ?? err.message;
      state.submissionRefused = { at: now(), reason };
      book.event('SUBMISSION_REFUSED', 'system', `${state.carrierName} refused the ACORD 103 — ${reason}`, { reason });
      await waitFor(() => c.resubmitRequested, `${state.carrierName} refused the submission; fix it, then \`bga resubmit\``);
      c.resubmitRequested = false;
      state.submissionRefused = undefined;
      return gateAndSubmit();
    }
    // Results recorded before the activity returned the GUID lack it; those runs drew their own.
    state.submission = { submittedAt: submitted.sentAt, transRefGuid: submitted.transRefGuid ?? transRefGuid!, count: (state.submission?.count ?? 0) + 1 };
    const toFollow = state.requirements.filter(isOpen).length;
    if (enclosed.length) c.documentsForwarded(enclosed.map((d) => d.id), 'with the ACORD 103');
    // Accepted while the submission was on its way: each follows in a transmittal.
    for (const d of state.documents ?? []) if (d.review === 'ACCEPTED' && !d.forwardedAt) c.effect({ kind: 'forward-document', documentId: d.id });
    book.event('SUBMITTED', 'system', `ACORD 103 submitted to ${state.carrierName}${toFollow ? ` with ${toFollow} requirements to follow` : ''}`, {
      transRefGuid: state.submission.transRefGuid,
    });
    book.enterStage('UNDERWRITING');
  }

  /** Starts the pair's contracting request, or joins the one running: one request serves every case for the broker and carrier. */
  async function startContracting(): Promise<void> {
    c.settle();
    await effects.beforeWaiting();
    const check = await effects.exclusive(() =>
      records.checkLicensing.executeWithOptions(
        { startToCloseTimeout: '30 seconds', summary: `At intake: licence in ${state.stateOfSigning} and appointment with ${state.carrierCode}` },
        [{ npn: state.broker.npn, state: state.stateOfSigning, carrierCode: state.carrierCode, onDate: c.today() }],
      ),
    );
    // A lapsed E&O certificate alone is the broker's to renew, not a new appointment: the gate holds for it.
    if (check.licensed && check.appointed) return;
    const contractingId = contractingWorkflowId(state.broker.npn, state.carrierCode);
    const joinCase = { caseId: state.caseId, state: state.stateOfSigning };
    // A request that ends between the refused start and the signal is started afresh.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await startChild<typeof contractingWorkflow>('contractingWorkflow', {
          workflowId: contractingId,
          // The request outlives the case that started it: other cases wait on it too.
          parentClosePolicy: ParentClosePolicy.ABANDON,
          args: [{ kind: 'new', npn: state.broker.npn, carrierCode: state.carrierCode, actor: 'intake', joinCase }],
          staticSummary: `Contracting for NPN ${state.broker.npn} with ${state.carrierCode}`,
        });
        book.event('CONTRACTING_STARTED', 'system', `Contracting started (${contractingId}): ${check.problems.join('; ')}`, { contractingId });
        break;
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      try {
        await getExternalWorkflowHandle(contractingId).signal(contractingSignals['join-case'], { requestId: `join:${state.caseId}`, input: { actor: 'intake', ...joinCase } });
        book.event('CONTRACTING_JOINED', 'system', `Waits on the running contracting request (${contractingId}): ${check.problems.join('; ')}`, { contractingId });
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
    state.contractingId = contractingId;
  }

  async function licensingHold(): Promise<void> {
    await waitFor(() => c.licensingRecheck, 'Held for licensing or appointment');
    await gateAndSubmit();
  }

  async function underwriting(): Promise<void> {
    await waitFor(() => state.decision !== undefined, 'Waiting for the carrier’s decision');
    const d = state.decision!;
    if (d.decision === 'DECLINED') c.closeCase('DECLINED', d.reason ?? 'declined by the carrier', d.actor);
    else if (d.decision === 'POSTPONED') c.closeCase('POSTPONED', d.reason ?? 'postponed by the carrier', d.actor);
    else if (d.decision === 'APPROVED_OTHER_THAN_APPLIED') book.enterStage('OFFER_PENDING', d.actor);
    else book.enterStage('APPROVED', d.actor);
  }

  async function offerPending(): Promise<void> {
    await waitFor(() => state.offerAccepted !== undefined, 'Waiting for the client to accept or decline the offer');
    if (state.offerAccepted) book.enterStage('APPROVED');
    else c.closeCase('NOT_TAKEN', 'client declined the counter-offer', 'system');
  }

  async function approved(): Promise<void> {
    await waitFor(() => state.policyNumber !== undefined, 'Waiting for the policy to be issued');
    book.enterStage('PLACEMENT');
    for (const p of state.rules.delivery) if (!book.requirement(p.key)) c.addPlanned(p, 'system');
    c.send(c.emails.issued(state));
  }

  async function placement(): Promise<void> {
    await waitFor(() => !state.requirements.some((r) => r.phase === 'DELIVERY' && isOpen(r)), 'Collecting delivery requirements');
    c.closeCase('PLACED', `policy ${state.policyNumber} placed in force`, 'system');
  }

  if (input.kind === 'new') {
    book.event('RECEIVED', 'intake', `Application ${state.applicationNumber} received for ${state.carrierName} ${state.productType}`);
    book.event('STAGE_ENTERED', 'system', 'Stage: completeness review', { stage: 'COMPLETENESS_REVIEW' });
    const nigo = state.nigo.items.length;
    if (nigo) book.event('NIGO_FOUND', 'system', `${nigo} item(s) not in good order`, { keys: state.nigo.items.map((n) => n.key) });
    c.send(c.emails.acknowledgement(state));
    if (patched(CONTRACTING_AT_INTAKE)) await startContracting();
  }
  takeInbox();

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
  c.settle();
  await effects.drain();
  await condition(allHandlersFinished);
  // A request that came in while the last effects ran was refused by the closed case; record it too.
  if (viaInbox) {
    while (inbox.length > 0) {
      takeInbox();
      c.settle();
      await effects.drain();
    }
  } else await effects.drain();
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
    return {
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
  }
}
