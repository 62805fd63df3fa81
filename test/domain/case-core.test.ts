import path from 'node:path';
import { loadRulesConfig } from '../../activities/rules-config';
import type { CaseState } from '../../domain/case';
import { CaseCore, markRecorded } from '../../domain/case-core/core';
import type { RulesConfig } from '../../domain/carrier-config';
import { evaluateApplication } from '../../domain/rules';
import { ApplicationSchema } from '../../domain/application';
import { exampleApplication } from '../helpers/applications';
import { TODAY } from './fixtures';

/*
 * The case core, driven directly: given a case, when an action or the clock comes, then the
 * case, the effects it lists and the request's outcome. No Temporal, no database, no SMTP.
 */

let config: RulesConfig;
beforeAll(async () => {
  config = await loadRulesConfig(path.resolve(__dirname, '../../config/rules.json'));
});

/** A Summit case as intake leaves it, with its planned requirements already on the case. */
function openCase(at = `${TODAY}T15:00:00.000Z`): { core: CaseCore; clock: { now: string } } {
  // Dated as of a fixed day, never today: the shipped Summit example, whose grid cell orders a paramedical exam.
  const app = ApplicationSchema.parse(exampleApplication('summit-wl-clean', () => {}, TODAY));
  const evaluation = evaluateApplication(app, config, TODAY);
  const state: CaseState = {
    caseId: 'case-core-test',
    carrierCode: app.carrier,
    carrierName: evaluation.rules.carrierName,
    applicationNumber: app.applicationNumber,
    productType: app.product.type,
    plan: app.product.plan,
    faceAmount: app.product.faceAmount,
    stateOfSigning: app.stateOfSigning,
    signedOn: app.signedOn,
    insuredName: `${app.insured.firstName} ${app.insured.lastName}`,
    issueAge: evaluation.issueAge,
    broker: app.broker,
    rules: evaluation.rules,
    stage: 'REQUIREMENTS',
    stageEnteredAt: at,
    receivedAt: at,
    lastActivityAt: at,
    nigo: { items: [], remindersSent: 0, escalated: false },
    requirements: [],
    plannedRequirements: [],
    recentEvents: [],
    nextSeq: 1,
  };
  const clock = { now: at };
  const core = new CaseCore(state, { now: () => clock.now, patched: () => true });
  for (const p of evaluation.requirements) core.addPlanned(p, 'system');
  core.takeEffects();
  return { core, clock };
}

const vendorKey = (core: CaseCore) => core.state.requirements.find((r) => r.vendorCode)!.key;

test('an applied action changes the case, lists its email, and settles on the stage it led to', () => {
  const { core } = openCase();
  const key = vendorKey(core);
  const record = core.receive('receive-requirement', { requestId: 'r1', input: { actor: 'cm:jordan', key } });
  expect(record).toMatchObject({ id: 'r1', status: 'APPLIED', stageBefore: 'REQUIREMENTS' });
  expect(record.settledStage).toBeUndefined();
  expect(core.book.requirement(key)!.status).toBe('RECEIVED');
  const effects = core.takeEffects();
  expect(effects.map((e) => e.kind)).toEqual(['email']);
  expect(effects[0]!.kind === 'email' && effects[0]!.email.key).toBe(`requirement:${key}:received#1`);
  core.settle();
  expect(record.settledStage).toBe('REQUIREMENTS');
  expect(core.state.recentEvents.at(-1)).toMatchObject({ type: 'REQUEST_APPLIED', actor: 'cm:jordan', data: { requestId: 'r1' } });
});

test('a request ID is applied once, whatever comes between', () => {
  const { core } = openCase();
  const add = { actor: 'uw:summit', code: 'FINSUPP', source: 'CARRIER' };
  const first = core.receive('add-requirement', { requestId: 'same', input: add });
  core.receive('note', { requestId: 'other', input: { actor: 'cm:jordan', text: 'called the broker' } });
  const again = core.receive('add-requirement', { requestId: 'same', input: add });
  expect(again).toBe(first);
  expect(core.state.requirements.filter((r) => r.code === 'FINSUPP')).toHaveLength(1);
  expect(core.takeEffects().filter((e) => e.kind === 'email')).toHaveLength(1);
});

test('a refusal names the field, changes nothing but the trail, and lists no effect', () => {
  const { core } = openCase();
  const before = structuredClone(core.state.requirements);
  const record = core.receive('vendor-status', { requestId: 'bad', input: { actor: 'cm:jordan', key: 'NOPE', status: 'COMPLETED' } });
  expect(record).toMatchObject({ status: 'REFUSED', settledStage: 'REQUIREMENTS' });
  expect(record.problems).toEqual([{ field: 'key', message: expect.stringMatching(/^no requirement "NOPE" on this case/) }]);
  const shape = core.receive('decision', { requestId: 'shape', input: { actor: 'uw:summit', decision: 'DECLINED' } });
  expect(shape.problems).toEqual([{ field: 'reason', message: 'is required' }]);
  expect(core.state.requirements).toEqual(before);
  expect(core.takeEffects()).toEqual([]);
  expect(core.state.recentEvents.map((e) => e.type)).toEqual([...Array(before.length).fill('REQUIREMENT_STATUS'), 'REQUEST_REFUSED', 'REQUEST_REFUSED']);
});

