import { parseActionInput } from '../actions';
import { addMonths } from '../business-days';
import type { PacketItem } from '../carrier-config';
import type { UsState } from '../catalogue';
import { type Problem, Refusal, refuse } from '../case-core/requests';
import { formatDollars } from '../rules';
import {
  type CarrierAppointed,
  type CarrierDeclined,
  type Cancel,
  CONTRACTING_ACTIONS,
  type JoinCase,
  type LicenseVerified,
  type ReceiveItem,
  type RejectItem,
} from './actions';
import { Draft } from './draft';
import type { ContractingActionName } from './names';
import { type ContractingEffect, effectKey, emails } from './effects';
import { advance, requestLicenseCheck } from './stages';
import {
  type ContractingStage,
  type ContractingState,
  isLicenseItem,
  isTerminal,
  type LicenseNeed,
  licenseEntryKey,
  type PacketEntry,
  requestName,
  STAGE_LABELS,
  type WaitingCase,
} from './state';

/*
 * What each input checks against the request and then changes. A refusal names the field and
 * says, in a contracting assistant's words, what to send instead; it changes nothing.
 */

export type ActionOutcome = { status: 'APPLIED'; stage: ContractingStage } | { status: 'REFUSED'; refused: Problem[] };

export interface Decision {
  state: ContractingState;
  effects: ContractingEffect[];
  outcome: ActionOutcome;
}

/**
 * Applies one input at the shell's time `at` (an ISO instant or date). The input is parsed
 * again here, as the core trusts no sender. Refused, the state returned is the one given.
 */
export function decide(state: ContractingState, action: ContractingActionName, input: unknown, at: string): Decision {
  const parsed = parseActionInput<unknown>(CONTRACTING_ACTIONS[action], input);
  if (!parsed.ok) return refused(state, parsed.problems);
  const d = new Draft(state, at);
  try {
    // A case may still join an appointed request: it is released at once.
    if (isTerminal(state.stage) && !(action === 'join-case' && state.stage === 'APPOINTED')) refuse(undefined, finished(state));
    // The action name picks the handler, and the parse gave the input that handler expects.
    (HANDLERS[action] as (d: Draft, input: unknown) => void)(d, parsed.data);
  } catch (err) {
    if (err instanceof Refusal) return refused(state, err.problems);
    throw err;
  }
  advance(d);
  return { state: d.state, effects: d.effects, outcome: { status: 'APPLIED', stage: d.state.stage } };
}

const refused = (state: ContractingState, problems: Problem[]): Decision => ({ state, effects: [], outcome: { status: 'REFUSED', refused: problems } });

function finished(s: ContractingState): string {
  const o = s.outcome;
  if (o?.stage === 'APPOINTED') return `${requestName(s)} is already appointed (on ${o.appointedOn}); nothing more can change on it`;
  if (o?.stage === 'DECLINED') return `${requestName(s)} was declined by ${s.carrierName} on ${o.on} (${o.reason}); start a new contracting request to try again`;
  return `${requestName(s)} was cancelled on ${o?.on} (${o?.reason}); start a new contracting request to go on`;
}

/* ---- Looking things up, refusing what is not there ---- */

const neededStates = (s: ContractingState) => s.states.map((n) => n.state).join(', ');
const residentOf = (s: ContractingState): LicenseNeed => s.states.find((n) => n.resident)!;

function need(s: ContractingState, state: UsState): LicenseNeed {
  const found = s.states.find((n) => n.state === state);
  return found ?? refuse('state', `no waiting case needs a ${state} licence; the states needed are ${neededStates(s)}`);
}

function askedFor(s: ContractingState, item: PacketItem): void {
  if (s.rules.packet.some((p) => p.item === item)) return;
  refuse('item', `${s.carrierName}'s contracting packet does not ask for ${item}; it asks for ${s.rules.packet.map((p) => p.item).join(', ')}`);
}

/** The packet entry a licence copy is for: the resident licence in the resident state, a non-resident one elsewhere. */
function licenseEntry(s: ContractingState, item: 'RESIDENT_LICENSE' | 'NONRESIDENT_LICENSE', state: UsState): PacketEntry {
  const resident = residentOf(s).state;
  if (item === 'RESIDENT_LICENSE' && state !== resident) {
    refuse('state', `the broker's resident state is ${resident}; a licence from ${state} is a NONRESIDENT_LICENSE`);
  }
  if (item === 'NONRESIDENT_LICENSE' && state === resident) refuse('item', `${state} is the broker's resident state; send this licence as RESIDENT_LICENSE`);
  need(s, state);
  return s.packet.find((e) => e.key === licenseEntryKey(item, state))!;
}

function notPast(d: Draft, field: string, date: string, what: string): void {
  if (date < d.today) refuse(field, `${what} expired on ${date}; send one that is still current (today is ${d.today})`);
}

/* ---- Changes shared by several inputs ---- */

