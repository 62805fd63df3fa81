import { perform } from '../helpers/actions';
import { exampleApplication } from '../helpers/applications';
import { eventually } from '../helpers/eventually';
import { World } from '../helpers/world';

/*
 * With SMTP down, a case's effect lane is held by an email being retried, so its database
 * record waits. An action must still be applied and answered at once, from the case, and the
 * record must follow once the email is through.
 */

let world: World;
beforeAll(async () => {
  world = await World.create('dev-server');
});
afterAll(async () => world?.close());

test('an action during an SMTP outage is answered with its outcome, and its database record follows', async () => {
  const app = exampleApplication('summit-wl-clean');
  await world.licensedBroker(app.broker.npn, 'GA', 'SUMMIT');
  const { caseId } = await world.submit(app);
  const h = world.handle(caseId);
  const key = await eventually(async () => {
    const s = await world.state(caseId);
    expect(s.requirements.filter((r) => r.vendorCode && r.status === 'OUTSTANDING')).toEqual([]);
    expect(s.stage).toBe('REQUIREMENTS');
    return s.requirements.find((r) => r.vendorCode)!.key;
  });
  await eventually(async () => expect(await world.database.db.requirement.findFirst({ where: { caseId, key } })).toMatchObject({ status: 'ORDERED' }));
  const port = world.smtp.port;
  await world.smtp.stop();
  try {
    // The receipt's email to the broker cannot go; the lane retries it.
    const received = await perform(h, 'receive-requirement', { actor: 'cm:jordan', key }, { requestId: 'outage-receipt' });
    expect(received.requirements.find((r) => r.key === key)!.status).toBe('RECEIVED');
    const noted = await perform(h, 'note', { actor: 'cm:jordan', text: 'broker called about the exam' }, { requestId: 'outage-note', recordWaitMs: 5_000 });
    expect(noted.recentEvents.some((e) => e.type === 'NOTE' && e.description.includes('broker called about the exam'))).toBe(true);
    expect(noted.requests?.find((r) => r.id === 'outage-note')).toMatchObject({ status: 'APPLIED', settledStage: 'REQUIREMENTS' });
    // Answered from the case: PostgreSQL does not have the note yet.
    expect(noted.requests?.find((r) => r.id === 'outage-note')?.recorded).toBeFalsy();
    expect(await world.database.db.caseEvent.count({ where: { caseId, type: 'NOTE' } })).toBe(0);
  } finally {
    await world.smtp.start(port);
  }
  await eventually(async () => {
    expect(await world.database.db.caseEvent.count({ where: { caseId, type: 'NOTE' } })).toBe(1);
    expect(await world.database.db.requirement.findFirst({ where: { caseId, key } })).toMatchObject({ status: 'RECEIVED' });
  }, 90_000);
  expect((await world.state(caseId)).requests?.find((r) => r.id === 'outage-note')?.recorded).toBe(true);
  await h.terminate('test over');
}, 180_000);
