import { awaitRequest, sendAction } from '../../client/operations';
import { perform } from '../helpers/actions';
import { exampleApplication } from '../helpers/applications';
import { eventually } from '../helpers/eventually';
import { World } from '../helpers/world';

// The APS order is held on its way to the vendor, as a slow vendor channel would hold it.
let release!: () => void;
const held = new Promise<void>((r) => (release = r));
let orderReached = false;

let world: World;
beforeAll(async () => {
  world = await World.create('dev-server', {
    wrapActivities: (a) => ({
      ...a,
      async orderRequirement(input: Parameters<typeof a.orderRequirement>[0]) {
        if (input.requirement.code === 'PHYSSTMT') {
          orderReached = true;
          await held;
        }
        return a.orderRequirement(input);
      },
    }),
  });
});
afterAll(async () => world?.close());

test('a requirement received while its vendor order is on the way stays received when the order completes', async () => {
  const app = exampleApplication('summit-wl-clean');
  await world.licensedBroker(app.broker.npn, 'GA', 'SUMMIT');
  const { caseId } = await world.submit(app);
  await eventually(async () => expect(orderReached).toBe(true), 60_000);
  const h = world.handle(caseId);
  const aps = (await world.state(caseId)).requirements.find((r) => r.code === 'PHYSSTMT')!;
  expect(aps.status).toBe('OUTSTANDING');

  // Applied and answered once the database has it, while the order is still held: the effect in flight holds up nothing.
  const requestId = await sendAction(world.client, caseId, 'receive-requirement', { actor: 'cm:jordan', key: aps.key });
  const answered = await awaitRequest(world.client, caseId, requestId, 30_000);
  expect(answered.requirements.find((x) => x.key === aps.key)!.status).toBe('RECEIVED');
  expect((await world.db.requirement.findFirstOrThrow({ where: { caseId, key: aps.key } })).status).toBe('RECEIVED');
  release();
  await eventually(async () => expect((await world.state(caseId)).recentEvents.some((e) => e.type === 'ORDER_AFTER_STATUS')).toBe(true), 60_000);
  const after = await world.state(caseId);
  const r = after.requirements.find((x) => x.key === aps.key)!;
  expect(r.status).toBe('RECEIVED');
  expect(r.providerOrderNumber).toMatch(/^APSNOW-/);
  expect(r.history.map((e) => e.status)).toEqual(['OUTSTANDING', 'RECEIVED']);
  const row = await world.db.requirement.findFirstOrThrow({ where: { caseId, key: aps.key } });
  expect(row.status).toBe('RECEIVED');

  // The paramed exam was ordered first and received after: its "received" email is keyed the
  // same way as the APS's, so a reset case that takes the two in the other order cannot
  // produce a second key (and a second email) for one receipt.
  const exam = after.requirements.find((x) => x.code === 'PARAMED')!;
  await eventually(async () => expect((await world.state(caseId)).requirements.find((x) => x.key === exam.key)!.status).toBe('ORDERED'), 60_000);
  await perform(h, 'receive-requirement', { actor: 'cm:jordan', key: exam.key });
  // The email is an effect of the action: it follows the answer.
  await eventually(async () => {
    const keys = (await world.db.emailMessage.findMany({ where: { caseId, template: 'requirement-update' }, select: { idempotencyKey: true } })).map((e) => e.idempotencyKey);
    expect(keys.sort()).toEqual([`${caseId}:requirement:${aps.key}:received#1`, `${caseId}:requirement:${exam.key}:received#1`].sort());
  });

  await perform(h, 'withdraw', { actor: 'cm:jordan', reason: 'test cleanup' });
  await h.result();
  await world.recordHistory(caseId, 'order-after-receive-keyed-emails');
});
