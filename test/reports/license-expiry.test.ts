import { WorkflowFailedError } from '@temporalio/client';
import { ensureLicenseExpirySchedule, LICENSE_EXPIRY_SCHEDULE_ID } from '../../platform/schedules';
import type { licenseExpiryWatchWorkflow } from '../../workflows/license-expiry';
import { World } from '../helpers/world';
import { DAY_MS, seedBroker } from './seed';

/*
 * The daily license watch against the dev server, PostgreSQL and SMTP. Each run names its own
 * day (asOf), and every expiry is set from that day, so nothing here depends on today's date.
 */

let world: World;
const AS_OF = '2031-03-10';
const plusDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const BROKERS = {
  soon: { npn: '17100001', name: 'Avery Soon', email: 'avery@soon.example' },
  lapsed: { npn: '17100002', name: 'Blake Lapsed', email: 'blake@lapsed.example' },
  later: { npn: '17100003', name: 'Casey Later', email: 'casey@later.example' },
};

async function license(npn: keyof typeof BROKERS, state: string, expiresOn: string): Promise<void> {
  const broker = await world.db.broker.findUniqueOrThrow({ where: { npn: BROKERS[npn].npn } });
  const data = { licenseNumber: `LIC-${state}-${broker.npn}`, expiresOn: new Date(`${expiresOn}T00:00:00Z`), active: true };
  await world.db.brokerLicense.upsert({ where: { brokerId_state: { brokerId: broker.id, state } }, create: { brokerId: broker.id, state, ...data }, update: data });
}

const watch = (asOf: string) =>
  world.client.workflow.execute<typeof licenseExpiryWatchWorkflow>('licenseExpiryWatchWorkflow', {
    taskQueue: world.taskQueue,
    workflowId: `license-watch-test-${asOf}-${Math.random().toString(36).slice(2, 8)}`,
    args: [{ asOf }],
  });

/** What each recipient got, by content: who, which license, which phase. */
const received = () =>
  world.smtp.messages
    .filter((m) => m.idempotencyKey.startsWith('license-expiry:'))
    .map((m) => ({ to: m.to, cc: (m.parsed.cc && !Array.isArray(m.parsed.cc) ? m.parsed.cc.text : ''), subject: m.subject }));

beforeAll(async () => {
  world = await World.create('dev-server');
  for (const b of Object.values(BROKERS)) await seedBroker(world.db, b);
  await license('soon', 'CA', plusDays(AS_OF, 10));
  await license('lapsed', 'TX', plusDays(AS_OF, -1));
  await license('later', 'NY', plusDays(AS_OF, 45));
});
afterAll(async () => world?.close());

test('a license due within 30 days is warned of, an expired one is marked lapsed, and each notice goes once', async () => {
  const first = await watch(AS_OF);
  expect(first.notices).toEqual([
    { npn: BROKERS.lapsed.npn, state: 'TX', expiresOn: plusDays(AS_OF, -1), status: 'SENT', lapsed: true },
    { npn: BROKERS.soon.npn, state: 'CA', expiresOn: plusDays(AS_OF, 10), status: 'SENT', lapsed: false },
  ]);
  const mails = received();
  expect(mails).toHaveLength(2);
  expect(mails.map((m) => [m.to, m.cc]).sort()).toEqual([
    [BROKERS.soon.email, 'contracting@bga.example'],
    [BROKERS.lapsed.email, 'contracting@bga.example'],
  ].sort());
  expect(mails.find((m) => m.to === BROKERS.soon.email)?.subject).toMatch(/^License expiring: Avery Soon's CA life license expires on /);
  expect(mails.find((m) => m.to === BROKERS.lapsed.email)?.subject).toMatch(/^License lapsed: Blake Lapsed's TX life license expired on /);

  const lapsedRow = await world.db.brokerLicense.findFirstOrThrow({ where: { state: 'TX', broker: { npn: BROKERS.lapsed.npn } } });
  expect(lapsedRow.active).toBe(false);
  const soonRow = await world.db.brokerLicense.findFirstOrThrow({ where: { state: 'CA', broker: { npn: BROKERS.soon.npn } } });
  expect(soonRow.active).toBe(true);

  // The same day again, and the next day: the warning is not repeated, the lapsed license is no longer listed.
  expect((await watch(AS_OF)).notices).toEqual([{ npn: BROKERS.soon.npn, state: 'CA', expiresOn: plusDays(AS_OF, 10), status: 'ALREADY_SENT', lapsed: false }]);
  expect((await watch(plusDays(AS_OF, 1))).notices.map((n) => n.status)).toEqual(['ALREADY_SENT']);
  expect(received()).toHaveLength(2);
});

test('a renewed license is left alone, and its next expiry is warned of in its own cycle', async () => {
  await license('soon', 'CA', plusDays(AS_OF, 400));
  expect((await watch(plusDays(AS_OF, 2))).notices).toEqual([]);
  const before = received().length;
  const next = await watch(plusDays(AS_OF, 380));
  // By then the New York license, never renewed, has lapsed too.
  expect(next.notices).toEqual([
    { npn: BROKERS.later.npn, state: 'NY', expiresOn: plusDays(AS_OF, 45), status: 'SENT', lapsed: true },
    { npn: BROKERS.soon.npn, state: 'CA', expiresOn: plusDays(AS_OF, 400), status: 'SENT', lapsed: false },
  ]);
  expect(received()).toHaveLength(before + 2);
});

test('a day that is not a date is refused with the field named', async () => {
  const err = await watch('2031-13-45').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect((err as WorkflowFailedError).cause?.message).toMatch(/^asOf must be a date as YYYY-MM-DD, got "2031-13-45"/);
});

test('the daily schedule is created once and left alone when current', async () => {
  const both = await Promise.all([ensureLicenseExpirySchedule(world.client, world.taskQueue), ensureLicenseExpirySchedule(world.client, world.taskQueue)]);
  expect(both.sort()).toEqual(['created', 'unchanged']);
  const schedule = await world.client.schedule.getHandle(LICENSE_EXPIRY_SCHEDULE_ID).describe();
  expect(schedule.spec.calendars?.[0]).toMatchObject({ minute: [{ start: 0, end: 0, step: 1 }], hour: [{ start: 12, end: 12, step: 1 }] });
  expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'licenseExpiryWatchWorkflow', taskQueue: world.taskQueue, args: [{}] });
  expect(schedule.info.nextActionTimes[0]?.getUTCHours()).toBe(12);
});
