import { ActionRefusedError } from '../../client/operations';
import type { CaseState } from '../../domain/case';
import { perform } from '../helpers/actions';
import { eventually } from '../helpers/eventually';
import { exampleApplication } from '../helpers/applications';
import { World } from '../helpers/world';

// Each scenario gets its own server, clock and database: time skipped by one cannot age another.
let world: World;
beforeEach(async () => {
  world = await World.create('time-skipping');
});
afterEach(async () => world?.close());

const cm = 'cm:jordan';
const CASE_MANAGER = 'newbusiness@bga.example';

async function started(app: ReturnType<typeof exampleApplication>, state = 'GA', carrier = 'SUMMIT', appointed = true) {
  await world.licensedBroker(app.broker.npn, state, carrier, { appointed });
  const { caseId } = await world.submit(app);
  await world.skip('1 hour');
  return { caseId, h: world.handle(caseId) };
}

/** A Summit case with exams and APS in, so it is submitted and waits on underwriting. */
async function inUnderwriting(): Promise<{ caseId: string; h: ReturnType<World['handle']>; s: CaseState }> {
  const { caseId, h } = await started(exampleApplication('summit-wl-clean'));
  let s = await world.state(caseId);
  for (const r of s.requirements.filter((x) => x.vendorCode)) {
    s = await perform(h, 'receive-requirement', { actor: cm, key: r.key });
  }
  await world.skip('1 hour');
  s = await world.state(caseId);
  expect(s.stage).toBe('UNDERWRITING');
  return { caseId, h, s };
}

const templatesTo = async (caseId: string, to: string) =>
  (await world.db.emailMessage.findMany({ where: { caseId, to }, orderBy: { createdAt: 'asc' } })).map((e) => e.template);

test('NIGO: one email lists every item, reminders follow the cadence, then escalation and close as incomplete', async () => {
  const app = exampleApplication('harbor-iul-nigo');
  const { caseId, h } = await started(app, 'CA', 'HARBOR');
  let s = await world.state(caseId);
  expect(s.stage).toBe('COMPLETENESS_REVIEW');
  const open = s.nigo.items.filter((i) => !i.resolved);
  expect(open.length).toBeGreaterThanOrEqual(3);

  const nigoMail = world.smtp.to(app.broker.email).find((m) => m.idempotencyKey === `${caseId}:nigo:1`);
  for (const item of open) expect(nigoMail?.text).toContain(item.message);

  await world.skip('30 days');
  const result = await h.result();
  await world.recordHistory(caseId, 'nigo-closed-incomplete');
  expect(result.outcome).toBe('CLOSED_INCOMPLETE');
  expect(result.reason).toContain('10 business days');

  const broker = await templatesTo(caseId, app.broker.email);
  expect(broker.filter((t) => t === 'reminder').length).toBeGreaterThanOrEqual(2);
  expect(broker.at(-1)).toBe('closure');
  expect(await templatesTo(caseId, CASE_MANAGER)).toContain('escalation');
  const row = await world.db.case.findUniqueOrThrow({ where: { id: caseId } });
  expect([row.stage, row.outcome]).toEqual(['CLOSED', 'CLOSED_INCOMPLETE']);
});

test('APS delay: the vendor is chased on its own clock, then the case manager is asked to step in', async () => {
  const app = exampleApplication('summit-wl-clean');
  const { caseId, h } = await started(app);
  let s = await world.state(caseId);
  const aps = s.requirements.find((r) => r.code === 'PHYSSTMT')!;
  for (const r of s.requirements.filter((x) => x.vendorCode && x.code !== 'PHYSSTMT')) {
    await perform(h, 'vendor-status', { actor: 'vendor:EXAMONE', key: r.key, status: 'COMPLETED' });
  }
  await world.skip('35 days');
  s = await world.state(caseId);
  const chased = s.requirements.find((r) => r.key === aps.key)!;
  expect(chased.status).toBe('ORDERED');
  expect(chased.followUpCount).toBeGreaterThanOrEqual(3);
  expect(chased.escalated).toBe(true);
  // The vendor was chased, not the broker: no broker reminder names the APS.
  expect(world.smtp.to('orders@apsnow.example').filter((m) => m.idempotencyKey.includes(`vendor-follow-up:${aps.key}`)).length).toBe(chased.followUpCount);
  expect(world.smtp.to(app.broker.email).some((m) => m.idempotencyKey.includes('reminder') && m.text.includes('physician'))).toBe(false);
  const escalation = world.smtp.to(CASE_MANAGER).find((m) => m.idempotencyKey.includes(`escalation:${aps.key}`));
  expect(escalation?.text).toContain('Attending physician statement');

  s = await perform(h, 'receive-requirement', { actor: cm, key: aps.key });
  await world.skip('1 hour');
  expect((await world.state(caseId)).stage).toBe('UNDERWRITING');
  await perform(h, 'withdraw', { actor: cm, reason: 'test cleanup' });
  await h.result();
  await world.recordHistory(caseId, 'aps-escalation');
});

