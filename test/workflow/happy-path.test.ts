import { addCalendarDays } from '../../domain/business-days';
import { perform } from '../helpers/actions';
import { exampleApplication } from '../helpers/applications';
import { World } from '../helpers/world';

let world: World;
beforeAll(async () => {
  world = await World.create('time-skipping');
});
afterAll(async () => world?.close());

const actor = 'cm:jordan';

test('a clean application goes from intake to a placed policy over two months', async () => {
  const app = exampleApplication('summit-wl-clean');
  await world.licensedBroker(app.broker.npn, 'GA', 'SUMMIT');
  const { caseId } = await world.submit(app);
  const h = world.handle(caseId);

  // Age 58, $1.5M Summit WL: teleinterview + blood + urine + paramed per the published grid,
  // MIB/Rx/MVR always, one APS for the one treating physician.
  await world.skip('1 hour');
  let s = await world.state(caseId);
  expect(s.stage).toBe('REQUIREMENTS');
  const codes = s.requirements.map((r) => r.code).sort();
  expect(codes).toEqual(['BLOOD', 'MIBCHECK', 'MVRPT', 'PARAMED', 'PHYSSTMT', 'RXHIST', 'TELEINTERVIEW', 'URINE']);
  const paramed = s.requirements.find((r) => r.code === 'PARAMED')!;
  expect(paramed.status).toBe('ORDERED');
  expect(paramed.vendorCode).toBe('EXAMONE');
  expect(paramed.providerOrderNumber).toMatch(/^EXAMONE-[0-9A-F]{8}$/);
  const aps = s.requirements.find((r) => r.code === 'PHYSSTMT')!;
  expect(aps.key).toBe('PHYSSTMT:priya-natarajan');

  // The exam vendor schedules, then completes; the APS arrives three weeks later.
  await perform(h, 'vendor-status', { actor: 'vendor:EXAMONE', key: 'PARAMED', status: 'SCHEDULED', scheduledFor: addCalendarDays(await world.today(), 1) });
  await world.skip('5 days');
  for (const key of ['PARAMED', 'BLOOD', 'URINE']) {
    s = await perform(h, 'vendor-status', { actor: 'vendor:EXAMONE', key, status: 'COMPLETED' });
  }
  expect(s.stage).toBe('REQUIREMENTS');
  await world.skip('21 days');
  s = await perform(h, 'receive-requirement', { actor, key: aps.key, note: '42 pages' });
  await world.skip('1 hour');
  s = await world.state(caseId);
  expect(s.stage).toBe('UNDERWRITING');
  expect(s.submission?.transRefGuid).toMatch(/[0-9a-f-]{36}/);

  await world.skip('30 days');
  s = await perform(h, 'decision', { actor: 'carrier:SUMMIT', decision: 'APPROVED_AS_APPLIED', riskClass: 'Preferred Non-Tobacco' });
  await world.skip('1 hour');
  s = await perform(h, 'decision', { actor: 'carrier:SUMMIT', decision: 'ISSUED', policyNumber: 'SM-5531029' });
  await world.skip('1 hour');
  s = await world.state(caseId);
  expect(s.stage).toBe('PLACEMENT');
  const delivery = s.requirements.filter((r) => r.phase === 'DELIVERY');
  expect(delivery.map((r) => r.code).sort()).toEqual(['AMENDMENT', 'FIRSTPREMIUM', 'POLDELRECEIPT']);

  await world.skip('6 days');
  for (const r of delivery) await perform(h, 'receive-requirement', { actor, key: r.key });
  const result = await h.result();
  expect(result).toEqual({ outcome: 'PLACED', reason: 'policy SM-5531029 placed in force' });
  await world.recordHistory(caseId, 'happy-path-placed');

  // The record in PostgreSQL agrees with the workflow.
  const row = await world.db.case.findUniqueOrThrow({ where: { id: caseId }, include: { requirements: true, events: true, stageVisits: true } });
  expect(row.stage).toBe('CLOSED');
  expect(row.outcome).toBe('PLACED');
  expect(row.requirements.find((r) => r.code === 'PARAMED')?.status).toBe('RECEIVED');
  expect(row.stageVisits.map((v) => v.stage)).toEqual(
    expect.arrayContaining(['COMPLETENESS_REVIEW', 'REQUIREMENTS', 'UNDERWRITING', 'APPROVED', 'PLACEMENT', 'CLOSED']),
  );
  const seqs = row.events.map((e) => e.seq).sort((a, b) => a - b);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  const elapsedDays = (row.closedAt!.getTime() - row.receivedAt.getTime()) / 86_400_000;
  expect(elapsedDays).toBeGreaterThan(60);

  // Emails: each went once; the carrier got the ACORD 103 as an attachment.
  const mails = world.smtp.messages.filter((m) => m.subject.includes(app.applicationNumber) || m.text.includes(caseId));
  const keys = mails.map((m) => m.idempotencyKey);
  expect(new Set(keys).size).toBe(keys.length);
  const carrierMail = world.smtp.to('newbusiness@summitmutual.example').find((m) => m.idempotencyKey.startsWith(`${caseId}:submission:`));
  expect(carrierMail?.attachments[0]?.content).toContain('<TransType tc="103">');
  expect(world.smtp.to('orders@examone.example').length).toBeGreaterThanOrEqual(3);
  expect(world.smtp.to('orders@apsnow.example').length).toBeGreaterThanOrEqual(1);
  const brokerTemplates = (await world.db.emailMessage.findMany({ where: { caseId, to: app.broker.email } })).map((e) => e.template);
  expect(brokerTemplates).toEqual(expect.arrayContaining(['acknowledgement', 'exam-instructions', 'decision', 'placement']));
  const stored = await world.db.emailMessage.findMany({ where: { caseId } });
  expect(stored.every((e) => e.status === 'SENT')).toBe(true);
});
