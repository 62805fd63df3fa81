import crypto from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { actOnContracting, contractingView, startContracting } from '../../client/contracting';
import { ActionRefusedError } from '../../client/operations';
import { addBusinessDays, addCalendarDays } from '../../domain/business-days';
import type { ContractingView } from '../../workflows/contracting-messages';
import { contractingWorkflowId } from '../../workflows/contracting-messages';
import { perform } from '../helpers/actions';
import { exampleApplication } from '../helpers/applications';
import { rulesHolidays } from '../helpers/calendar';
import { signedPdf } from '../helpers/document-files';
import { eventually } from '../helpers/eventually';
import { World } from '../helpers/world';

/*
 * Contracting lives on the time-skipping server: started by a case at intake, shared by the
 * broker's cases, followed up on the carrier's business-day cadence, and ended by the carrier.
 * Each test starts on the suite's fixed point of the business week; dates are computed from it.
 */

let world: World;
beforeEach(async () => {
  world = await World.create('time-skipping');
});
afterEach(async () => world?.close());

const cm = 'cm:jordan';
const staff = 'contracting:lee';
const NPN = '17654321';
const CONTRACTING = contractingWorkflowId(NPN, 'SUMMIT');

/** The broker holds the GA licence the records lookup finds, but no Summit appointment. */
async function unappointedCase(overrides: Parameters<typeof exampleApplication>[1] = () => {}) {
  await world.licensedBroker(NPN, 'GA', 'SUMMIT', { appointed: false });
  const { caseId } = await world.submit(exampleApplication('summit-wl-clean', overrides));
  world.track(CONTRACTING);
  await world.skip('1 hour');
  return { caseId, h: world.handle(caseId) };
}

const view = async (): Promise<ContractingView> => (await contractingView(world.client, NPN, 'SUMMIT'))!;
const act = (action: Parameters<typeof actOnContracting>[3], input: Record<string, unknown>) => actOnContracting(world.client, NPN, 'SUMMIT', action, { actor: staff, ...input });

/** The whole Summit packet, with dates that stay good from the day it is sent. */
async function sendPacket(): Promise<ContractingView> {
  const today = await world.today();
  // The signed agreement comes as a file, kept in the store as the CLI keeps it.
  const sha256 = crypto.createHash('sha256').update(signedPdf).digest('hex');
  await world.documents.put(sha256, signedPdf);
  const file = { sha256, fileName: 'summit-agreement-signed.pdf', contentType: 'application/pdf', size: signedPdf.length };
  await act('receive-item', { item: 'CARRIER_CONTRACT', file });
  await act('receive-item', { item: 'W9' });
  await act('receive-item', { item: 'EO_CERTIFICATE', carrier: 'Acme Professional', limit: 1_000_000, expiresOn: addCalendarDays(today, 300) });
  await act('receive-item', { item: 'AML_TRAINING', completedOn: addCalendarDays(today, -30) });
  return act('receive-item', { item: 'RESIDENT_LICENSE', state: 'GA', licenseNumber: `LIC-${NPN}`, expiresOn: addCalendarDays(today, 700) });
}

const mailKeyed = (prefix: string) => world.smtp.messages.filter((m) => m.idempotencyKey.startsWith(prefix));

