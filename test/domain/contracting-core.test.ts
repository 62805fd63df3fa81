import path from 'node:path';
import { loadRulesConfig } from '../../activities/rules-config';
import { addBusinessDays, addCalendarDays } from '../../domain/business-days';
import type { RulesConfig } from '../../domain/carrier-config';
import {
  type ContractingActionName,
  type ContractingEffect,
  type ContractingState,
  decide,
  type Decision,
  nextWake,
  openContracting,
  tick,
  waitingOn,
  whatIsMissing,
} from '../../domain/contracting-core';
import { contractingRules } from '../../domain/rules';

/*
 * The contracting core, driven directly: given a request, when an input or a day comes, then
 * the request, the effects it lists and the input's outcome. No Temporal, no database.
 * Dates start on a fixed Monday, never today, and run through Christmas 2026 (a holiday in
 * config/rules.json).
 */

const MONDAY = '2026-12-07';
const CASE_GA = 'case-summit-sm-100234';
const CASE_TX = 'case-summit-sm-100300';
const ACTOR = 'contracting:lee';

let config: RulesConfig;
beforeAll(async () => {
  config = await loadRulesConfig(path.resolve(__dirname, '../../config/rules.json'));
});

const BROKER = { actor: ACTOR, npn: '1234567', brokerName: 'Sam Broker', brokerEmail: 'sam@broker.example', residentState: 'GA' } as const;

function opened(carrier = 'SUMMIT', at = MONDAY): { state: ContractingState; effects: ContractingEffect[] } {
  return openContracting(BROKER, contractingRules(config, carrier), at);
}

/** Summit's packet as the broker sends it, in good order on MONDAY. */
const PAPERS = {
  CARRIER_CONTRACT: { actor: ACTOR, item: 'CARRIER_CONTRACT', file: { sha256: 'a'.repeat(64), fileName: 'summit-agreement-signed.pdf', contentType: 'application/pdf', size: 48211 } },
  W9: { actor: ACTOR, item: 'W9' },
  EO_CERTIFICATE: { actor: ACTOR, item: 'EO_CERTIFICATE', carrier: 'Professional Liability Mutual', limit: 1_000_000, expiresOn: '2027-06-30' },
  AML_TRAINING: { actor: ACTOR, item: 'AML_TRAINING', completedOn: '2025-03-15' },
  RESIDENT_LICENSE: { actor: ACTOR, item: 'RESIDENT_LICENSE', state: 'GA', licenseNumber: 'GA-889201', expiresOn: '2028-04-30' },
} as const;
const TX_LICENSE = { actor: ACTOR, item: 'NONRESIDENT_LICENSE', state: 'tx', licenseNumber: 'TX-2231907', expiresOn: '2027-11-30' };
const active = (state: string) => ({ actor: 'system', state, found: true, active: true, expiresOn: '2028-04-30', licenseNumber: `${state}-1` });

/** A request and everything it listed, moved by inputs that must all be applied. */
class Request {
  effects: ContractingEffect[] = [];
  constructor(public state: ContractingState) {}

  static open(carrier = 'SUMMIT', at = MONDAY): Request {
    const { state, effects } = opened(carrier, at);
    const r = new Request(state);
    r.effects.push(...effects);
    return r;
  }

  do(action: ContractingActionName, input: unknown, at = MONDAY): Decision {
    const d = decide(this.state, action, input, at);
    if (d.outcome.status !== 'APPLIED') throw new Error(`${action} was refused: ${JSON.stringify(d.outcome.refused)}`);
    this.state = d.state;
    this.effects.push(...d.effects);
    return d;
  }

  tick(at: string): ContractingEffect[] {
    const { state, effects } = tick(this.state, at);
    this.state = state;
    this.effects.push(...effects);
    return effects;
  }

  sendPapers(at = MONDAY): this {
    for (const input of Object.values(PAPERS)) this.do('receive-item', input, at);
    return this;
  }

