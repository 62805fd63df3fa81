import type { licenseExpiryWatchWorkflow } from '../../workflows/license-expiry';
import { World } from '../helpers/world';
import { DAY_MS, seedBroker } from './seed';

/*
 * The daily watch's E&O certificates and appointments, against the dev server, PostgreSQL and
 * SMTP. Each run names its own day (asOf), and every expiry is set from it.
 */

let world: World;
const AS_OF = '2031-03-10';
const plusDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const BROKERS = {
  eoSoon: { npn: '17200001', name: 'Avery Cover', email: 'avery@cover.example' },
  eoLapsed: { npn: '17200002', name: 'Blake Uncovered', email: 'blake@uncovered.example' },
  appointment: { npn: '17200003', name: 'Casey Appointed', email: 'casey@appointed.example' },
};
const ids: Record<string, string> = {};

let lastRun = '';
const watch = (asOf: string) => {
  lastRun = `cover-watch-test-${asOf}-${Math.random().toString(36).slice(2, 8)}`;
  return world.client.workflow.execute<typeof licenseExpiryWatchWorkflow>('licenseExpiryWatchWorkflow', { taskQueue: world.taskQueue, workflowId: lastRun, args: [{ asOf }] });
};

const received = () =>
  world.smtp.messages
    .filter((m) => m.idempotencyKey.startsWith('cover-expiry:'))
    .map((m) => ({ to: m.to, cc: m.parsed.cc && !Array.isArray(m.parsed.cc) ? m.parsed.cc.text : '', subject: m.subject }));

beforeAll(async () => {
  world = await World.create('dev-server');
  for (const [k, b] of Object.entries(BROKERS)) ids[k] = await seedBroker(world.db, b);
  await world.db.brokerEoCertificate.create({ data: { brokerId: ids.eoSoon!, insurer: 'Acme Professional', limitDollars: 1_000_000, expiresOn: day(plusDays(AS_OF, 12)) } });
  await world.db.brokerEoCertificate.create({ data: { brokerId: ids.eoLapsed!, insurer: 'Harbor Liability', limitDollars: 2_000_000, expiresOn: day(plusDays(AS_OF, -3)) } });
  await world.db.brokerAppointment.create({
    data: { brokerId: ids.appointment!, carrierCode: 'SUMMIT', appointedOn: day(plusDays(AS_OF, -700)), expiresOn: day(plusDays(AS_OF, -1)), recordedBy: 'test seed' },
  });
  // Renewed well ahead: not listed.
  await world.db.brokerAppointment.create({
    data: { brokerId: ids.appointment!, carrierCode: 'HARBOR', appointedOn: day(plusDays(AS_OF, -30)), expiresOn: day(plusDays(AS_OF, 300)), recordedBy: 'test seed' },
  });
});
afterAll(async () => world?.close());

test('E&O certificates and appointments due within 30 days are warned of, lapsed ones marked, each notice once', async () => {
  const first = await watch(AS_OF);
  expect(first.cover).toEqual([
    { kind: 'EO', npn: BROKERS.eoLapsed.npn, expiresOn: plusDays(AS_OF, -3), status: 'SENT', lapsed: true },
    { kind: 'EO', npn: BROKERS.eoSoon.npn, expiresOn: plusDays(AS_OF, 12), status: 'SENT', lapsed: false },
    { kind: 'APPOINTMENT', npn: BROKERS.appointment.npn, carrierCode: 'SUMMIT', expiresOn: plusDays(AS_OF, -1), status: 'SENT', lapsed: true },
  ]);
  await world.recordHistory(lastRun, 'watch-cover-expiry');
  const mails = received();
  expect(mails.map((m) => [m.to, m.cc]).sort()).toEqual(
    [
      [BROKERS.eoLapsed.email, 'contracting@bga.example'],
      [BROKERS.eoSoon.email, 'contracting@bga.example'],
      [BROKERS.appointment.email, 'contracting@bga.example'],
    ].sort(),
  );
  expect(mails.find((m) => m.to === BROKERS.eoSoon.email)?.subject).toMatch(/^E&O cover expiring: Avery Cover's E&O certificate from Acme Professional \(\$1,000,000 limit\) expires on /);
  expect(mails.find((m) => m.to === BROKERS.appointment.email)?.subject).toMatch(/^Appointment lapsed: Casey Appointed's appointment with Summit Mutual Life expired on /);

  expect((await world.db.brokerEoCertificate.findUniqueOrThrow({ where: { brokerId: ids.eoLapsed! } })).lapsed).toBe(true);
  expect((await world.db.brokerEoCertificate.findUniqueOrThrow({ where: { brokerId: ids.eoSoon! } })).lapsed).toBe(false);
  const appointments = await world.db.brokerAppointment.findMany({ where: { brokerId: ids.appointment! }, orderBy: { carrierCode: 'asc' } });
  expect(appointments.map((a) => [a.carrierCode, a.active])).toEqual([
    ['HARBOR', true],
    ['SUMMIT', false],
  ]);

  // Again the same day: the warning is not repeated, and what lapsed is no longer listed.
  expect((await watch(AS_OF)).cover).toEqual([{ kind: 'EO', npn: BROKERS.eoSoon.npn, expiresOn: plusDays(AS_OF, 12), status: 'ALREADY_SENT', lapsed: false }]);
  expect(received()).toHaveLength(3);
});