test('a carrier-added requirement is ordered and chased like the others', async () => {
  const app = exampleApplication('harbor-iul-nigo');
  const { caseId, h } = await started(app, 'CA', 'HARBOR');
  // Harbor takes cases with requirements to follow: once in good order it is submitted at once.
  let s = await perform(h, 'review', { actor: cm, inGoodOrder: true, note: 'Signed pages received by fax' });
  await world.skip('1 hour');
  s = await world.state(caseId);
  expect(s.stage).toBe('UNDERWRITING');
  expect(s.requirements.some((r) => r.status === 'ORDERED')).toBe(true);

  s = await perform(h, 'add-requirement', { actor: 'uw:harbor-lee', code: 'INSPRPT', source: 'CARRIER', carrierOrderNumber: 'HL-REQ-77', note: 'Large case: inspection needed' });
  expect(s.requirements.find((r) => r.code === 'INSPRPT')).toMatchObject({ source: 'CARRIER', vendorCode: 'INSPECTCO', carrierOrderNumber: 'HL-REQ-77', phase: 'UNDERWRITING' });
  // The order is an effect of the action, and runs after the answer.
  const added = await eventually(async () => {
    const r = (await world.state(caseId)).requirements.find((x) => x.code === 'INSPRPT')!;
    expect(r.status).toBe('ORDERED');
    return r;
  });
  await eventually(async () => expect(world.smtp.to('orders@inspectco.example').length).toBe(1));
  await eventually(async () => expect(await templatesTo(caseId, app.broker.email)).toContain('requirement-update'));

  await world.skip('12 days');
  s = await world.state(caseId);
  expect(s.requirements.find((r) => r.key === added.key)!.followUpCount).toBeGreaterThanOrEqual(1);
  s = await perform(h, 'vendor-status', { actor: 'vendor:INSPECTCO', key: added.key, status: 'COMPLETED' });
  expect(s.requirements.find((r) => r.key === added.key)!.status).toBe('RECEIVED');
  const row = await world.db.requirement.findFirstOrThrow({ where: { caseId, key: added.key }, include: { history: { orderBy: { at: 'asc' } } } });
  expect(row.history.map((e) => e.status)).toEqual(['OUTSTANDING', 'ORDERED', 'RECEIVED']);
  await perform(h, 'withdraw', { actor: cm, reason: 'test cleanup' });
  await h.result();
  await world.recordHistory(caseId, 'carrier-added-requirement');
});

test('a decline closes the case, cancels what is open and tells the broker', async () => {
  const { caseId, h } = await inUnderwriting();
  await world.skip('25 days');
  await perform(h, 'decision', { actor: 'uw:summit', decision: 'DECLINED', reason: 'Build and blood pressure outside guidelines' });
  const result = await h.result();
  await world.recordHistory(caseId, 'declined');
  expect(result).toEqual({ outcome: 'DECLINED', reason: 'Build and blood pressure outside guidelines' });
  const rows = await world.db.requirement.findMany({ where: { caseId } });
  expect(rows.filter((r) => ['OUTSTANDING', 'ORDERED', 'SCHEDULED'].includes(r.status))).toEqual([]);
  const decision = await world.db.emailMessage.findFirstOrThrow({ where: { caseId, template: 'decision' } });
  expect(decision.text).toContain('Build and blood pressure outside guidelines');
});