  /** All papers in and both licences checked: the request is at the carrier. */
  static atCarrier(): Request {
    const r = Request.open();
    r.do('join-case', { actor: ACTOR, caseId: CASE_GA, state: 'GA' });
    r.do('join-case', { actor: ACTOR, caseId: CASE_TX, state: 'TX' });
    r.sendPapers().do('receive-item', TX_LICENSE);
    r.do('license-verified', active('GA'));
    r.do('license-verified', active('TX'));
    expect(r.state.stage).toBe('AT_CARRIER');
    return r;
  }
}

const kinds = (effects: readonly ContractingEffect[]) => effects.map((e) => (e.kind === 'email' ? `email:${e.template}` : e.kind));
const keys = (effects: readonly ContractingEffect[]) => effects.map((e) => e.key);

/** Every calendar day from `from` to `to`, ticking once a day at 14:00 UTC; the dates each key was listed on. */
function walk(r: Request, from: string, to: string): Map<string, string> {
  const listedOn = new Map<string, string>();
  for (let day = from; day <= to; day = addCalendarDays(day, 1)) {
    for (const e of r.tick(`${day}T14:00:00.000Z`)) listedOn.set(e.key, day);
  }
  return listedOn;
}

describe('the carrier rules a request follows', () => {
  test('come from config/rules.json with the agency calendar', () => {
    const harbor = contractingRules(config, 'HARBOR');
    expect(harbor).toMatchObject({
      carrierName: 'Harbor Life',
      contractingEmail: 'contracting@bga.example',
      eoMinimumLimit: 500_000,
      amlTrainingValidMonths: 12,
      appointmentChannel: { type: 'email', target: 'licensing@harborlife.example' },
      followUp: { brokerReminderBusinessDays: 2, remindersBeforeEscalation: 2, carrierFollowUpBusinessDays: 3, carrierFollowUpsBeforeEscalation: 3 },
    });
    expect(harbor.packet.map((p) => p.item)).not.toContain('W9');
    expect(harbor.holidays).toContain('2026-12-25');
    expect(() => contractingRules(config, 'ACME')).toThrow('Unknown carrier ACME; the carriers are SUMMIT, HARBOR');
  });
});

describe('opening', () => {
  test('asks the broker for the packet, with the resident licence, and waits on them', () => {
    const { state, effects } = opened();
    expect(state.stage).toBe('COLLECTING_PACKET');
    expect(state.packet.map((e) => [e.key, e.status, e.nextReminderOn])).toEqual([
      ['CARRIER_CONTRACT', 'OUTSTANDING', '2026-12-10'],
      ['W9', 'OUTSTANDING', '2026-12-10'],
      ['EO_CERTIFICATE', 'OUTSTANDING', '2026-12-10'],
      ['AML_TRAINING', 'OUTSTANDING', '2026-12-10'],
      ['RESIDENT_LICENSE:GA', 'OUTSTANDING', '2026-12-10'],
    ]);
    expect(effects).toEqual([
      expect.objectContaining({ kind: 'email', template: 'contracting-packet', key: 'contracting:1234567:SUMMIT:packet', to: 'sam@broker.example' }),
    ]);
    expect(waitingOn(state)).toBe('BROKER');
    expect(whatIsMissing(state).map((m) => m.description)).toContain('Resident life licence (Georgia)');
    expect(nextWake(state)).toBe('2026-12-10');
  });
});