test('a case for an unappointed broker starts contracting at intake; the packet comes late, reminded on the cadence; the appointment releases the case the same day', async () => {
  const { caseId, h } = await unappointedCase();
  const opened = await world.today();
  let s = await world.state(caseId);
  expect(s.contractingId).toBe(CONTRACTING);
  expect(s.stage).toBe('REQUIREMENTS');
  let v = await view();
  expect(v.state.stage).toBe('COLLECTING_PACKET');
  expect(v.state.cases.map((c) => c.caseId)).toEqual([caseId]);
  expect(v.waitingOn).toBe('BROKER');
  expect(v.missing.map((m) => m.item)).toEqual(['CARRIER_CONTRACT', 'W9', 'EO_CERTIFICATE', 'AML_TRAINING', 'RESIDENT_LICENSE']);
  const packet = mailKeyed(`contracting:${NPN}:SUMMIT:packet`);
  expect(packet.map((m) => m.to)).toEqual(['daniel.reyes@reyesfinancial.example']);
  expect(packet[0]!.text).toContain(caseId);

  // The exams and the APS come in meanwhile: the case reaches the gate and is held.
  for (const r of s.requirements.filter((x) => x.vendorCode)) await perform(h, 'receive-requirement', { actor: cm, key: r.key });
  await world.skip('1 hour');
  expect((await world.state(caseId)).stage).toBe('LICENSING_HOLD');

  // No packet: a reminder per item on the carrier's third business day, at 14:00 UTC.
  const firstReminder = addBusinessDays(opened, 3, rulesHolidays());
  await world.skip(Date.parse(`${firstReminder}T15:00:00Z`) - (await world.env.currentTimeMs()));
  const reminders = mailKeyed(`contracting:${NPN}:SUMMIT:reminder:`);
  expect(reminders.length).toBe(5);
  const reminded = (await view()).state.events.filter((e) => e.type === 'REMINDER_SENT');
  expect(new Set(reminded.map((e) => e.at.slice(0, 10)))).toEqual(new Set([firstReminder]));
  expect(reminders.every((m) => m.to === 'daniel.reyes@reyesfinancial.example')).toBe(true);

  v = await sendPacket();
  // The licence check runs on the recorded GA licence, then the request goes to Summit's appointments desk.
  await world.skip('1 hour');
  v = await view();
  expect(v.state.stage).toBe('AT_CARRIER');
  expect(v.waitingOn).toBe('CARRIER');
  const request = mailKeyed(`contracting:${NPN}:SUMMIT:appointment-request#1`);
  expect(request.map((m) => m.to)).toEqual(['appointments@summitmutual.example']);
  expect(request[0]!.text).toContain('Acme Professional');
  expect(request[0]!.attachments.map((a) => a.filename)).toEqual(['summit-agreement-signed.pdf']);

  const appointedOn = await world.today();
  await act('carrier-appointed', { appointedOn, appointmentId: 'SM-APPT-2231' });
  await world.skip('1 hour');
  s = await world.state(caseId);
  expect(s.stage).toBe('UNDERWRITING');
  const submission = mailKeyed(`${caseId}:submission:`);
  expect(submission.length).toBe(1);
  const trail = s.recentEvents.map((e) => [e.type, e.at.slice(0, 10)]);
  expect(trail).toContainEqual(['CONTRACTING_APPOINTED', appointedOn]);
  expect(trail).toContainEqual(['SUBMITTED', appointedOn]);
  const appointment = await world.db.brokerAppointment.findFirstOrThrow({ where: { broker: { npn: NPN }, carrierCode: 'SUMMIT' } });
  expect(appointment.appointedOn.toISOString().slice(0, 10)).toBe(appointedOn);

  // The request has ended, and PostgreSQL holds it with its whole trail.
  const result = await world.client.workflow.getHandle(CONTRACTING).result();
  expect(result.stage).toBe('APPOINTED');
  const row = await world.db.contractingRequest.findFirstOrThrow({ where: { workflowId: CONTRACTING }, include: { events: true } });
  expect(row.stage).toBe('APPOINTED');
  expect(row.appointedOn?.toISOString().slice(0, 10)).toBe(appointedOn);
  expect(row.events.map((e) => e.type)).toEqual(expect.arrayContaining(['OPENED', 'CASE_JOINED', 'REMINDER_SENT', 'LICENSE_VERIFIED', 'APPOINTMENT_REQUESTED', 'APPOINTED', 'CASES_RELEASED']));
  expect(new Set(row.events.map((e) => e.seq)).size).toBe(row.events.length);
  const eo = await world.db.brokerEoCertificate.findFirstOrThrow({ where: { broker: { npn: NPN } } });
  expect(eo.limitDollars).toBe(1_000_000);
  // Every email once, by content: one per template, recipient and subject.
  const sent = world.smtp.messages.map((m) => `${m.to}|${m.subject}`);
  expect(new Set(sent).size).toBe(sent.length);
  await world.recordHistory(CONTRACTING, 'contracting-appointed');
  await perform(h, 'withdraw', { actor: cm, reason: 'test cleanup' });
  await h.result();
});

