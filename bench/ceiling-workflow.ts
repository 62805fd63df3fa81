import { proxyActivities, sleep } from '@temporalio/workflow';

/*
 * The ceiling: the shape of a case's intake (so many activities, so many timers) with every
 * activity a no-op. What the pipeline loses against it is the product's own cost: rules,
 * PostgreSQL, SMTP, payload sizes, search attributes.
 */

export interface CeilingPlan {
  activities: number;
  timers: number;
}

const { noop } = proxyActivities<{ noop(last: boolean): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export async function ceilingWorkflow(plan: CeilingPlan): Promise<void> {
  // Timers beyond one fire at once; the pipeline's extra waits end as soon as their effect is done.
  for (let t = 1; t < plan.timers; t++) await sleep(1);
  for (let i = 1; i <= plan.activities; i++) await noop(i === plan.activities);
  // Like a case through intake, the workflow stays open on a follow-up days away.
  if (plan.timers > 0) await sleep('30 days');
}
