import { AlreadySubmittedError, InvalidApplicationError } from '../../client/cases';
import { perform } from '../helpers/actions';
import { recheckHeldCases } from '../../client/operations';
import { caseIdFor } from '../../domain/application';
import { exampleApplication } from '../helpers/applications';
import { eventually } from '../helpers/eventually';
import { World } from '../helpers/world';

let world: World;
beforeAll(async () => {
  world = await World.create('dev-server');
});
afterAll(async () => world?.close());

test('a submitted case is recorded in PostgreSQL, emails go out over SMTP, and managers can find it by search attributes', async () => {
  const app = exampleApplication('summit-wl-clean');
  await world.licensedBroker(app.broker.npn, 'GA', 'SUMMIT');
  const { caseId } = await world.submit(app);
  expect(caseId).toBe(caseIdFor('SUMMIT', app.applicationNumber));
  expect(caseId).not.toMatch(/okafor|margaret|412/i);

  const row = await eventually(async () => {
    const r = await world.db.case.findUniqueOrThrow({ where: { id: caseId }, include: { requirements: true, parties: true, events: true } });
    expect(r.stage).toBe('REQUIREMENTS');
    expect(r.requirements.filter((q) => q.vendorCode).every((q) => q.status === 'ORDERED')).toBe(true);
    return r;
  });
  expect(row.parties.map((p) => [p.role, p.fullName])).toEqual([['INSURED', 'Margaret A. Okafor']]);
  expect(Number(row.faceAmount)).toBe(1_500_000);
  expect(row.requirements).toHaveLength(8);
  expect(row.events.map((e) => e.type)).toEqual(expect.arrayContaining(['RECEIVED', 'STAGE_ENTERED', 'IN_GOOD_ORDER', 'REQUIREMENT_STATUS', 'EMAIL_SENT']));

  // Vendor orders went to the vendors over SMTP, with the order number the record holds.
  const paramed = row.requirements.find((r) => r.code === 'PARAMED')!;
  const order = await eventually(async () => {
    const m = world.smtp.to('orders@examone.example').find((x) => x.idempotencyKey === `${caseId}:order:PARAMED`);
    expect(m).toBeDefined();
    return m!;
  });
  expect(order.subject).toContain(paramed.providerOrderNumber!);
  expect(order.text).toContain('404-555-0187');
  expect(order.text).not.toContain('412-55-7831');
  const ack = world.smtp.to(app.broker.email).find((m) => m.idempotencyKey === `${caseId}:acknowledgement`);
  expect(ack?.html).toContain('Margaret A. Okafor');
  const stored = await world.db.emailMessage.findMany({ where: { caseId } });
  expect(stored.length).toBeGreaterThanOrEqual(world.smtp.messages.filter((m) => m.idempotencyKey.startsWith(caseId)).length);

  // The Web UI filter "cases with an APS open since before <date> at carrier X" finds it.
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
  const lastMonth = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const find = async (query: string) => {
    const ids: string[] = [];
    for await (const wf of world.client.workflow.list({ query })) ids.push(wf.workflowId);
    return ids;
  };
  await eventually(async () => {
    expect(await find(`BgaCarrier = 'SUMMIT' AND BgaOutstandingCodes = 'PHYSSTMT' AND BgaOldestApsOrderedAt < '${tomorrow}'`)).toContain(caseId);
  });
  expect(await find(`BgaCarrier = 'SUMMIT' AND BgaOldestApsOrderedAt < '${lastMonth}'`)).not.toContain(caseId);
  const description = await world.handle(caseId).describe();
  expect(await description.staticSummary()).toContain('SUMMIT WL');
  expect(description.typedSearchAttributes.get({ name: 'BgaStage', type: 'KEYWORD' } as never)).toBe('REQUIREMENTS');

  // The event list reads like the case's story: activities carry summaries.
  const history = await world.handle(caseId).fetchHistory();
  const summaries = (history.events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.userMetadata?.summary] : [])).filter(Boolean);
  expect(summaries.length).toBeGreaterThan(5);

  await perform(world.handle(caseId), 'withdraw', { actor: 'cm:jordan', reason: 'integration test done' });
  await world.handle(caseId).result();
  await eventually(async () => {
    const closed = await world.db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect([closed.stage, closed.outcome]).toEqual(['CLOSED', 'WITHDRAWN']);
  });
});

test('the same application submitted twice starts one pipeline and says so', async () => {
  const app = exampleApplication('summit-wl-clean');
  const first = await world.submit(app);
  const again = await world.submit(app).catch((e: unknown) => e);
  expect(again).toBeInstanceOf(AlreadySubmittedError);
  expect((again as Error).message).toContain(first.caseId);
  await perform(world.handle(first.caseId), 'withdraw', { actor: 'cm:jordan', reason: 'duplicate test' });
});

test('an invalid application is refused field by field before anything starts', async () => {
  const app = exampleApplication('summit-wl-clean', (a) => {
    a.product.faceAmount = 50_000;
    (a.insured as { ssn: string }).ssn = '000-12-3456';
    a.insured.firstName = '';
  });
  const err = await world.submit(app).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidApplicationError);
  const fields = (err as InvalidApplicationError).errors.map((e) => e.field);
  expect(fields).toEqual(expect.arrayContaining(['insured.ssn', 'insured.firstName']));
  const caseId = caseIdFor('SUMMIT', app.applicationNumber);
  await expect(world.handle(caseId).describe()).rejects.toThrow();
  expect(await world.db.case.count({ where: { id: caseId } })).toBe(0);
  expect(world.smtp.messages.some((m) => m.idempotencyKey.startsWith(caseId))).toBe(false);
});

test('contracting records an appointment outside the case, and the held case is released at once', async () => {
  const app = exampleApplication('summit-wl-clean', (a) => (a.broker.npn = '99887766'));
  await world.licensedBroker(app.broker.npn, 'GA', 'SUMMIT', { appointed: false });
  const { caseId } = await world.submit(app);
  const h = world.handle(caseId);
  const s = await eventually(async () => {
    const st = await world.state(caseId);
    const vendorItems = st.requirements.filter((r) => r.vendorCode);
    expect(vendorItems.length).toBeGreaterThan(0);
    expect(vendorItems.every((r) => r.status === 'ORDERED')).toBe(true);
    return st;
  });
  for (const r of s.requirements.filter((x) => x.vendorCode)) await perform(h, 'receive-requirement', { actor: 'cm:jordan', key: r.key });
  await eventually(async () => expect((await world.state(caseId)).stage).toBe('LICENSING_HOLD'));

  const broker = await world.db.broker.findUniqueOrThrow({ where: { npn: app.broker.npn } });
  await world.db.brokerAppointment.create({ data: { brokerId: broker.id, carrierCode: 'SUMMIT', appointedOn: new Date('2026-11-24'), recordedBy: 'contracting:sam' } });
  const released = await eventually(async () => {
    const ids = await recheckHeldCases(world.client, app.broker.npn, 'contracting:sam', 'SUMMIT');
    expect(ids).toEqual([caseId]);
    return ids;
  });
  expect(released).toEqual([caseId]);
  await eventually(async () => expect((await world.state(caseId)).stage).toBe('UNDERWRITING'));
  await perform(h, 'withdraw', { actor: 'cm:jordan', reason: 'test done' });
});
