import { allHandlersFinished, condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';

/*
 * The ceiling of one ops action: a signal whose handler starts one no-op activity. What an
 * action on a case costs beyond it, from the signal to its `Requirement` row, is the product's
 * own: the case core, the lane, Prisma and PostgreSQL, payload sizes, search attributes.
 */

/** Shaped like the product's action signals (`{ requestId, input }`), so the signal's payload is of a like size. */
export interface CeilingAction {
  requestId: string;
  input: Record<string, unknown>;
}

export const ceilingActionSignal = defineSignal<[CeilingAction]>('ceiling-action');
/** Lets the workflow end once the bench is done with it, instead of leaving it open on the server. */
export const ceilingDoneSignal = defineSignal('ceiling-done');

/** Timeouts and retries of the product's database activities (workflows/activity-options.ts `recordsOptions`). */
const { ceilingSync } = proxyActivities<{ ceilingSync(requestId: string): Promise<void> }>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function signalCeilingWorkflow(): Promise<void> {
  let done = false;
  setHandler(ceilingActionSignal, async ({ requestId }) => {
    await ceilingSync(requestId);
  });
  setHandler(ceilingDoneSignal, () => void (done = true));
  await condition(() => done);
  await condition(allHandlersFinished);
}