test('a closed case refuses every action and says why', () => {
  const { core } = openCase();
  core.receive('withdraw', { requestId: 'w', input: { actor: 'cm:jordan', reason: 'client changed their mind' } });
  expect(core.state.stage).toBe('CLOSED');
  const late = core.receive('note', { requestId: 'late', input: { actor: 'cm:jordan', text: 'too late' } });
  expect(late.status).toBe('REFUSED');
  expect(late.problems?.[0]?.message).toMatch(/is closed \(WITHDRAWN\)/);
});

test('withdrawing cancels every open requirement and lists the vendor cancellations and the broker email', () => {
  const { core } = openCase();
  const ordered = core.state.requirements.filter((r) => r.vendorCode);
  ordered.forEach((r, i) => {
    r.status = 'ORDERED';
    r.providerOrderNumber = `ORD-${i}`;
  });
  expect(ordered.length).toBeGreaterThan(0);
  core.receive('withdraw', { requestId: 'w', input: { actor: 'cm:jordan', reason: 'client changed their mind' } });
  expect(core.state.requirements.every((r) => r.status === 'CANCELLED' || r.status === 'RECEIVED')).toBe(true);
  const templates = core.takeEffects().map((e) => (e.kind === 'email' ? e.email.data.template : e.kind));
  expect(templates.filter((t) => t === 'vendor-cancellation')).toHaveLength(ordered.length);
  expect(templates.at(-1)).toBe('closure');
});

test('recording an appointment is an effect; the hold is checked again only once it is on file', () => {
  const { core } = openCase();
  core.receive('record-appointment', { requestId: 'a', input: { actor: 'contracting:sam', appointedOn: TODAY } });
  const [effect] = core.takeEffects();
  expect(effect).toMatchObject({ kind: 'record-appointment', appointedOn: TODAY });
  expect(core.licensingRecheck).toBe(false);
  core.appointmentRecorded(effect as Extract<typeof effect, { kind: 'record-appointment' }>);
  expect(core.licensingRecheck).toBe(true);
});

test('a request counts as recorded only once its outcome event is in the database', () => {
  const { core } = openCase();
  const record = core.receive('note', { requestId: 'n', input: { actor: 'cm:jordan', text: 'hello' } });
  core.settle();
  const { events } = core.book.takeChanges();
  expect(record.recorded).toBeUndefined();
  markRecorded(core.state, events);
  expect(record.recorded).toBe(true);
});

test('time: a vendor order unanswered past its cadence is followed up, from the vendor’s business-day clock', () => {
  const { core, clock } = openCase();
  const key = vendorKey(core);
  const r = core.book.requirement(key)!;
  r.status = 'ORDERED';
  r.nextFollowUpOn = core.addDays(TODAY, 3);
  clock.now = `${r.nextFollowUpOn}T13:59:00.000Z`;
  core.runClocks();
  expect(r.followUpCount).toBe(0);
  expect(core.nextWake()).toBe(Date.parse(`${r.nextFollowUpOn}T14:00:00Z`));
  clock.now = `${r.nextFollowUpOn}T14:00:00.000Z`;
  core.runClocks();
  expect(r.followUpCount).toBe(1);
  expect(core.takeEffects().some((e) => e.kind === 'email' && e.email.data.template === 'vendor-follow-up')).toBe(true);
});

test('a requirement a person adds is planned as intake plans it: the same vendor, fulfiller and client instructions', () => {
  const { core } = openCase();
  const planned = core.state.requirements.find((r) => r.code === 'PARAMED')!;
  core.receive('waive-requirement', { requestId: 'w', input: { actor: 'uw:summit', key: planned.key, reason: 'ordered again below' } });
  core.receive('add-requirement', { requestId: 'a', input: { actor: 'uw:summit', code: 'PARAMED', source: 'CARRIER' } });
  const added = core.state.requirements.find((r) => r.key === 'PARAMED:2')!;
  expect(added.vendorCode).toBe(planned.vendorCode);
  expect(added.vendorCode).toBeDefined();
  expect({ fulfiller: added.fulfiller, clientAction: added.clientAction, description: added.description }).toEqual({
    fulfiller: planned.fulfiller,
    clientAction: planned.clientAction,
    description: planned.description,
  });
});
