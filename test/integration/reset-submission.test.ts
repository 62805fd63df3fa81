import { randomUUID } from 'node:crypto';
import { perform } from '../helpers/actions';
import { temporal } from '@temporalio/proto';
import * as msg from '../../workflows/messages';
import { exampleApplication } from '../helpers/applications';
import { eventually } from '../helpers/eventually';
import { World } from '../helpers/world';

/*
 * A case rewound to before its ACORD 103 went out (an operator's `temporal workflow reset` from
 * the CLI or the Web UI) submits again. The carrier must get the same TransRefGUID under the same key, so
 * the second attempt is recognised as the first and nothing goes twice.
 */

const { EventType, ResetReapplyType } = temporal.api.enums.v1;
const CARRIER_DESK = 'newbusiness@summitmutual.example';

let world: World;
beforeAll(async () => {
  world = await World.create('dev-server');
});
afterAll(async () => world?.close());

test('a reset past the submission sends the carrier one ACORD 103, with one TransRefGUID', async () => {
  const app = exampleApplication('summit-wl-clean');
  await world.licensedBroker(app.broker.npn, 'GA', 'SUMMIT');
  const { caseId } = await world.submit(app);
  const h = world.handle(caseId);
  const vendorKeys = await eventually(async () => {
    const s = await world.state(caseId);
    expect(s?.stage).toBe('REQUIREMENTS');
    return s.requirements.filter((r) => r.vendorCode).map((r) => r.key);
  });
  for (const key of vendorKeys) await perform(h, 'receive-requirement', { actor: 'cm:jordan', key });
  const submissions = () => world.smtp.to(CARRIER_DESK).filter((m) => m.idempotencyKey.startsWith(`${caseId}:submission:`));
  await eventually(async () => expect(submissions()).toHaveLength(1));
  const firstGuid = (await world.state(caseId)).submission?.transRefGuid;

  // Back to the last workflow task before the submission was scheduled.
  const described = await h.describe();
  const events = (await h.fetchHistory()).events ?? [];
  const scheduled = events.findIndex((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'submitToCarrier');
  const taskBefore = events.slice(0, scheduled).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).at(-1);
  await world.client.workflowService.resetWorkflowExecution({
    namespace: world.env.namespace ?? 'default',
    workflowExecution: { workflowId: caseId, runId: described.runId },
    reason: 'test: rewind past the submission',
    workflowTaskFinishEventId: taskBefore?.eventId,
    requestId: randomUUID(),
    resetReapplyType: ResetReapplyType.RESET_REAPPLY_TYPE_ALL_ELIGIBLE,
  });

  // The new run submits again, and that attempt is seen as the one already made.
  const again = await eventually(async () => {
    const run = world.client.workflow.getHandle(caseId);
    expect((await run.describe()).runId).not.toBe(described.runId);
    const history = (await run.fetchHistory()).events ?? [];
    expect(history.some((e) => e.activityTaskCompletedEventAttributes && history.find((s) => s.eventId?.toString() === e.activityTaskCompletedEventAttributes?.scheduledEventId?.toString())?.activityTaskScheduledEventAttributes?.activityType?.name === 'submitToCarrier')).toBe(true);
    const s = await run.query(msg.caseStateQuery);
    expect(s.stage).toBe('UNDERWRITING');
    return s;
  }, 60_000);
  expect(again.submission?.transRefGuid).toBe(firstGuid);
  const rows = await world.db.emailMessage.findMany({ where: { caseId, template: 'carrier-submission' } });
  expect(rows.map((r) => r.idempotencyKey)).toEqual([`${caseId}:submission:${firstGuid}`]);
  expect(submissions()).toHaveLength(1);
  await perform(world.client.workflow.getHandle(caseId), 'withdraw', { actor: 'cm:jordan', reason: 'test done' });
  await world.client.workflow.getHandle(caseId).result();
  await world.recordHistory(caseId, 'reset-past-submission');
});