test('a counter-offer accepted by the client goes on to placement', async () => {
  const { caseId, h } = await inUnderwriting();
  let s = await perform(h, 'decision', { actor: 'uw:summit', decision: 'APPROVED_OTHER_THAN_APPLIED', riskClass: 'Standard Non-Tobacco', rating: 'Table 2' });
  await world.skip('1 hour');
  expect((await world.state(caseId)).stage).toBe('OFFER_PENDING');
  const offer = await world.db.emailMessage.findFirstOrThrow({ where: { caseId, template: 'decision' } });
  expect(offer.text).toContain('Table 2');
  await world.skip('7 days');
  await perform(h, 'offer-response', { actor: 'broker:daniel', accepted: true });
  await world.skip('1 hour');
  s = await perform(h, 'decision', { actor: 'uw:summit', decision: 'ISSUED', policyNumber: 'SM-7700123' });
  await world.skip('1 hour');
  s = await world.state(caseId);
  for (const r of s.requirements.filter((x) => x.phase === 'DELIVERY')) {
    await perform(h, 'receive-requirement', { actor: cm, key: r.key });
  }
  expect((await h.result()).outcome).toBe('PLACED');
  await world.recordHistory(caseId, 'counter-offer-placed');
});

test('a withdrawal mid-flight closes the case and later actions are refused', async () => {
  const app = exampleApplication('summit-wl-clean');
  const { caseId, h } = await started(app);
  await world.skip('3 days');
  const withdraw = { actor: 'broker:daniel', reason: 'Client bought coverage elsewhere' };
  await perform(h, 'withdraw', withdraw, { requestId: 'withdraw-daniel-1' });
  expect(await h.result()).toEqual({ outcome: 'WITHDRAWN', reason: 'Client bought coverage elsewhere' });
  // The same request again, as a caller whose answer was lost would send it: its outcome, not a refusal.
  expect((await perform(h, 'withdraw', withdraw, { requestId: 'withdraw-daniel-1' })).stage).toBe('CLOSED');
  await world.recordHistory(caseId, 'withdrawn-vendor-orders-cancelled');
  // The vendors are told to stop work on the orders the closed case no longer needs.
  const cancellations = world.smtp.messages.filter((m) => m.idempotencyKey.startsWith(`${caseId}:vendor-cancellation:`));
  expect(cancellations.map((m) => m.to).sort()).toEqual(['orders@apsnow.example', 'orders@examone.example', 'orders@examone.example', 'orders@examone.example']);
  const rows = await world.db.requirement.findMany({ where: { caseId } });
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.every((r) => ['CANCELLED', 'RECEIVED'].includes(r.status))).toBe(true);
  expect((await templatesTo(caseId, app.broker.email)).at(-1)).toBe('closure');
  await expect(perform(h, 'note', { actor: cm, text: 'too late' })).rejects.toThrow();
});

test('an unappointed broker holds the case until contracting records the appointment', async () => {
  const app = exampleApplication('summit-wl-clean');
  const { caseId, h } = await started(app, 'GA', 'SUMMIT', false);
  let s = await world.state(caseId);
  for (const r of s.requirements.filter((x) => x.vendorCode)) await perform(h, 'receive-requirement', { actor: cm, key: r.key });
  await world.skip('2 days');
  s = await world.state(caseId);
  expect(s.stage).toBe('LICENSING_HOLD');
  expect(s.licensing?.problems).toEqual(['No active appointment with SUMMIT']);
  const hold = world.smtp.to('contracting@bga.example').filter((m) => m.idempotencyKey.startsWith(`${caseId}:contracting-hold`));
  expect(hold.length).toBe(1);
  expect(hold[0]?.text).toContain(app.broker.npn);

  const appointedOn = await world.today();
  s = await perform(h, 'record-appointment', { actor: 'contracting:sam', appointedOn });
  await world.skip('1 hour');
  s = await world.state(caseId);
  expect(s.stage).toBe('UNDERWRITING');
  const appointment = await world.db.brokerAppointment.findFirstOrThrow({ where: { broker: { npn: app.broker.npn }, carrierCode: 'SUMMIT' } });
  expect(appointment.recordedBy).toBe('contracting:sam');
  // The contracting request the case started at intake is closed: the broker is asked for nothing more.
  expect(s.contractingId).toBe(`contracting-${app.broker.npn}-summit`);
  expect(await world.client.workflow.getHandle(s.contractingId!).result()).toEqual({
    stage: 'CANCELLED',
    reason: `Appointment on ${appointedOn} recorded on case ${caseId}`,
  });
  await perform(h, 'withdraw', { actor: cm, reason: 'test cleanup' });
  await h.result();
  await world.recordHistory(caseId, 'licensing-hold');
});

const refusal = async (p: Promise<unknown>): Promise<string> => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ActionRefusedError);
  return (err as ActionRefusedError).message;
};