describe('the happy path', () => {
  test('packet, licences, carrier: appointed, and both waiting cases released', () => {
    // Given a request for a Georgia broker, with a Georgia case and a Texas case waiting on it
    const r = Request.open();
    r.do('join-case', { actor: ACTOR, caseId: CASE_GA, state: 'GA' });
    const tx = r.do('join-case', { actor: ACTOR, caseId: CASE_TX, state: 'TX' });
    expect(keys(tx.effects)).toEqual(['contracting:1234567:SUMMIT:requested:NONRESIDENT_LICENSE:TX']);
    expect(r.state.states.map((n) => n.state)).toEqual(['GA', 'TX']);

    // When the broker sends the packet: each licence copy is checked as it comes
    r.sendPapers();
    expect(r.state.stage).toBe('COLLECTING_PACKET');
    const last = r.do('receive-item', TX_LICENSE);
    expect(last.outcome).toEqual({ status: 'APPLIED', stage: 'VERIFYING_LICENSE' });
    expect(r.effects.filter((e) => e.kind === 'request-license-check')).toEqual([
      { kind: 'request-license-check', key: 'contracting:1234567:SUMMIT:license-check:GA#1', npn: '1234567', state: 'GA' },
      { kind: 'request-license-check', key: 'contracting:1234567:SUMMIT:license-check:TX#1', npn: '1234567', state: 'TX' },
    ]);
    expect(waitingOn(r.state)).toBe('BGA');

    // And the licence source finds both active: the request goes to the carrier once
    r.do('license-verified', active('GA'));
    const verified = r.do('license-verified', active('TX'));
    expect(verified.outcome).toEqual({ status: 'APPLIED', stage: 'AT_CARRIER' });
    expect(verified.effects).toEqual([
      expect.objectContaining({
        kind: 'request-appointment',
        key: 'contracting:1234567:SUMMIT:appointment-request#1',
        channel: { type: 'email', target: 'appointments@summitmutual.example' },
        attempt: 1,
        states: ['GA', 'TX'],
      }),
    ]);
    const request = verified.effects[0];
    expect(request?.kind === 'request-appointment' && request.packet.map((p) => p.item)).toEqual([
      'CARRIER_CONTRACT', 'W9', 'EO_CERTIFICATE', 'AML_TRAINING', 'RESIDENT_LICENSE', 'NONRESIDENT_LICENSE',
    ]);
    // The copy the broker sent goes with the request, by its hash in the document store.
    expect(request?.kind === 'request-appointment' && request.packet.find((p) => p.item === 'CARRIER_CONTRACT')?.file).toEqual(PAPERS.CARRIER_CONTRACT.file);
    expect(whatIsMissing(r.state)).toEqual([{ item: 'APPOINTMENT', description: expect.stringContaining('with Summit Mutual Life, requested 2026-12-07'), waitingOn: 'CARRIER' }]);

    // Then the carrier appoints: recorded, and both cases released
    const appointed = r.do('carrier-appointed', { actor: 'carrier:summit', appointedOn: '2026-12-14', appointmentId: 'SMA-55012' }, '2026-12-15');
    expect(appointed.outcome).toEqual({ status: 'APPLIED', stage: 'APPOINTED' });
    expect(appointed.effects).toEqual([
      {
        kind: 'record-appointment',
        key: 'contracting:1234567:SUMMIT:record-appointment',
        npn: '1234567',
        carrierCode: 'SUMMIT',
        appointedOn: '2026-12-14',
        appointmentId: 'SMA-55012',
        actor: 'carrier:summit',
        licenses: [
          { state: 'GA', licenseNumber: 'GA-1', expiresOn: '2028-04-30' },
          { state: 'TX', licenseNumber: 'TX-1', expiresOn: '2028-04-30' },
        ],
      },
      { kind: 'release-cases', key: 'contracting:1234567:SUMMIT:release:appointed', npn: '1234567', carrierCode: 'SUMMIT', caseIds: [CASE_GA, CASE_TX] },
    ]);
    expect(r.state.outcome).toEqual({ stage: 'APPOINTED', appointedOn: '2026-12-14', appointmentId: 'SMA-55012' });
    expect(whatIsMissing(r.state)).toEqual([]);
    expect(waitingOn(r.state)).toBeUndefined();
    expect(nextWake(r.state)).toBeUndefined();

    // And a case joining later is released at once
    const late = r.do('join-case', { actor: ACTOR, caseId: 'case-summit-sm-100999', state: 'FL' }, '2026-12-16');
    expect(late.effects).toEqual([
      { kind: 'release-cases', key: 'contracting:1234567:SUMMIT:release:case-summit-sm-100999', npn: '1234567', carrierCode: 'SUMMIT', caseIds: ['case-summit-sm-100999'] },
    ]);
    expect(r.state.events.map((e) => e.type)).toEqual(expect.arrayContaining(['OPENED', 'ITEM_RECEIVED', 'LICENSE_VERIFIED', 'APPOINTMENT_REQUESTED', 'APPOINTED', 'CASES_RELEASED']));
  });
});

