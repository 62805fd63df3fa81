import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import type { InboundMailOutcome, MailAssignment } from '../../activities/inbound-mail';
import type { Db } from '../../platform/db';
import { ActionRefusedError } from '../case-errors';
import { getCase } from '../operations';

/*
 * Mail that answered nothing the pipeline sent and named no case: kept, listed, and put on a
 * case by a person. The assignment runs the same processing as a matched reply, so its files
 * are judged and kept the same way and a second assignment repeats nothing.
 */

export interface UnmatchedMail {
  id: string;
  from: string;
  subject: string;
  receivedAt: string;
  size: number;
  detail: string | null;
}

export async function listUnmatched(db: Db, limit = 200): Promise<UnmatchedMail[]> {
  const rows = await db.inboundMail.findMany({ where: { status: 'UNMATCHED' }, orderBy: { receivedAt: 'asc' }, take: limit });
  return rows.map((r) => ({ id: r.id, from: r.fromAddress, subject: r.subject, receivedAt: r.receivedAt.toISOString(), size: r.size, detail: r.detail }));
}

/** Puts an unmatched mail on a case and waits until its attachments are there. */
export async function assignMail(client: Client, taskQueue: string, db: Db, mailId: string, assignment: MailAssignment): Promise<InboundMailOutcome> {
  const row = await db.inboundMail.findUnique({ where: { id: mailId } });
  if (!row) throw new ActionRefusedError(`There is no inbound mail ${mailId}; \`bga mail unmatched\` lists the unmatched ones.`, [{ field: 'mailId', message: 'no such mail' }]);
  if (row.status !== 'UNMATCHED') {
    throw new ActionRefusedError(`Mail ${mailId} is not unmatched: it is ${row.status.toLowerCase()}${row.caseId ? ` on case ${row.caseId}` : ''}.`, [{ field: 'mailId', message: `is ${row.status.toLowerCase()}` }]);
  }
  // Throws CaseNotFoundError for a mistyped case, before anything is started.
  await getCase(client, assignment.caseId);
  const workflowId = `inbound-${mailId}-to-${assignment.caseId}`;
  try {
    const handle = await client.workflow.start('inboundMailWorkflow', { taskQueue, workflowId, args: [{ mailId, assignment }] });
    return (await handle.result()) as InboundMailOutcome;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return (await client.workflow.getHandle(workflowId).result()) as InboundMailOutcome;
    if (err instanceof WorkflowFailedError) throw new ActionRefusedError(err.cause?.message ?? err.message);
    throw err;
  }
}
