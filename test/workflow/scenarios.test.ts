import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { CaseState } from '../../domain/case';
import * as msg from '../../workflows/messages';
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
    s = await h.executeUpdate(msg.receiveRequirementUpdate, { args: [{ actor: cm, key: r.key }] });
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
    await h.executeUpdate(msg.vendorStatusUpdate, { args: [{ actor: 'vendor:EXAMONE', key: r.key, status: 'COMPLETED' }] });
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

  s = await h.executeUpdate(msg.receiveRequirementUpdate, { args: [{ actor: cm, key: aps.key }] });
  await world.skip('1 hour');
  expect((await world.state(caseId)).stage).toBe('UNDERWRITING');
  await h.executeUpdate(msg.withdrawUpdate, { args: [{ actor: cm, reason: 'test cleanup' }] });
  await h.result();
  await world.recordHistory(caseId, 'aps-escalation');
});

test('a carrier-added requirement is ordered and chased like the others', async () => {
  const app = exampleApplication('harbor-iul-nigo');
  const { caseId, h } = await started(app, 'CA', 'HARBOR');
  // Harbor takes cases with requirements to follow: once in good order it is submitted at once.
  let s = await h.executeUpdate(msg.reviewUpdate, { args: [{ actor: cm, inGoodOrder: true, note: 'Signed pages received by fax' }] });
  await world.skip('1 hour');
  s = await world.state(caseId);
  expect(s.stage).toBe('UNDERWRITING');
  expect(s.requirements.some((r) => r.status === 'ORDERED')).toBe(true);

  s = await h.executeUpdate(msg.addRequirementUpdate, {
    args: [{ actor: 'uw:harbor-lee', code: 'INSPRPT', source: 'CARRIER', carrierOrderNumber: 'HL-REQ-77', note: 'Large case: inspection needed' }],
  });
  const added = s.requirements.find((r) => r.code === 'INSPRPT')!;
  expect(added).toMatchObject({ source: 'CARRIER', status: 'ORDERED', vendorCode: 'INSPECTCO', carrierOrderNumber: 'HL-REQ-77', phase: 'UNDERWRITING' });
  expect(world.smtp.to('orders@inspectco.example').length).toBe(1);
  expect(await templatesTo(caseId, app.broker.email)).toContain('requirement-update');

  await world.skip('12 days');
  s = await world.state(caseId);
  expect(s.requirements.find((r) => r.key === added.key)!.followUpCount).toBeGreaterThanOrEqual(1);
  s = await h.executeUpdate(msg.vendorStatusUpdate, { args: [{ actor: 'vendor:INSPECTCO', key: added.key, status: 'COMPLETED' }] });
  expect(s.requirements.find((r) => r.key === added.key)!.status).toBe('RECEIVED');
  const row = await world.db.requirement.findFirstOrThrow({ where: { caseId, key: added.key }, include: { history: { orderBy: { at: 'asc' } } } });
  expect(row.history.map((e) => e.status)).toEqual(['OUTSTANDING', 'ORDERED', 'RECEIVED']);
  await h.executeUpdate(msg.withdrawUpdate, { args: [{ actor: cm, reason: 'test cleanup' }] });
  await h.result();
  await world.recordHistory(caseId, 'carrier-added-requirement');
});

test('a decline closes the case, cancels what is open and tells the broker', async () => {
  const { caseId, h } = await inUnderwriting();
  await world.skip('25 days');
  await h.executeUpdate(msg.carrierDecisionUpdate, { args: [{ actor: 'uw:summit', decision: 'DECLINED', reason: 'Build and blood pressure outside guidelines' }] });
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
  let s = await h.executeUpdate(msg.carrierDecisionUpdate, {
    args: [{ actor: 'uw:summit', decision: 'APPROVED_OTHER_THAN_APPLIED', riskClass: 'Standard Non-Tobacco', rating: 'Table 2' }],
  });
  await world.skip('1 hour');
  expect((await world.state(caseId)).stage).toBe('OFFER_PENDING');
  const offer = await world.db.emailMessage.findFirstOrThrow({ where: { caseId, template: 'decision' } });
  expect(offer.text).toContain('Table 2');
  await world.skip('7 days');
  await h.executeUpdate(msg.offerResponseUpdate, { args: [{ actor: 'broker:daniel', accepted: true }] });
  await world.skip('1 hour');
  s = await h.executeUpdate(msg.carrierDecisionUpdate, { args: [{ actor: 'uw:summit', decision: 'ISSUED', policyNumber: 'SM-7700123' }] });
  await world.skip('1 hour');
  s = await world.state(caseId);
  for (const r of s.requirements.filter((x) => x.phase === 'DELIVERY')) {
    await h.executeUpdate(msg.receiveRequirementUpdate, { args: [{ actor: cm, key: r.key }] });
  }
  expect((await h.result()).outcome).toBe('PLACED');
  await world.recordHistory(caseId, 'counter-offer-placed');
});