describe('follow-ups on the business-day calendar', () => {
  test('the broker is reminded every 3 business days, skipping Christmas, and contracting hears once after 3 reminders', () => {
    // Given a Summit request opened on Monday 2026-12-07 (reminders every 3 business days, escalation after 3)
    expect(config.settings.holidays.map((h) => h.date)).toContain('2026-12-25');
    const r = Request.open();
    r.do('receive-item', PAPERS.CARRIER_CONTRACT, '2026-12-08');

    // When the days pass, ticked daily
    const listedOn = walk(r, MONDAY, '2026-12-31');

    // Then the W-9 reminders fall on business days, the one after 12-23 on 12-29, not Christmas Day's 12-28
    expect(addBusinessDays('2026-12-23', 3, [])).toBe('2026-12-28');
    const w9 = [...listedOn].filter(([key]) => key.includes(':reminder:W9#')).map(([key, day]) => [key.split(':').pop(), day]);
    expect(w9).toEqual([
      ['W9#1', '2026-12-10'],
      ['W9#2', '2026-12-15'],
      ['W9#3', '2026-12-18'],
      ['W9#4', '2026-12-23'],
      ['W9#5', '2026-12-29'],
    ]);
    // And the item received on the 8th is never chased
    expect([...listedOn.keys()].filter((k) => k.includes('CARRIER_CONTRACT'))).toEqual([]);
    // And each outstanding item escalates exactly once, on its third reminder, to contracting
    const escalations = r.effects.filter((e) => e.kind === 'email' && e.template === 'contracting-escalation');
    expect(escalations.map((e) => [e.key, listedOn.get(e.key)])).toEqual(
      ['W9', 'EO_CERTIFICATE', 'AML_TRAINING', 'RESIDENT_LICENSE:GA'].map((k) => [`contracting:1234567:SUMMIT:escalation:${k}`, '2026-12-18']),
    );
    expect(escalations.every((e) => e.kind === 'email' && e.to === 'contracting@bga.example')).toBe(true);
    expect(nextWake(r.state)).toBe('2027-01-04');
  });

  test('nextWake names the day a reminder is due, and a tick before it lists nothing', () => {
    const r = Request.open();
    expect(nextWake(r.state)).toBe('2026-12-10');
    expect(r.tick('2026-12-09T23:59:59.000Z')).toEqual([]);
    expect(kinds(r.tick('2026-12-10'))).toEqual(Array(5).fill('email:contracting-reminder'));
    expect(nextWake(r.state)).toBe('2026-12-15');
  });

  test('the carrier is followed up every 5 business days while it has the request, and contracting hears once after 2', () => {
    const r = Request.atCarrier();
    expect(nextWake(r.state)).toBe('2026-12-14');
    const setUp = r.effects.length;
    const listedOn = walk(r, '2026-12-08', '2026-12-31');
    expect([...listedOn]).toEqual([
      ['contracting:1234567:SUMMIT:carrier-follow-up:1#1', '2026-12-14'],
      ['contracting:1234567:SUMMIT:carrier-follow-up:1#2', '2026-12-21'],
      ['contracting:1234567:SUMMIT:carrier-escalation:1', '2026-12-21'],
      // 5 business days after 12-21, Christmas Day not among them
      ['contracting:1234567:SUMMIT:carrier-follow-up:1#3', '2026-12-29'],
    ]);
    const sent = r.effects.slice(setUp);
    expect(sent.map((e) => e.kind === 'email' && e.to)).toEqual([
      'appointments@summitmutual.example',
      'appointments@summitmutual.example',
      'contracting@bga.example',
      'appointments@summitmutual.example',
    ]);
  });
});

