import type { FulfillerKind } from '../../domain/catalogue';
import type { Db } from '../../platform/db';

/* Rows as the workflow's records activities write them, inserted directly for report tests. */

export const DAY_MS = 86_400_000;
export const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

export async function seedBroker(db: Db, b: { npn: string; name: string; email: string }): Promise<string> {
  const row = await db.broker.create({ data: { ...b, agency: 'Peachtree Financial Group' } });
  return row.id;
}

export interface SeedCase {
  brokerId: string;
  carrierCode: 'SUMMIT' | 'HARBOR';
  applicationNumber: string;
  insuredName: string;
  stage: string;
  faceAmount: number;
  receivedAt: Date;
  stageEnteredAt?: Date;
  closedAt?: Date;
  outcome?: string;
}

export async function seedCase(db: Db, c: SeedCase): Promise<string> {
  const id = `case-${c.carrierCode.toLowerCase()}-${c.applicationNumber.toLowerCase()}`;
  const stageEnteredAt = c.stageEnteredAt ?? c.closedAt ?? c.receivedAt;
  await db.case.create({
    data: {
      id,
      carrierCode: c.carrierCode,
      applicationNumber: c.applicationNumber,
      productType: c.carrierCode === 'SUMMIT' ? 'WL' : 'IUL',
      plan: c.carrierCode === 'SUMMIT' ? 'SUMMIT-WL100' : 'HARBOR-IUL',
      faceAmount: c.faceAmount,
      stateOfSigning: 'GA',
      brokerId: c.brokerId,
      stage: c.stage,
      outcome: c.outcome ?? null,
      receivedAt: c.receivedAt,
      stageEnteredAt,
      lastActivityAt: stageEnteredAt,
      closedAt: c.closedAt ?? null,
      application: { carrier: c.carrierCode, applicationNumber: c.applicationNumber, product: { faceAmount: c.faceAmount } },
      parties: { create: [{ role: 'INSURED', fullName: c.insuredName }] },
    },
  });
  return id;
}

export async function seedRequirement(
  db: Db,
  caseId: string,
  r: { code: string; description: string; fulfiller: FulfillerKind; status: string; requestedAt: Date; vendorCode?: string; key?: string },
): Promise<void> {
  await db.requirement.create({
    data: {
      caseId,
      key: r.key ?? r.code,
      code: r.code,
      description: r.description,
      fulfiller: r.fulfiller,
      vendorCode: r.vendorCode ?? null,
      source: 'GRID',
      status: r.status,
      requestedAt: r.requestedAt,
      statusAt: r.requestedAt,
    },
  });
}

let eventSeq = 0;
export async function seedEvent(db: Db, caseId: string, type: string, at: Date): Promise<void> {
  eventSeq += 1;
  await db.caseEvent.create({
    data: { id: `${caseId}:${eventSeq}`, caseId, seq: eventSeq, type, actor: 'system', at, description: type.replace(/_/g, ' ').toLowerCase() },
  });
}

let visitSeq = 0;
export async function seedVisit(db: Db, caseId: string, stage: string, enteredAt: Date, leftAt: Date | null): Promise<void> {
  visitSeq += 1;
  await db.stageVisit.create({ data: { id: `${caseId}:v${visitSeq}`, caseId, stage, enteredAt, leftAt } });
}

/**
 * Contracting requests as syncContracting mirrors them, for a broker of their own (NPN 18765432):
 * two appointed with Summit after 10 and 20 days, and one at the carrier for three days, which
 * the given case waits on.
 */
export async function seedContractingRequests(db: Db, waitingCaseId: string): Promise<void> {
  const broker = await db.broker.create({ data: { npn: '18765432', name: 'Marcus Bell', email: 'marcus@peachtree.example', agency: 'Peachtree Financial Group' } });
  const workflowId = 'contracting-18765432-summit';
  const request = (openedAt: Date, data: { stage: string; stageEnteredAt: Date; waitingOn?: string; missing?: object[]; caseIds?: string[]; appointedOn?: Date }) =>
    db.contractingRequest.create({
      data: { id: `${workflowId}@${openedAt.toISOString()}`, workflowId, brokerId: broker.id, carrierCode: 'SUMMIT', missing: [], caseIds: [], openedAt, ...data, closedAt: data.appointedOn ?? null },
    });
  await request(new Date('2026-01-05T00:00:00Z'), { stage: 'APPOINTED', stageEnteredAt: new Date('2026-01-15T00:00:00Z'), appointedOn: new Date('2026-01-15T00:00:00Z') });
  await request(new Date('2026-03-01T00:00:00Z'), { stage: 'APPOINTED', stageEnteredAt: new Date('2026-03-21T00:00:00Z'), appointedOn: new Date('2026-03-21T00:00:00Z') });
  const atCarrierSince = new Date(Date.now() - 3 * DAY_MS - 60_000);
  await request(new Date(atCarrierSince.getTime() - 2 * DAY_MS), {
    stage: 'AT_CARRIER',
    stageEnteredAt: atCarrierSince,
    waitingOn: 'CARRIER',
    missing: [{ item: 'APPOINTMENT', description: 'Appointment of Marcus Bell (NPN 18765432) with Summit Mutual, requested 2026-06-10', waitingOn: 'CARRIER' }],
    caseIds: [waitingCaseId],
  });
}
