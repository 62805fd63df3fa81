import type { Db } from '../platform/db';

/** One email the pipeline sent (or tried to send) for a case, as `bga status` and the API list it. */
export interface CaseEmail {
  template: string;
  to: string;
  subject: string;
  status: string;
  sentAt: string | null;
  createdAt: string;
}

export async function caseEmails(db: Db, caseId: string): Promise<CaseEmail[]> {
  const rows = await db.emailMessage.findMany({
    where: { caseId },
    // The id breaks ties between emails created in the same millisecond, so every read lists them in one order.
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { template: true, to: true, subject: true, status: true, sentAt: true, createdAt: true },
  });
  return rows.map((r) => ({ ...r, sentAt: r.sentAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString() }));
}