describe('refusals', () => {
  /** Given a Summit request with a Georgia case, when the input comes, then it is refused on that field and nothing changes. */
  const cases: [string, ContractingActionName, unknown, string | undefined, string | RegExp][] = [
    ['an E&O limit below the carrier minimum', 'receive-item', { ...PAPERS.EO_CERTIFICATE, limit: 500_000 }, 'limit', 'the E&O limit of $500,000 is below the $1,000,000 Summit Mutual Life requires'],
    ['an expired E&O certificate', 'receive-item', { ...PAPERS.EO_CERTIFICATE, expiresOn: '2026-12-04' }, 'expiresOn', 'the E&O certificate expired on 2026-12-04; send one that is still current (today is 2026-12-07)'],
    ['an E&O certificate without its limit', 'receive-item', { ...PAPERS.EO_CERTIFICATE, limit: undefined }, 'limit', 'is required'],
    [
      'AML training older than the carrier accepts',
      'receive-item',
      { ...PAPERS.AML_TRAINING, completedOn: '2024-12-01' },
      'completedOn',
      'AML training completed on 2024-12-01 is older than the 24 months Summit Mutual Life accepts (it lapsed on 2026-12-01); the broker must take it again',
    ],
    ['AML training completed in the future', 'receive-item', { ...PAPERS.AML_TRAINING, completedOn: '2026-12-08' }, 'completedOn', /is after today/],
    ['a licence in a territory', 'receive-item', { ...TX_LICENSE, state: 'PR' }, 'state', '"PR" is Puerto Rico, a US territory; licences are recorded for the 50 states and DC only'],
    ['a licence state written out', 'receive-item', { ...PAPERS.RESIDENT_LICENSE, state: 'Georgia' }, 'state', '"Georgia" is a state name; give its two-letter code, GA'],
    ['an expired licence', 'receive-item', { ...PAPERS.RESIDENT_LICENSE, expiresOn: '2026-11-30' }, 'expiresOn', /^the GA licence expired on 2026-11-30/],
    ['a date not on the calendar', 'receive-item', { ...PAPERS.RESIDENT_LICENSE, expiresOn: '2027-02-30' }, 'expiresOn', '"2027-02-30" is not a real date: February 2027 has 28 days'],
    ['a resident licence from another state', 'receive-item', { ...PAPERS.RESIDENT_LICENSE, state: 'TX' }, 'state', "the broker's resident state is GA; a licence from TX is a NONRESIDENT_LICENSE"],
    ['a non-resident licence no case needs', 'receive-item', TX_LICENSE, 'state', 'no waiting case needs a TX licence; the states needed are GA'],
    ['an item that is not a packet item', 'receive-item', { actor: ACTOR, item: 'PASSPORT' }, 'item', /^must be one of CARRIER_CONTRACT, W9/],
    ['rejecting an item not yet received', 'reject-item', { actor: ACTOR, item: 'W9', reason: 'unsigned' }, 'item', /has not been received \(it is outstanding\)/],
    ['a licence result for a state no case needs', 'license-verified', active('NV'), 'state', 'no waiting case needs a NV licence; the states needed are GA'],
    ['an appointment before the request reached the carrier', 'carrier-appointed', { actor: ACTOR, appointedOn: MONDAY }, undefined, /has not gone to Summit Mutual Life yet: it is at producer/],
    ['a join without a case reference', 'join-case', { actor: ACTOR, caseId: 'SM-1', state: 'GA' }, 'caseId', 'must be a case reference such as case-summit-sm-100234'],
  ];

  test.each(cases)('%s', (_, action, input, field, message) => {
    const r = Request.open();
    r.do('join-case', { actor: ACTOR, caseId: CASE_GA, state: 'GA' });
    const before = structuredClone(r.state);
    const d = decide(r.state, action, input, MONDAY);
    expect(d.outcome.status).toBe('REFUSED');
    const problems = d.outcome.status === 'REFUSED' ? d.outcome.refused : [];
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe(field);
    expect(problems[0]?.message).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
    expect(d.effects).toEqual([]);
    expect(d.state).toBe(r.state);
    expect(r.state).toEqual(before);
  });

  test('an item the carrier does not ask for, an item sent twice, an appointment dated after today', () => {
    const harbor = Request.open('HARBOR');
    const w9 = decide(harbor.state, 'receive-item', PAPERS.W9, MONDAY);
    expect(w9.outcome).toEqual({
      status: 'REFUSED',
      refused: [{ field: 'item', message: "Harbor Life's contracting packet does not ask for W9; it asks for CARRIER_CONTRACT, EO_CERTIFICATE, AML_TRAINING, RESIDENT_LICENSE, NONRESIDENT_LICENSE" }],
    });

    const r = Request.open();
    r.do('receive-item', PAPERS.W9);
    const again = decide(r.state, 'receive-item', PAPERS.W9, '2026-12-08');
    expect(again.outcome).toEqual({ status: 'REFUSED', refused: [{ field: 'item', message: 'IRS Form W-9, signed was already received on 2026-12-07; reject it first to replace it' }] });

    const atCarrier = Request.atCarrier();
    const early = decide(atCarrier.state, 'carrier-appointed', { actor: ACTOR, appointedOn: '2026-12-09' }, MONDAY);
    expect(early.outcome).toEqual({
      status: 'REFUSED',
      refused: [{ field: 'appointedOn', message: '2026-12-09 is after today (2026-12-07); record the appointment once Summit Mutual Life has made it' }],
    });
    expect(early.state).toBe(atCarrier.state);
  });
});

