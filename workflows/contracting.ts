import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type * as Actions from '../domain/actions';
import { dueAt } from '../domain/case-core/clocks';
import type * as Core from '../domain/contracting-core';
import type { ContractingActionName, ContractingEffect, ContractingEmail, ContractingState } from '../domain/contracting-core';
import { isTerminal } from '../domain/contracting-core/state';
import { waitingOn, whatIsMissing } from '../domain/contracting-core/status';
import { deliveryOptions, EMAIL_PERMANENT_ERRORS, recordsOptions } from './activity-options';
import {
  CONTRACTING_ACTION_NAMES,
  contractingQuery,
  type ContractingRequestMessage,
  type ContractingRequestRecord,
  contractingRequestQuery,
  contractingSignals,
  type ContractingView,
} from './contracting-messages';
import { describeContracting, contractingSearchAttributes } from './contracting-visibility';
import { actionSignals } from './messages';

type Activities = ReturnType<typeof createActivities>;

const records = proxyActivities<Activities>(recordsOptions);
const delivery = proxyActivities<Activities>(deliveryOptions([...EMAIL_PERMANENT_ERRORS, 'DeliveryRejected']));

/** The request as the workflow carries it, across continue-as-new. */
export interface ContractingRun {
  id: string;
  state: ContractingState;
  requests: ContractingRequestRecord[];
  /** Events of the trail PostgreSQL holds. */
  syncedEvents: number;
}

export type ContractingWorkflowInput =
  | {
      kind: 'new';
      npn: string;
      carrierCode: string;
      actor: string;
      /** The broker's resident state when the broker record lacks it; else the first case's state is assumed. */
      residentState?: string;
      /** The case that started the request, joined at once. */
      joinCase?: { caseId: string; state: string };
    }
  | { kind: 'continued'; run: ContractingRun };

export interface ContractingWorkflowResult {
  stage: ContractingState['stage'];
  reason?: string;
}

/** How many request outcomes a request remembers; a retry comes within seconds, a request takes a few dozen inputs. */
const REQUESTS_KEPT = 200;

/**
 * One broker getting appointed with one carrier. A thin shell: the contracting core decides;
 * this feeds it signals, licence answers and business days, and runs the effects it lists. The
 * database record comes first after each step; emails and carrier requests run beside each
 * other, and a refusal for good is kept in the trail, never a failed request.
 */