test('a withdrawal mid-flight closes the case and later actions are refused', async () => {
  const app = exampleApplication('summit-wl-clean');
  const { caseId, h } = await started(app);
  await world.skip('3 days');
  await h.executeUpdate(msg.withdrawUpdate, { args: [{ actor: 'broker:daniel', reason: 'Client bought coverage elsewhere' }] });
  expect(await h.result()).toEqual({ outcome: 'WITHDRAWN', reason: 'Client bought coverage elsewhere' });
  await world.recordHistory(caseId, 'withdrawn-vendor-orders-cancelled');
  // The vendors are told to stop work on the orders the closed case no longer needs.
  const cancellations = world.smtp.messages.filter((m) => m.idempotencyKey.startsWith(`${caseId}:vendor-cancellation:`));
  expect(cancellations.map((m) => m.to).sort()).toEqual(['orders@apsnow.example', 'orders@examone.example', 'orders@examone.example', 'orders@examone.example']);
  const rows = await world.db.requirement.findMany({ where: { caseId } });
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.every((r) => ['CANCELLED', 'RECEIVED'].includes(r.status))).toBe(true);
  expect((await templatesTo(caseId, app.broker.email)).at(-1)).toBe('closure');
  await expect(h.executeUpdate(msg.noteUpdate, { args: [{ actor: cm, text: 'too late' }] })).rejects.toThrow();
});

test('an unappointed broker holds the case until contracting records the appointment', async () => {
  const app = exampleApplication('summit-wl-clean');
  const { caseId, h } = await started(app, 'GA', 'SUMMIT', false);
  let s = await world.state(caseId);
  for (const r of s.requirements.filter((x) => x.vendorCode)) await h.executeUpdate(msg.receiveRequirementUpdate, { args: [{ actor: cm, key: r.key }] });
  await world.skip('2 days');
  s = await world.state(caseId);
  expect(s.stage).toBe('LICENSING_HOLD');
  expect(s.licensing?.problems).toEqual(['No active appointment with SUMMIT']);
  const hold = world.smtp.to('contracting@bga.example').filter((m) => m.idempotencyKey.startsWith(`${caseId}:contracting-hold`));
  expect(hold.length).toBe(1);
  expect(hold[0]?.text).toContain(app.broker.npn);

  s = await h.executeUpdate(msg.recordAppointmentUpdate, { args: [{ actor: 'contracting:sam', appointedOn: await world.today() }] });
  await world.skip('1 hour');
  s = await world.state(caseId);
  expect(s.stage).toBe('UNDERWRITING');
  const appointment = await world.db.brokerAppointment.findFirstOrThrow({ where: { broker: { npn: app.broker.npn }, carrierCode: 'SUMMIT' } });
  expect(appointment.recordedBy).toBe('contracting:sam');
  await h.executeUpdate(msg.withdrawUpdate, { args: [{ actor: cm, reason: 'test cleanup' }] });
  await h.result();
  await world.recordHistory(caseId, 'licensing-hold');
});

test('an action sent while the case is being opened is checked once it is open: a bad one is refused and the case goes on', async () => {
  const app = exampleApplication('summit-wl-clean');
  await world.licensedBroker(app.broker.npn, 'GA', 'SUMMIT');
  const { caseId } = await world.submit(app);
  const h = world.handle(caseId);
  // Sent at once: the case has not finished intake, so its validator cannot judge the key yet.
  const early = h.executeUpdate(msg.receiveRequirementUpdate, { args: [{ actor: cm, key: 'NOPE' }] });
  const outcome = await Promise.race([
    early.then(() => 'applied', (e: unknown) => (e instanceof WorkflowUpdateFailedError ? `refused: ${e.cause?.message}` : `failed: ${String(e)}`)),
    new Promise<string>((r) => setTimeout(() => r('no answer within 20 s'), 20_000)),
  ]);
  expect(outcome).toMatch(/^refused: key: no requirement "NOPE"/);
  await world.skip('1 hour');
  const s = await world.state(caseId);
  expect(s.stage).toBe('REQUIREMENTS');
  expect(s.requirements.length).toBeGreaterThan(0);
  await h.executeUpdate(msg.withdrawUpdate, { args: [{ actor: cm, reason: 'test cleanup' }] });
  expect((await h.result()).outcome).toBe('WITHDRAWN');
});

test('bad update input is refused by the validator, naming the field, and leaves no trace in history', async () => {
  const { caseId, h } = await started(exampleApplication('summit-wl-clean'));
  // Rejected updates never become Update events (the test server still records the workflow tasks).
  const accepted = async () => ((await h.fetchHistory()).events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
  const before = await accepted();
  const refusal = async (p: Promise<unknown>) => {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    return (err as WorkflowUpdateFailedError).cause?.message ?? '';
  };
  expect(await refusal(h.executeUpdate(msg.receiveRequirementUpdate, { args: [{ actor: cm, key: 'NOPE' }] }))).toMatch(/key: no requirement "NOPE"/);
  expect(
    await refusal(h.executeUpdate(msg.vendorStatusUpdate, { args: [{ actor: cm, key: 'PARAMED', status: 'SCHEDULED' } as never] })),
  ).toMatch(/scheduledFor: is required when the status is SCHEDULED/);
  expect(await refusal(h.executeUpdate(msg.noteUpdate, { args: [{ actor: '', text: 'x' }] }))).toMatch(/actor: must name who did this/);
  expect(await accepted()).toBe(before);
  const events = await world.db.caseEvent.count({ where: { caseId, type: 'NOTE' } });
  expect(events).toBe(0);
  await h.executeUpdate(msg.withdrawUpdate, { args: [{ actor: cm, reason: 'test cleanup' }] });
});