describe('licence verification', () => {
  test('an inactive licence keeps the request at the BGA and sends the copy back to the broker', () => {
    // Given all papers in, the Georgia licence being checked
    const r = Request.open().sendPapers();
    expect(r.state.stage).toBe('VERIFYING_LICENSE');

    // When the licence source finds it inactive
    const d = r.do('license-verified', { actor: 'system', state: 'GA', found: true, active: false, licenseNumber: 'GA-889201' }, '2026-12-08');

    // Then the request stays at the BGA, with the licence item back with the broker and the problem listed
    expect(d.outcome).toEqual({ status: 'APPLIED', stage: 'VERIFYING_LICENSE' });
    const problem = 'the GA licence GA-889201 is not active; send a copy of an active GA licence';
    expect(r.state.packet.find((e) => e.key === 'RESIDENT_LICENSE:GA')).toMatchObject({ status: 'OUTSTANDING', problem, nextReminderOn: '2026-12-11' });
    expect(d.effects).toEqual([expect.objectContaining({ kind: 'email', template: 'contracting-item-returned', key: 'contracting:1234567:SUMMIT:returned:RESIDENT_LICENSE:GA#1', to: 'sam@broker.example' })]);
    expect(whatIsMissing(r.state)).toEqual([{ item: 'RESIDENT_LICENSE', description: 'Resident life licence (Georgia)', waitingOn: 'BROKER', problem }]);
    expect(waitingOn(r.state)).toBe('BROKER');
    expect(nextWake(r.state)).toBe('2026-12-11');

    // And a renewed copy is checked again, and once active the request goes to the carrier
    const renewed = r.do('receive-item', { ...PAPERS.RESIDENT_LICENSE, expiresOn: '2029-04-30' }, '2026-12-09');
    expect(keys(renewed.effects)).toEqual(['contracting:1234567:SUMMIT:license-check:GA#2']);
    expect(r.do('license-verified', active('GA'), '2026-12-10').outcome).toEqual({ status: 'APPLIED', stage: 'AT_CARRIER' });
  });

  test('a licence not found says so', () => {
    const r = Request.open().sendPapers();
    r.do('license-verified', { actor: 'system', state: 'GA', found: false, active: false });
    expect(r.state.states[0]).toMatchObject({ check: 'PROBLEM', problem: 'no GA licence was found for NPN 1234567' });
    expect(r.state.stage).toBe('VERIFYING_LICENSE');
  });

  test('a case in a new state sends the request back for that licence, then to the carrier again as attempt 2', () => {
    const r = Request.atCarrier();
    const joined = r.do('join-case', { actor: ACTOR, caseId: 'case-summit-sm-100400', state: 'FL' }, '2026-12-08');
    expect(joined.outcome).toEqual({ status: 'APPLIED', stage: 'VERIFYING_LICENSE' });
    expect(nextWake(r.state)).toBe('2026-12-11');
    r.do('receive-item', { ...TX_LICENSE, state: 'FL', licenseNumber: 'FL-W123' }, '2026-12-09');
    const again = r.do('license-verified', active('FL'), '2026-12-09');
    expect(again.effects).toEqual([expect.objectContaining({ kind: 'request-appointment', key: 'contracting:1234567:SUMMIT:appointment-request#2', states: ['GA', 'TX', 'FL'] })]);
  });

  test('a rejected paper sends the request back to the broker', () => {
    const r = Request.open().sendPapers();
    const d = r.do('reject-item', { actor: ACTOR, item: 'W9', reason: 'the W-9 is not signed' }, '2026-12-08');
    expect(d.outcome).toEqual({ status: 'APPLIED', stage: 'COLLECTING_PACKET' });
    expect(r.state.packet.find((e) => e.item === 'W9')).toMatchObject({ status: 'REJECTED', problem: 'the W-9 is not signed' });
    expect(keys(d.effects)).toEqual(['contracting:1234567:SUMMIT:returned:W9#1']);
  });
});

