import { actOnContracting, contractingView, startContracting } from '../../client/contracting';
import { addCalendarDays } from '../../domain/business-days';
import { contractingWorkflowId } from '../../workflows/contracting-messages';
import { eventually } from '../helpers/eventually';
import { World } from '../helpers/world';

/*
 * On the dev server (the time-skipping server does not hand a stopped worker's cached workflows
 * to the next one): the worker stops after the appointment request has reached the carrier's
 * desk but before the activity reports back. The next worker retries it, and the carrier, the
 * broker and the database each see every fact once, counted by content.
 */

const NPN = '17654321';
const staff = 'contracting:lee';
let world: World;
let stall: { reached: Promise<void>; crash: () => void };

beforeEach(async () => {
  let reachedResolve!: () => void;
  let crashReject!: (err: Error) => void;
  const reached = new Promise<void>((resolve) => (reachedResolve = resolve));
  const crashed = new Promise<never>((_, reject) => (crashReject = reject));
  crashed.catch(() => undefined);
  let calls = 0;
  stall = { reached, crash: () => crashReject(new Error('worker process stopped')) };
  world = await World.create('dev-server', {
    wrapActivities: (a) => ({
      ...a,
      async requestCarrierAppointment(input) {
        // The first attempt delivers, then dies before it can say so.
        await a.requestCarrierAppointment(input);
        calls += 1;
        if (calls > 1) return;
        reachedResolve();
        return crashed;
      },
    }),
  });
});
afterEach(async () => world?.close());

test('a worker restart while the appointment request is in flight: one request reaches the carrier, every email and trail entry once', async () => {
  await world.licensedBroker(NPN, 'GA', 'SUMMIT', { appointed: false });
  await startContracting(world.client, world.taskQueue, world.db, { npn: NPN, carrier: 'SUMMIT', actor: staff, residentState: 'GA' });
  const today = new Date().toISOString().slice(0, 10);
  const act = (action: Parameters<typeof actOnContracting>[3], input: Record<string, unknown>) => actOnContracting(world.client, NPN, 'SUMMIT', action, { actor: staff, ...input });
  await act('receive-item', { item: 'CARRIER_CONTRACT' });
  await act('receive-item', { item: 'W9' });
  await act('receive-item', { item: 'EO_CERTIFICATE', carrier: 'Acme Professional', limit: 1_000_000, expiresOn: addCalendarDays(today, 300) });
  await act('receive-item', { item: 'AML_TRAINING', completedOn: addCalendarDays(today, -30) });
  await act('receive-item', { item: 'RESIDENT_LICENSE', state: 'GA', licenseNumber: `LIC-${NPN}`, expiresOn: addCalendarDays(today, 700) });

  await stall.reached;
  const restart = world.restartWorker();
  stall.crash();
  await restart;

  // The retry on the new worker finds the email already sent and reports the request done.
  await eventually(async () => {
    const v = await contractingView(world.client, NPN, 'SUMMIT');
    expect(v?.state.events.map((e) => e.type)).toContain('APPOINTMENT_REQUEST_SENT');
  }, 90_000);
  await act('carrier-appointed', { appointedOn: today });
  const result = await world.client.workflow.getHandle(contractingWorkflowId(NPN, 'SUMMIT')).result();
  expect(result.stage).toBe('APPOINTED');

  // The fault hit work in flight: the request's activity completed on a later attempt, on the new worker.
  const history = await world.client.workflow.getHandle(contractingWorkflowId(NPN, 'SUMMIT')).fetchHistory();
  const events = history.events ?? [];
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'requestCarrierAppointment');
  const started = events.find((e) => String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(scheduled?.eventId));
  expect(started?.activityTaskStartedEventAttributes?.attempt).toBeGreaterThanOrEqual(2);
  const toCarrier = world.smtp.messages.filter((m) => m.to === 'appointments@summitmutual.example');
  expect(toCarrier).toHaveLength(1);
  const byContent = world.smtp.messages.map((m) => `${m.to}|${m.subject}`);
  expect(new Set(byContent).size).toBe(byContent.length);
  const row = await world.db.contractingRequest.findFirstOrThrow({ include: { events: { orderBy: { seq: 'asc' } } } });
  expect(row.stage).toBe('APPOINTED');
  expect(row.events.map((e) => e.seq)).toEqual(row.events.map((_, i) => i + 1));
  expect(row.events.filter((e) => e.type === 'APPOINTMENT_REQUEST_SENT')).toHaveLength(1);
  expect(row.events.filter((e) => e.type === 'APPOINTED')).toHaveLength(1);
  expect(await world.db.brokerAppointment.count({ where: { broker: { npn: NPN }, carrierCode: 'SUMMIT', active: true } })).toBe(1);
});