test('two cases for one broker and carrier share one contracting request', async () => {
  const first = await unappointedCase();
  const second = await unappointedCase((app) => {
    app.stateOfSigning = 'GA';
  });
  const v = await view();
  expect(v.state.cases.map((c) => c.caseId).sort()).toEqual([first.caseId, second.caseId].sort());
  expect((await world.state(second.caseId)).recentEvents.map((e) => e.type)).toContain('CONTRACTING_JOINED');
  expect(await world.db.contractingRequest.count()).toBe(1);
  // One packet email for the pair, not one per case.
  expect(mailKeyed(`contracting:${NPN}:SUMMIT:packet`).length).toBe(1);
  for (const c of [first, second]) {
    await perform(c.h, 'withdraw', { actor: cm, reason: 'test cleanup' });
    await c.h.result();
  }
});

test('a declined appointment tells the broker and contracting why, and the held case stays held', async () => {
  const { caseId, h } = await unappointedCase();
  await sendPacket();
  await world.skip('1 hour');
  expect((await view()).state.stage).toBe('AT_CARRIER');
  await act('carrier-declined', { reason: 'Producer has an open complaint with the GA department of insurance' });
  const result = await world.client.workflow.getHandle(CONTRACTING).result();
  expect(result).toEqual({ stage: 'DECLINED', reason: 'Producer has an open complaint with the GA department of insurance' });
  const notice = await eventually(async () => {
    const m = mailKeyed(`contracting:${NPN}:SUMMIT:declined`);
    expect(m.length).toBe(1);
    return m[0]!;
  });
  expect(notice.to).toBe('daniel.reyes@reyesfinancial.example');
  expect(String(notice.parsed.cc && 'text' in notice.parsed.cc ? notice.parsed.cc.text : '')).toContain('contracting@bga.example');
  expect(notice.text).toContain('open complaint');
  await world.skip('1 hour');
  const s = await world.state(caseId);
  expect(s.recentEvents.map((e) => e.type)).toContain('CONTRACTING_DECLINED');
  expect(s.stage).toBe('REQUIREMENTS');
  await perform(h, 'withdraw', { actor: cm, reason: 'test cleanup' });
  await h.result();
});

test('bad contracting input is refused with the field named, and nothing is written', async () => {
  const refusal = async (p: Promise<unknown>) => {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ActionRefusedError);
    return (err as ActionRefusedError).problems;
  };
  expect(await refusal(startContracting(world.client, world.taskQueue, world.db, { npn: '99999999', carrier: 'SUMMIT', actor: staff, residentState: 'GA' }))).toEqual([
    { field: 'npn', message: expect.stringContaining('no broker with NPN 99999999') },
  ]);
  await world.licensedBroker(NPN, 'GA', 'SUMMIT', { appointed: false });
  expect(await refusal(startContracting(world.client, world.taskQueue, world.db, { npn: NPN, carrier: 'ACME', actor: staff, residentState: 'GA' }))).toEqual([
    { field: 'carrier', message: expect.stringContaining('ACME is not in the carrier rules') },
  ]);
  expect(await refusal(startContracting(world.client, world.taskQueue, world.db, { npn: NPN, carrier: 'SUMMIT', actor: staff, residentState: 'Georgia' }))).toEqual([
    { field: 'residentState', message: expect.stringContaining('give its two-letter code, GA') },
  ]);
  expect(await world.db.contractingRequest.count()).toBe(0);
  await expect(world.client.workflow.getHandle(CONTRACTING).describe()).rejects.toThrow(WorkflowNotFoundError);

  const started = await startContracting(world.client, world.taskQueue, world.db, { npn: NPN, carrier: 'summit', actor: staff, residentState: 'GA' });
  world.track(CONTRACTING);
  expect(started.state.stage).toBe('COLLECTING_PACKET');
  // The packet email has gone and its note is in the trail, so nothing else moves the request.
  await world.skip('1 minute');
  const before = JSON.stringify((await view()).state);
  const today = await world.today();
  expect(await refusal(act('receive-item', { item: 'EO_CERTIFICATE', carrier: 'Acme', limit: 1_000_000, expiresOn: addCalendarDays(today, -1) }))).toEqual([
    { field: 'expiresOn', message: expect.stringContaining('expired on') },
  ]);
  expect(await refusal(act('receive-item', { item: 'RESIDENT_LICENSE', state: 'ZZ', licenseNumber: 'X1', expiresOn: addCalendarDays(today, 100) }))).toEqual([
    { field: 'state', message: expect.stringContaining('not a US state code') },
  ]);
  expect(JSON.stringify((await view()).state)).toBe(before);
  // A second start joins the running request.
  const again = await startContracting(world.client, world.taskQueue, world.db, { npn: NPN, carrier: 'SUMMIT', actor: staff });
  expect(again.id).toBe(started.id);
  await act('cancel', { reason: 'test cleanup' });
  await world.client.workflow.getHandle(CONTRACTING).result();
});