describe('the end of a request', () => {
  test('a decline tells the waiting cases, and the request then refuses everything', () => {
    const r = Request.atCarrier();
    const d = r.do('carrier-declined', { actor: 'carrier:summit', reason: 'a regulatory action on the broker’s record' }, '2026-12-10');
    expect(d.outcome).toEqual({ status: 'APPLIED', stage: 'DECLINED' });
    expect(d.effects).toEqual([
      {
        kind: 'notify-declined',
        key: 'contracting:1234567:SUMMIT:declined',
        npn: '1234567',
        carrierCode: 'SUMMIT',
        reason: 'a regulatory action on the broker’s record',
        caseIds: [CASE_GA, CASE_TX],
      },
    ]);
    expect(nextWake(r.state)).toBeUndefined();
    expect(r.tick('2026-12-31')).toEqual([]);
    for (const [action, input] of [
      ['join-case', { actor: ACTOR, caseId: 'case-summit-sm-100500', state: 'GA' }],
      ['carrier-appointed', { actor: ACTOR, appointedOn: '2026-12-10' }],
    ] as const) {
      const late = decide(r.state, action, input, '2026-12-11');
      expect(late.outcome).toEqual({
        status: 'REFUSED',
        refused: [{ message: 'contracting for NPN 1234567 with SUMMIT was declined by Summit Mutual Life on 2026-12-10 (a regulatory action on the broker’s record); start a new contracting request to try again' }],
      });
    }
  });

  test('an appointed request refuses further inputs but a joining case', () => {
    const r = Request.atCarrier();
    r.do('carrier-appointed', { actor: ACTOR, appointedOn: MONDAY });
    const d = decide(r.state, 'cancel', { actor: ACTOR, reason: 'broker left the agency' }, MONDAY);
    expect(d.outcome).toEqual({ status: 'REFUSED', refused: [{ message: 'contracting for NPN 1234567 with SUMMIT is already appointed (on 2026-12-07); nothing more can change on it' }] });
  });

  test('a cancelled request stops its reminders', () => {
    const r = Request.open();
    expect(r.do('cancel', { actor: ACTOR, reason: 'the broker chose another BGA' }).outcome).toEqual({ status: 'APPLIED', stage: 'CANCELLED' });
    expect(nextWake(r.state)).toBeUndefined();
    expect(r.tick('2026-12-31')).toEqual([]);
  });
});

