import { exampleApplication } from '../helpers/applications';
import { eventually } from '../helpers/eventually';
import { commandsOfTaskAfter, historyOf } from '../helpers/histories';
import { World } from '../helpers/world';
import * as msg from '../../workflows/messages';

/*
 * What stands between an ops action and its row in PostgreSQL: the workflow task that takes the
 * signal. Its only command is the database sync; the shell's timer is kept when the action does
 * not move the next follow-up, and the search attributes follow once the sync has completed.
 */

let world: World;
beforeAll(async () => {
  world = await World.create('dev-server');
});
afterAll(async () => world?.close());

const outstanding = async (caseId: string) => Number((await world.handle(caseId).describe()).searchAttributes.BgaOutstandingCount?.[0]);

test('an action’s workflow task schedules only the database sync; the search attributes follow it', async () => {
  const { caseId } = await world.submit(exampleApplication('summit-wl-clean'));
  const h = world.handle(caseId);
  // Orders out, the case idle in REQUIREMENTS with its follow-up timers running.
  const before = await eventually(async () => {
    const s = await world.state(caseId);
    expect(s.stage).toBe('REQUIREMENTS');
    expect(s.requirements.filter((r) => r.vendorCode).every((r) => r.status === 'ORDERED')).toBe(true);
    const events = (await h.fetchHistory()).events ?? [];
    expect(events.at(-1)?.workflowTaskCompletedEventAttributes).toBeDefined();
    return s;
  }, 60_000);
  await world.settle();
  const count = await outstanding(caseId);
  expect(count).toBeGreaterThan(1);
  const key = before.requirements.find((r) => r.status === 'ORDERED' && r.vendorCode)!.key;

  await h.signal(msg.actionSignals['receive-requirement'], { requestId: 'lean-receipt', input: { actor: 'cm:jordan', key } });
  await eventually(async () => expect((await world.state(caseId)).requests?.find((r) => r.id === 'lean-receipt')?.recorded).toBe(true), 60_000);
  await world.settle();

  const { events } = await historyOf(h);
  const signalled = events.findIndex((e) => e.workflowExecutionSignaledEventAttributes);
  expect(commandsOfTaskAfter(events, signalled)).toEqual(['ACTIVITY_TASK_SCHEDULED syncCase']);
  // The Web UI still counts the requirement as received, once it is in PostgreSQL.
  await eventually(async () => expect(await outstanding(caseId)).toBe(count - 1), 30_000);
  expect(await world.db.requirement.findFirst({ where: { caseId, key }, select: { status: true } })).toEqual({ status: 'RECEIVED' });
  await h.terminate('test over');
}, 180_000);
