import { perform } from '../helpers/actions';
import { exampleApplication } from '../helpers/applications';
import { eventually } from '../helpers/eventually';
import { World } from '../helpers/world';
import type { CaseState } from '../../domain/case';

/*
 * With SMTP down, an email being retried holds up nothing else: an action is applied and
 * answered at once, its database record follows at once, and the email goes once SMTP is back.
 */

let world: World;

const sentAfterReceipt = (s: CaseState) => s.recentEvents.filter((e) => e.type === 'EMAIL_SENT' && String(e.data?.key ?? '').includes(':received#'));
beforeAll(async () => {
  world = await World.create('dev-server');
});
afterAll(async () => world?.close());

test('during an SMTP outage an action is answered and recorded at once, and its email goes once SMTP is back', async () => {
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
    // PostgreSQL has both actions while the receipt's email is still being retried.
    expect(noted.requests?.find((r) => r.id === 'outage-note')?.recorded).toBe(true);
    expect(await world.database.db.caseEvent.count({ where: { caseId, type: 'NOTE' } })).toBe(1);
    expect(await world.database.db.requirement.findFirst({ where: { caseId, key } })).toMatchObject({ status: 'RECEIVED' });
    expect(sentAfterReceipt(await world.state(caseId))).toEqual([]);
  } finally {
    await world.smtp.start(port);
  }
  await eventually(async () => expect(sentAfterReceipt(await world.state(caseId)).length).toBe(1), 90_000);
  await h.terminate('test over');
}, 180_000);