describe('idempotence and determinism', () => {
  test('a case joins once: joining again changes nothing, in another state is refused', () => {
    const r = Request.open();
    r.do('join-case', { actor: ACTOR, caseId: CASE_TX, state: 'TX' });
    const before = structuredClone(r.state);
    const again = r.do('join-case', { actor: 'someone:else', caseId: CASE_TX.toUpperCase(), state: 'tx' }, '2026-12-09');
    expect(again.effects).toEqual([]);
    expect(r.state).toEqual(before);
    const moved = decide(r.state, 'join-case', { actor: ACTOR, caseId: CASE_TX, state: 'NM' }, MONDAY);
    expect(moved.outcome).toEqual({ status: 'REFUSED', refused: [{ field: 'state', message: `case ${CASE_TX} already waits here for TX; a case's state of signing does not change` }] });
  });

  test('the same inputs give the same effects, every key unique', () => {
    const run = () => {
      const r = Request.atCarrier();
      walk(r, '2026-12-08', '2026-12-22');
      r.do('carrier-appointed', { actor: ACTOR, appointedOn: '2026-12-22' }, '2026-12-22');
      return r;
    };
    const [first, second] = [run(), run()];
    expect(second.effects).toEqual(first.effects);
    expect(second.state).toEqual(first.state);
    expect(new Set(keys(first.effects)).size).toBe(first.effects.length);
    expect(keys(first.effects).every((k) => k.startsWith('contracting:1234567:SUMMIT:'))).toBe(true);
  });
});

test('a later request for the same broker and carrier keys its effects apart from the first', () => {
  const rules = contractingRules(config, 'SUMMIT');
  const first = openContracting(BROKER, rules, MONDAY);
  const again = openContracting(BROKER, rules, MONDAY, 2);
  expect(keys(first.effects)).toEqual(['contracting:1234567:SUMMIT:packet']);
  expect(keys(again.effects)).toEqual(['contracting:1234567:SUMMIT#2:packet']);
  const reminded = tick(again.state, addBusinessDays(MONDAY, 3, rules.holidays));
  expect(keys(reminded.effects).every((k) => k.startsWith('contracting:1234567:SUMMIT#2:reminder:'))).toBe(true);
  expect(reminded.effects.map((e) => (e.kind === 'email' ? e.count : undefined))).toEqual(reminded.effects.map(() => 1));
});

test("a certificate issued to another broker is refused, naming the field, and changes nothing", () => {
  const { state } = opened();
  const d = decide(state, 'receive-item', { ...PAPERS.EO_CERTIFICATE, holderNpn: '7654321' }, MONDAY);
  expect(d.outcome).toEqual({
    status: 'REFUSED',
    refused: [{ field: 'holderNpn', message: 'the Errors and omissions (E&O) certificate is issued to NPN 7654321, not to Sam Broker (NPN 1234567); ask the broker for their own' }],
  });
  expect(d.state).toBe(state);
  expect(decide(state, 'receive-item', { ...PAPERS.EO_CERTIFICATE, holderNpn: '1234567' }, MONDAY).outcome.status).toBe('APPLIED');
});

test('an item sent back to the broker drops the copy it came with', () => {
  const { state } = opened();
  const received = decide(state, 'receive-item', PAPERS.CARRIER_CONTRACT, MONDAY);
  expect(received.state.packet.find((e) => e.item === 'CARRIER_CONTRACT')?.file?.fileName).toBe('summit-agreement-signed.pdf');
  const back = decide(received.state, 'reject-item', { actor: ACTOR, item: 'CARRIER_CONTRACT', reason: 'Page 3 is not signed' }, MONDAY);
  expect(back.state.packet.find((e) => e.item === 'CARRIER_CONTRACT')).toMatchObject({ status: 'REJECTED', problem: 'Page 3 is not signed' });
  expect(back.state.packet.find((e) => e.item === 'CARRIER_CONTRACT')?.file).toBeUndefined();
});
