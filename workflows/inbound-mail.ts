import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { InboundMailOutcome, MailAssignment } from '../activities/inbound-mail';
import { recordsOptions } from './activity-options';

type Activities = ReturnType<typeof createActivities>;

const inbound = proxyActivities<Activities>({ ...recordsOptions, startToCloseTimeout: '5 minutes' });

/**
 * One received email, carried until its attachments are on their case: the receiver has kept
 * the message before it answered the sender's server, and this retries the rest through any
 * worker restart. Its ID comes from the message, so the relay's retry joins the same run.
 * Mail that matched no case runs again once a case manager assigns it, under an ID of its own.
 */
export async function inboundMailWorkflow(input: { mailId: string; assignment?: MailAssignment }): Promise<InboundMailOutcome> {
  return inbound.processInboundMail.executeWithOptions({ startToCloseTimeout: '5 minutes', summary: 'Match the reply to its case and take its attachments' }, [input]);
}
