import { perform } from '../helpers/actions';
import { exampleApplication } from '../helpers/applications';
import { World } from '../helpers/world';

/*
 * The inactivity limit counts from the last thing a person did. The shell keeps its timer while
 * an action moves the limit later (workflows/shell-timer.ts), so the timer set for the earlier
 * limit fires first; the case must then time the new limit, not close.
 */

let world: World;
beforeAll(async () => {
  world = await World.create('time-skipping');
});
afterAll(async () => world?.close());

test('a note on day 20 moves the 45-day inactivity close from day 45 to day 65', async () => {
  const app = exampleApplication('summit-wl-clean');
  await world.licensedBroker(app.broker.npn, 'GA', 'SUMMIT', { appointed: true });
  const { caseId } = await world.submit(app);
  const h = world.handle(caseId);
  await world.skip('20 days');
  let s = await world.state(caseId);
  expect(s.stage).toBe('REQUIREMENTS');
  await perform(h, 'note', { actor: 'cm:jordan', text: 'Spoke to the insured; exams rebooked.' });

  // Day 50: past the limit counted from intake, within it counted from the note.
  await world.skip('30 days');
  s = await world.state(caseId);
  expect([s.stage, s.outcome]).toEqual(['REQUIREMENTS', undefined]);

  // Day 70: 50 days after the note.
  await world.skip('20 days');
  const result = await h.result();
  expect(result.outcome).toBe('CLOSED_INCOMPLETE');
  expect(result.reason).toBe('no activity for 45 days with requirements outstanding');
  const closedAt = (await world.db.case.findUniqueOrThrow({ where: { id: caseId } })).closedAt!.getTime();
  const noteAt = (await world.db.caseEvent.findFirstOrThrow({ where: { caseId, type: 'NOTE' } })).at.getTime();
  expect((closedAt - noteAt) / 86_400_000).toBeCloseTo(45, 0);
}, 180_000);