/** The broker must send the item again: they are told why, and reminded on the carrier's cadence. */
function returnToBroker(d: Draft, e: PacketEntry, status: 'OUTSTANDING' | 'REJECTED', problem: string, actor: string): void {
  e.status = status;
  e.problem = problem;
  e.returns += 1;
  e.nextReminderOn = d.nextReminder();
  delete e.details;
  delete e.file;
  delete e.receivedOn;
  d.event('ITEM_RETURNED', actor, `${e.description} sent back to the broker: ${problem}`);
  d.emit(emails.returned(d.state, e));
}

function release(d: Draft, cases: WaitingCase[], what: string): void {
  if (cases.length === 0) return;
  for (const c of cases) c.releasedOn = d.today;
  const caseIds = cases.map((c) => c.caseId);
  d.event('CASES_RELEASED', 'system', `Released: ${caseIds.join(', ')}`);
  d.emit({ kind: 'release-cases', key: effectKey(d.state, `release:${what}`), npn: d.state.npn, carrierCode: d.state.carrierCode, caseIds });
}

function atCarrier(s: ContractingState): void {
  if (s.stage === 'AT_CARRIER') return;
  refuse(undefined, `${requestName(s)} has not gone to ${s.carrierName} yet: it is ${STAGE_LABELS[s.stage].toLowerCase()} (${s.stage})`);
}

const unreleased = (s: ContractingState) => s.cases.filter((c) => !c.releasedOn);

/* ---- The inputs ---- */