export async function contractingWorkflow(input: ContractingWorkflowInput): Promise<ContractingWorkflowResult> {
  // Loaded here, not at module load: every workflow evaluates the modules, and only this one needs zod.
  const { decide, nextWake, noteEffect, openContracting, OpenContractingSchema, tick } = require('../domain/contracting-core') as typeof Core;
  const { parseActionInput } = require('../domain/actions') as typeof Actions;
  const now = () => new Date().toISOString();
  const workflowId = workflowInfo().workflowId;
  const inbox: [ContractingActionName, ContractingRequestMessage][] = [];
  /** What effects came back with, applied by the loop in key order, whatever the activation held. */
  const returned: { key: string; apply: (s: ContractingState, at: string) => ContractingState | { action: 'license-verified'; message: ContractingRequestMessage } }[] = [];
  let run: ContractingRun | undefined;

  for (const name of CONTRACTING_ACTION_NAMES) setHandler(contractingSignals[name], (m) => void inbox.push([name, m]));
  const view = (r: ContractingRun): ContractingView => ({
    id: r.id,
    workflowId,
    state: r.state,
    missing: whatIsMissing(r.state),
    ...(waitingOn(r.state) ? { waitingOn: waitingOn(r.state)! } : {}),
    requests: r.requests,
  });
  setHandler(contractingQuery, () => (run ? view(run) : undefined));
  setHandler(contractingRequestQuery, (id) => {
    const request = run?.requests.find((r) => r.id === id);
    return request && run ? { request, view: view(run) } : undefined;
  });

  const started: ContractingEffect[] = [];
  if (input.kind === 'new') {
    const opening = await records.openContractingRequest.executeWithOptions(
      { startToCloseTimeout: '30 seconds', summary: `Read NPN ${input.npn} and ${input.carrierCode}'s contracting rules` },
      [{ npn: input.npn, carrierCode: input.carrierCode }],
    );
    const parsed = parseActionInput<typeof OpenContractingSchema._output>(OpenContractingSchema, {
      actor: input.actor,
      npn: input.npn,
      brokerName: opening.broker.name,
      brokerEmail: opening.broker.email,
      residentState: input.residentState ?? opening.broker.residentState ?? input.joinCase?.state,
    });
    if (!parsed.ok) {
      const problems = parsed.problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; ');
      throw ApplicationFailure.nonRetryable(`Contracting cannot open: ${problems}`, 'InvalidContractingRequest');
    }
    const at = now();
    const opened = openContracting(parsed.data, opening.rules, at, opening.round);
    run = { id: `${workflowId}@${at}`, state: opened.state, requests: [], syncedEvents: 0 };
    started.push(...opened.effects);
    if (input.joinCase) {
      const joined = decide(run.state, 'join-case', { actor: input.actor, ...input.joinCase }, at);
      if (joined.outcome.status === 'APPLIED') {
        run.state = joined.state;
        started.push(...joined.effects);
      }
    }
  } else run = input.run;
  const r = run;

  let inflight = 0;
  const track = (work: Promise<void>) => {
    inflight += 1;
    void work.finally(() => {
      inflight -= 1;
    });
  };
  const failed = (err: unknown): string => {
    if (!(err instanceof ActivityFailure)) throw err;
    return err.cause?.message ?? err.message;
  };

  const facts = () => {
    const s = r.state;
    return {
      bgaName: s.rules.bgaName,
      contractingReference: workflowId,
      brokerName: s.brokerName,
      brokerNpn: s.npn,
      carrierName: s.carrierName,
      contractingEmail: s.rules.contractingEmail,
      waitingCases: s.cases.filter((c) => !c.releasedOn).map((c) => c.caseId),
    };
  };

  async function email(e: ContractingEmail): Promise<void> {
    try {
      await delivery.sendContractingEmail.executeWithOptions({ startToCloseTimeout: '2 minutes', summary: e.summary }, [{ email: e, facts: facts() }]);
      returned.push({ key: e.key, apply: (s, at) => noteEffect(s, at, 'EMAIL_SENT', `Emailed: ${e.summary}`) });
    } catch (err) {
      const reason = failed(err);
      returned.push({ key: e.key, apply: (s, at) => noteEffect(s, at, 'EFFECT_FAILED', `${e.summary} could not be delivered: ${reason}`) });
    }
  }

  async function other(e: Exclude<ContractingEffect, ContractingEmail>): Promise<void> {
    const s = r.state;
    try {
      switch (e.kind) {
        case 'request-license-check': {
          const answer = await records.verifyContractingLicense.executeWithOptions(
            { startToCloseTimeout: '1 minute', summary: `Check NPN ${e.npn}'s ${e.state} licence` },
            [{ npn: e.npn, state: e.state }],
          );
          returned.push({ key: e.key, apply: () => ({ action: 'license-verified', message: { requestId: e.key, input: answer } }) });
          return;
        }
        case 'request-appointment':
          await delivery.requestCarrierAppointment.executeWithOptions({ startToCloseTimeout: '2 minutes', summary: `Request the appointment from ${s.carrierName}` }, [
            { request: e, facts: facts() },
          ]);
          returned.push({ key: e.key, apply: (x, at) => noteEffect(x, at, 'APPOINTMENT_REQUEST_SENT', `Appointment request ${e.attempt} sent to ${x.carrierName} by ${e.channel.type}`) });
          return;
        case 'record-appointment':
          await records.recordAppointment.executeWithOptions({ startToCloseTimeout: '30 seconds', summary: `Record the appointment of NPN ${e.npn} with ${e.carrierCode}` }, [
            { npn: e.npn, carrierCode: e.carrierCode, appointedOn: e.appointedOn, actor: e.actor },
          ]);
          return;
        case 'release-cases':
          await tellCases(e.key, e.caseIds, { outcome: 'APPOINTED', appointedOn: s.outcome?.stage === 'APPOINTED' ? s.outcome.appointedOn : undefined });
          return;
        case 'notify-declined':
          await email({
            kind: 'email',
            key: e.key,
            template: 'contracting-declined',
            to: s.brokerEmail,
            summary: `${s.brokerName} told that ${s.carrierName} declined the appointment`,
            items: [{ description: e.reason }],
          });
          await tellCases(e.key, e.caseIds, { outcome: 'DECLINED', reason: e.reason });
          return;
      }
    } catch (err) {
      const reason = failed(err);
      returned.push({ key: e.key, apply: (x, at) => noteEffect(x, at, 'EFFECT_FAILED', `${e.kind} could not be done: ${reason}`) });
    }
  }

  /** Each case learns the outcome in its own trail; a held case released by it checks its licensing again. */
  async function tellCases(key: string, caseIds: string[], outcome: { outcome: 'APPOINTED' | 'DECLINED'; appointedOn?: string | undefined; reason?: string }): Promise<void> {
    const s = r.state;
    for (const caseId of caseIds) {
      const message = {
        requestId: `${key}:${caseId}`,
        input: {
          actor: 'contracting',
          contractingId: workflowId,
          carrierCode: s.carrierCode,
          outcome: outcome.outcome,
          ...(outcome.appointedOn ? { appointedOn: outcome.appointedOn } : {}),
          ...(outcome.reason ? { reason: outcome.reason } : {}),
        },
      };
      try {
        await getExternalWorkflowHandle(caseId).signal(actionSignals['contracting-outcome'], message);
      } catch (err) {
        // A case closed meanwhile (withdrawn, declined) has nothing left to release.
        const reason = (err as Error).message;
        returned.push({ key: `${key}:${caseId}`, apply: (x, at) => noteEffect(x, at, 'EFFECT_FAILED', `Case ${caseId} could not be told: ${reason}`) });
      }
    }
  }

  /** Emails go out on their own; the rest of one step runs in order (the appointment is recorded before the cases are released). */
  const runEffects = (effects: ContractingEffect[]) => {
    const ordered = effects.filter((e): e is Exclude<ContractingEffect, ContractingEmail> => e.kind !== 'email');
    for (const e of effects) if (e.kind === 'email') track(email(e));
    if (ordered.length) {
      track(
        (async () => {
          for (const e of ordered) await other(e);
        })(),
      );
    }
  };

  let lastAttrs = '';
  const show = () => {
    const attrs = contractingSearchAttributes(r.state);
    const serialized = JSON.stringify(attrs);
    if (serialized !== lastAttrs) {
      upsertSearchAttributes(attrs);
      lastAttrs = serialized;
    }
    setCurrentDetails(describeContracting(r.state, workflowId));
  };

  async function sync(): Promise<void> {
    const fresh = r.state.events.slice(r.syncedEvents);
    const unrecorded = r.requests.filter((q) => !q.recorded);
    if (fresh.length === 0 && unrecorded.length === 0) return;
    await records.syncContracting.executeWithOptions({ startToCloseTimeout: '30 seconds', summary: `Record: ${fresh.at(-1)?.description ?? 'requests'}` }, [
      { id: r.id, workflowId, state: r.state, missing: whatIsMissing(r.state), waitingOn: waitingOn(r.state) ?? null, events: fresh, firstSeq: r.syncedEvents + 1 },
    ]);
    r.syncedEvents += fresh.length;
    for (const q of unrecorded) q.recorded = true;
  }

  const apply = (action: ContractingActionName, message: ContractingRequestMessage, at: string): ContractingEffect[] => {
    if (r.requests.some((q) => q.id === message.requestId)) return [];
    const d = decide(r.state, action, message.input, at);
    r.state = d.state;
    r.requests.push({
      id: message.requestId,
      action,
      at,
      status: d.outcome.status,
      ...(d.outcome.status === 'REFUSED' ? { problems: d.outcome.refused } : {}),
    });
    if (r.requests.length > REQUESTS_KEPT) r.requests.splice(0, r.requests.length - REQUESTS_KEPT);
    return d.effects;
  };

  // Business days are timed by one timer per due moment, never cancelled: a spare wake costs one task.
  let rung = 0;
  const timersDue = new Set<number>();
  const timeNextWake = () => {
    const wake = nextWake(r.state);
    if (!wake) return;
    const due = dueAt(wake);
    if (timersDue.has(due)) return;
    timersDue.add(due);
    void sleep(Math.max(due - Date.now(), 1000), { summary: `Contracting follow-ups due ${wake}` }).then(() => {
      timersDue.delete(due);
      rung += 1;
    });
  };

  let effects = started;
  for (;;) {
    const at = now();
    // Effect results first, in key order, so their order never depends on how the activation came.
    for (const { apply: back } of returned.splice(0).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
      const out = back(r.state, at);
      if (!('action' in out)) {
        r.state = out;
        continue;
      }
      effects.push(...apply(out.action, out.message, at));
      // An answer the core refuses would leave the check waiting for ever: contracting is told in the trail.
      const taken = r.requests.find((q) => q.id === out.message.requestId);
      if (taken?.status === 'REFUSED') {
        r.state = noteEffect(r.state, at, 'EFFECT_FAILED', `The licence answer was not taken: ${(taken.problems ?? []).map((p) => p.message).join('; ')}`);
      }
    }
    for (const [action, message] of inbox.splice(0)) effects.push(...apply(action, message, at));
    const wake = nextWake(r.state);
    if (wake && dueAt(wake) <= Date.now()) {
      const ticked = tick(r.state, at);
      r.state = ticked.state;
      effects.push(...ticked.effects);
    }
    await sync();
    show();
    runEffects(effects.splice(0));
    timeNextWake();
    const idle = () => inflight === 0 && inbox.length === 0 && returned.length === 0;
    if (isTerminal(r.state.stage) && idle()) break;
    if (workflowInfo().continueAsNewSuggested && idle()) {
      await condition(allHandlersFinished);
      if (idle()) await continueAsNew<typeof contractingWorkflow>({ kind: 'continued', run: r });
    }
    const seen = rung;
    await condition(() => inbox.length > 0 || returned.length > 0 || rung !== seen || (isTerminal(r.state.stage) && inflight === 0));
    // Let every continuation of this activation run, so all that came in it is taken together.
    let armed = false;
    const settled = condition(() => armed);
    armed = true;
    await settled;
  }
  await condition(allHandlersFinished);
  const o = r.state.outcome;
  return { stage: r.state.stage, ...(o && o.stage !== 'APPOINTED' ? { reason: o.reason } : {}) };
}