test('an action sent while the case is being opened is checked once it is open: a bad one is refused and the case goes on', async () => {
  const app = exampleApplication('summit-wl-clean');
  await world.licensedBroker(app.broker.npn, 'GA', 'SUMMIT');
  const { caseId } = await world.submit(app);
  const h = world.handle(caseId);
  // Sent at once: the case has not finished intake, so it holds the request until it can judge the key.
  const outcome = await Promise.race([refusal(perform(h, 'receive-requirement', { actor: cm, key: 'NOPE' })), new Promise<string>((r) => setTimeout(() => r('no answer within 20 s'), 20_000))]);
  expect(outcome).toMatch(/^key: no requirement "NOPE"/);
  await world.skip('1 hour');
  const s = await world.state(caseId);
  expect(s.stage).toBe('REQUIREMENTS');
  expect(s.requirements.length).toBeGreaterThan(0);
  await perform(h, 'withdraw', { actor: cm, reason: 'test cleanup' });
  expect((await h.result()).outcome).toBe('WITHDRAWN');
});

test('bad action input is refused naming the field; the refusal is in the trail and nothing else changes', async () => {
  const { caseId, h } = await started(exampleApplication('summit-wl-clean'));
  const before = await world.state(caseId);
  expect(await refusal(perform(h, 'receive-requirement', { actor: cm, key: 'NOPE' }))).toMatch(/key: no requirement "NOPE"/);
  expect(await refusal(perform(h, 'vendor-status', { actor: cm, key: 'PARAMED', status: 'SCHEDULED' }))).toMatch(/scheduledFor: is required when the status is SCHEDULED/);
  expect(await refusal(perform(h, 'note', { actor: '', text: 'x' }))).toMatch(/actor: must name who did this/);
  const after = await world.state(caseId);
  expect(after.requirements).toEqual(before.requirements);
  expect(after.stage).toBe(before.stage);
  expect(after.requests?.map((r) => [r.action, r.status, r.problems?.[0]?.field])).toEqual([
    ['receive-requirement', 'REFUSED', 'key'],
    ['vendor-status', 'REFUSED', 'scheduledFor'],
    ['note', 'REFUSED', 'actor'],
  ]);
  await eventually(async () => expect(await world.db.caseEvent.count({ where: { caseId, type: 'REQUEST_REFUSED' } })).toBe(3));
  expect(await world.db.caseEvent.count({ where: { caseId, type: 'NOTE' } })).toBe(0);
  // No action is a Temporal Update any more.
  const history = (await h.fetchHistory()).events ?? [];
  expect(history.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionUpdateAdmittedEventAttributes)).toHaveLength(0);
  await perform(h, 'withdraw', { actor: cm, reason: 'test cleanup' });
});

test('a request ID is applied once: the same request sent again returns the first outcome and adds nothing', async () => {
  const { caseId, h } = await started(exampleApplication('summit-wl-clean'));
  const add = { actor: 'uw:summit', code: 'FINSUPP', source: 'CARRIER' };
  const first = await perform(h, 'add-requirement', add, { requestId: 'cm-retry-1' });
  const again = await perform(h, 'add-requirement', add, { requestId: 'cm-retry-1' });
  const keys = (s: CaseState) => s.requirements.filter((r) => r.code === 'FINSUPP').map((r) => r.key);
  expect(keys(first)).toEqual(['FINSUPP']);
  expect(keys(again)).toEqual(['FINSUPP']);
  // Counted by content too: one requirement row, one email about it.
  await eventually(async () => expect(await world.db.requirement.count({ where: { caseId, code: 'FINSUPP' } })).toBe(1));
  await eventually(async () => expect(await world.db.emailMessage.count({ where: { caseId, template: 'requirement-update' } })).toBe(1));
  // A new request ID is a new request: the case adds a second one.
  const other = await perform(h, 'add-requirement', add, { requestId: 'cm-retry-2' });
  expect(keys(other)).toEqual(['FINSUPP', 'FINSUPP:2']);
  await perform(h, 'withdraw', { actor: cm, reason: 'test cleanup' });
});

test('the answer to an action shows the stage it led to', async () => {
  const { h } = await inUnderwriting();
  const s = await perform(h, 'decision', { actor: 'uw:summit', decision: 'DECLINED', reason: 'Build outside guidelines' });
  expect(s.stage).toBe('CLOSED');
  expect(s.outcome?.outcome).toBe('DECLINED');
  const request = s.requests?.at(-1);
  expect([request?.stageBefore, request?.settledStage]).toEqual(['UNDERWRITING', 'CLOSED']);
  await h.result();
});