const HANDLERS: { [N in ContractingActionName]: (d: Draft, input: never) => void } = {
  'join-case': (d: Draft, a: JoinCase) => {
    const s = d.state;
    const known = s.cases.find((c) => c.caseId === a.caseId);
    if (known) {
      if (known.state !== a.state) refuse('state', `case ${a.caseId} already waits here for ${known.state}; a case's state of signing does not change`);
      return;
    }
    const joined: WaitingCase = { caseId: a.caseId, state: a.state, joinedOn: d.today };
    s.cases.push(joined);
    d.event('CASE_JOINED', a.actor, `Case ${a.caseId}, signed in ${a.state}, waits on this appointment`);
    // The case's own licensing gate checks its state's licence when released.
    if (s.stage === 'APPOINTED') return release(d, [joined], a.caseId);
    if (s.states.some((n) => n.state === a.state)) return;
    s.states.push({ state: a.state, resident: false, check: 'NOT_CHECKED', checksRequested: 0 });
    d.event('STATE_ADDED', a.actor, `A ${a.state} licence is now needed`);
    const entry = d.addEntry('NONRESIDENT_LICENSE', a.state);
    if (entry) d.emit(emails.packet(s, `requested:${entry.key}`, [entry]));
  },

  'receive-item': (d: Draft, a: ReceiveItem) => {
    const s = d.state;
    askedFor(s, a.item);
    const e = isLicenseItem(a.item) && 'state' in a ? licenseEntry(s, a.item, a.state) : s.packet.find((x) => x.item === a.item)!;
    if (e.status === 'RECEIVED') refuse('item', `${e.description} was already received on ${e.receivedOn}; reject it first to replace it`);
    if ('holderNpn' in a && a.holderNpn !== undefined && a.holderNpn !== s.npn) {
      refuse('holderNpn', `the ${e.description} is issued to NPN ${a.holderNpn}, not to ${s.brokerName} (NPN ${s.npn}); ask the broker for their own`);
    }
    switch (a.item) {
      case 'EO_CERTIFICATE':
        if (a.limit < s.rules.eoMinimumLimit) {
          refuse('limit', `the E&O limit of ${formatDollars(a.limit)} is below the ${formatDollars(s.rules.eoMinimumLimit)} ${s.carrierName} requires`);
        }
        notPast(d, 'expiresOn', a.expiresOn, 'the E&O certificate');
        e.details = { carrier: a.carrier, limit: a.limit, expiresOn: a.expiresOn };
        break;
      case 'AML_TRAINING': {
        if (a.completedOn > d.today) refuse('completedOn', `${a.completedOn} is after today (${d.today}); give the date the training was completed`);
        const lapsed = addMonths(a.completedOn, s.rules.amlTrainingValidMonths);
        if (lapsed < d.today) {
          refuse(
            'completedOn',
            `AML training completed on ${a.completedOn} is older than the ${s.rules.amlTrainingValidMonths} months ${s.carrierName} accepts (it lapsed on ${lapsed}); the broker must take it again`,
          );
        }
        e.details = { completedOn: a.completedOn };
        break;
      }
      case 'RESIDENT_LICENSE':
      case 'NONRESIDENT_LICENSE':
        notPast(d, 'expiresOn', a.expiresOn, `the ${a.state} licence`);
        e.details = { licenseNumber: a.licenseNumber, expiresOn: a.expiresOn };
        break;
      default:
        break;
    }
    e.status = 'RECEIVED';
    e.receivedOn = d.today;
    if (a.file) e.file = a.file;
    delete e.problem;
    delete e.nextReminderOn;
    d.event('ITEM_RECEIVED', a.actor, `${e.description} received`);
    if (e.state) requestLicenseCheck(d, need(s, e.state));
  },

  'reject-item': (d: Draft, a: RejectItem) => {
    const s = d.state;
    askedFor(s, a.item);
    let e: PacketEntry | undefined;
    if (isLicenseItem(a.item) && a.state) {
      e = licenseEntry(s, a.item, a.state);
    } else {
      const candidates = s.packet.filter((x) => x.item === a.item);
      if (candidates.length > 1) refuse('state', `say which state's licence to reject: ${candidates.map((x) => x.state).join(', ')}`);
      e = candidates[0];
    }
    if (!e) return refuse('item', `no ${a.item} is asked of the broker yet: no waiting case needs a non-resident licence`);
    if (e.status !== 'RECEIVED') refuse('item', `${e.description} has not been received (it is ${e.status.toLowerCase()}); only a received item can be rejected`);
    returnToBroker(d, e, 'REJECTED', a.reason, a.actor);
  },

  'license-verified': (d: Draft, a: LicenseVerified) => {
    const s = d.state;
    const n = need(s, a.state);
    const numbered = a.licenseNumber ? ` ${a.licenseNumber}` : '';
    const problem = !a.found
      ? `no ${a.state} licence was found for NPN ${s.npn}`
      : !a.active
        ? `the ${a.state} licence${numbered} is not active`
        : a.expiresOn && a.expiresOn < d.today
          ? `the ${a.state} licence${numbered} expired on ${a.expiresOn}`
          : undefined;
    n.checkedOn = d.today;
    if (a.licenseNumber) n.licenseNumber = a.licenseNumber;
    if (a.expiresOn) n.expiresOn = a.expiresOn;
    if (!problem) {
      n.check = 'ACTIVE';
      delete n.problem;
      d.event('LICENSE_VERIFIED', a.actor, `${a.state} licence${numbered} verified active${a.expiresOn ? `, expiring ${a.expiresOn}` : ''}`);
      return;
    }
    n.check = 'PROBLEM';
    n.problem = problem;
    d.event('LICENSE_PROBLEM', a.actor, `Licence check: ${problem}`);
    const e = s.packet.find((x) => x.state === a.state);
    if (e?.status === 'RECEIVED') returnToBroker(d, e, 'OUTSTANDING', `${problem}; send a copy of an active ${a.state} licence`, a.actor);
  },

  'carrier-appointed': (d: Draft, a: CarrierAppointed) => {
    const s = d.state;
    atCarrier(s);
    if (a.appointedOn > d.today) refuse('appointedOn', `${a.appointedOn} is after today (${d.today}); record the appointment once ${s.carrierName} has made it`);
    s.outcome = { stage: 'APPOINTED', appointedOn: a.appointedOn, ...(a.appointmentId ? { appointmentId: a.appointmentId } : {}) };
    delete s.carrier.nextFollowUpOn;
    d.event('APPOINTED', a.actor, `Appointed with ${s.carrierName} on ${a.appointedOn}${a.appointmentId ? ` (appointment ${a.appointmentId})` : ''}`);
    d.enterStage('APPOINTED', a.actor);
    d.emit({
      kind: 'record-appointment',
      key: effectKey(s, 'record-appointment'),
      npn: s.npn,
      carrierCode: s.carrierCode,
      appointedOn: a.appointedOn,
      ...(a.appointmentId ? { appointmentId: a.appointmentId } : {}),
      actor: a.actor,
      licenses: s.states.flatMap((n) => (n.licenseNumber && n.expiresOn ? [{ state: n.state, licenseNumber: n.licenseNumber, expiresOn: n.expiresOn }] : [])),
    });
    release(d, unreleased(s), 'appointed');
  },

  'carrier-declined': (d: Draft, a: CarrierDeclined) => {
    const s = d.state;
    atCarrier(s);
    s.outcome = { stage: 'DECLINED', on: d.today, reason: a.reason };
    delete s.carrier.nextFollowUpOn;
    d.event('DECLINED', a.actor, `${s.carrierName} declined the appointment: ${a.reason}`);
    d.enterStage('DECLINED', a.actor);
    d.emit({
      kind: 'notify-declined',
      key: effectKey(s, 'declined'),
      npn: s.npn,
      carrierCode: s.carrierCode,
      reason: a.reason,
      caseIds: unreleased(s).map((c) => c.caseId),
    });
  },

  cancel: (d: Draft, a: Cancel) => {
    const s = d.state;
    s.outcome = { stage: 'CANCELLED', on: d.today, reason: a.reason };
    delete s.carrier.nextFollowUpOn;
    for (const e of s.packet) delete e.nextReminderOn;
    d.event('CANCELLED', a.actor, `Contracting cancelled: ${a.reason}`);
    d.enterStage('CANCELLED', a.actor);
  },
};