/** A broker licensed in GA and appointed with Summit: the case needs no contracting at intake. */
async function appointedCase() {
  await world.licensedBroker(NPN, 'GA', 'SUMMIT');
  const { caseId } = await world.submit(exampleApplication('summit-wl-clean'));
  await world.skip('1 hour');
  const h = world.handle(caseId);
  await expect(world.client.workflow.getHandle(CONTRACTING).describe()).rejects.toThrow(WorkflowNotFoundError);
  return { caseId, h };
}

async function examsIn(caseId: string, h: ReturnType<World['handle']>) {
  const s = await world.state(caseId);
  for (const r of s.requirements.filter((x) => x.vendorCode)) await perform(h, 'receive-requirement', { actor: cm, key: r.key });
  await world.skip('1 hour');
  return world.state(caseId);
}

test('a licence that lapses while a case is open is marked by the daily watch, and the case is held at the gate with the reason', async () => {
  const { caseId, h } = await appointedCase();
  const today = await world.today();
  const broker = await world.db.broker.findUniqueOrThrow({ where: { npn: NPN } });
  await world.db.brokerLicense.update({ where: { brokerId_state: { brokerId: broker.id, state: 'GA' } }, data: { expiresOn: new Date(`${addCalendarDays(today, 2)}T00:00:00Z`) } });
  await world.skip('3 days');
  const asOf = await world.today();
  const watched = await world.client.workflow.execute('licenseExpiryWatchWorkflow', { taskQueue: world.taskQueue, workflowId: `watch-${asOf}`, args: [{ asOf }] });
  expect(watched.notices).toEqual([{ npn: NPN, state: 'GA', expiresOn: addCalendarDays(today, 2), status: 'SENT', lapsed: true }]);
  expect((await world.db.brokerLicense.findFirstOrThrow({ where: { brokerId: broker.id, state: 'GA' } })).active).toBe(false);
  const s = await examsIn(caseId, h);
  expect(s.stage).toBe('LICENSING_HOLD');
  // Checked at the gate on the day the exams came in (the server may have skipped to a follow-up by then).
  expect(s.licensing?.problems).toEqual([expect.stringMatching(new RegExp(`^GA license LIC-${NPN} is not active on \\d{4}-\\d{2}-\\d{2}$`))]);
  expect(s.licensing!.checkedAt.slice(0, 10) >= asOf).toBe(true);
  await perform(h, 'withdraw', { actor: cm, reason: 'test cleanup' });
  await h.result();
});

test('a case for a broker whose E&O has lapsed is held with the reason, asks no appointment, and goes on once a current certificate is recorded', async () => {
  await world.licensedBroker(NPN, 'GA', 'SUMMIT');
  const broker = await world.db.broker.findUniqueOrThrow({ where: { npn: NPN } });
  await world.db.brokerEoCertificate.create({ data: { brokerId: broker.id, insurer: 'Acme Professional', limitDollars: 1_000_000, expiresOn: new Date('2026-01-31T00:00:00Z'), lapsed: true } });
  const { caseId, h } = await appointedCase();
  let s = await examsIn(caseId, h);
  expect(s.stage).toBe('LICENSING_HOLD');
  expect(s.licensing?.problems).toEqual(['The E&O certificate from Acme Professional expired on 2026-01-31; record a current one with `bga broker eo`']);
  const hold = mailKeyed(`${caseId}:contracting-hold`);
  expect(hold.map((m) => m.to)).toEqual(['contracting@bga.example']);
  expect(hold[0]!.subject).toContain('E&O cover');
  const renewed = addCalendarDays(await world.today(), 300);
  await world.db.brokerEoCertificate.update({ where: { brokerId: broker.id }, data: { expiresOn: new Date(`${renewed}T00:00:00Z`), lapsed: false } });
  await perform(h, 'recheck-licensing', { actor: staff });
  await world.skip('1 hour');
  s = await world.state(caseId);
  expect(s.stage).toBe('UNDERWRITING');
  await perform(h, 'withdraw', { actor: cm, reason: 'test cleanup' });
  await h.result();
});
