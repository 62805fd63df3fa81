import type { RulesConfig } from '../../domain/carrier-config';
import { OPEN_STATUSES } from '../../domain/case';
import type { MissingItem } from '../../domain/contracting-core/status';
import type { Db } from '../../platform/db';
import { stalledEmail } from '../mail';
import { wholeDaysSince } from './days';

/*
 * The case managers' queue: what the workflows cannot settle by themselves and a person must
 * look at now. Read from PostgreSQL, so it costs Temporal nothing and works while it is down.
 */

export const DEFAULT_QUIET_DAYS = 14;

export interface WorklistEmail {
  /** The email's key: `bga email confirm|resend <key>` settles an UNCONFIRMED one. */
  key: string;
  caseId: string | null;
  to: string;
  subject: string;
  /**
   * UNCONFIRMED: a worker died mid-send, the server may or may not have it. FAILED: refused or
   * still being retried. STALLED: claimed but never sent, and no attempt has come back to it.
   */
  status: 'UNCONFIRMED' | 'FAILED' | 'STALLED';
  attempts: number;
  lastError: string | null;
  createdAt: string;
}

export interface WorklistCase {
  caseId: string;
  carrierCode: string;
  applicationNumber: string;
  stage: string;
  brokerNpn: string;
  brokerName: string;
  /** Whole days since the case entered its stage. */
  daysInStage: number;
  /** Whole days since anything happened on the case. */
  daysSinceActivity: number;
}

export interface WorklistRequirement {
  caseId: string;
  key: string;
  description: string;
  status: string;
  /** The vendor, or BROKER / CARRIER when nobody was ordered. */
  waitingOn: string;
  followUps: number;
  daysOpen: number;
}

export interface WorklistRefusedOrder {
  caseId: string;
  key: string;
  description: string;
  vendorCode: string;
  /** What the vendor answered. */
  reason: string;
  refusedAt: string;
}

export interface WorklistRefusedSubmission {
  caseId: string;
  carrierCode: string;
  applicationNumber: string;
  reason: string;
  refusedAt: string;
}

export interface WorklistDocument {
  caseId: string;
  documentId: string;
  fileName: string;
  source: string;
  sender: string;
  /** What it arrived for, if the sender or the email it answers said. */
  forWhat: string | null;
  receivedAt: string;
  daysWaiting: number;
}

export interface WorklistUnmatchedMail {
  mailId: string;
  from: string;
  subject: string;
  receivedAt: string;
}

export interface WorklistContracting {
  npn: string;
  brokerName: string;
  carrierCode: string;
  /** `bga contracting status <npn> <carrier>` shows the request in full. */
  workflowId: string;
  /** COLLECTING_PACKET (at the producer), VERIFYING_LICENSE (at the BGA) or AT_CARRIER. */
  stage: string;
  /** Who must act next: BROKER, BGA or CARRIER; null when nothing is outstanding. */
  waitingOn: string | null;
  /** What is missing, as `bga contracting status` describes each item. */
  missing: string[];
  /** Cases that named this request and wait on its appointment. */
  casesWaiting: number;
  daysInStage: number;
}

export interface Worklist {
  asOf: string;
  quietDays: number;
  /** Emails a person must check or resend. */
  emails: WorklistEmail[];
  /** Held until contracting records the broker's licence or appointment. */
  contractingHolds: WorklistCase[];
  /** Approved other than applied: the client's answer is awaited. */
  offersAwaitingAnswer: WorklistCase[];
  /** Chased as often as the carrier's rules allow, still open: a person takes over. */
  escalatedRequirements: WorklistRequirement[];
  /** Open cases where nothing has happened for `quietDays` or more. */
  quietCases: WorklistCase[];
  /** Orders a vendor refused for good, on requirements still outstanding: order by hand, or waive. */
  refusedOrders: WorklistRefusedOrder[];
  /** ACORD 103s the carrier refused for good: fix what it objected to, then `bga resubmit`. */
  refusedSubmissions: WorklistRefusedSubmission[];
  /** Files received on open cases, not yet accepted or rejected. */
  documentsToReview: WorklistDocument[];
  /** Replies that matched no case: `bga mail assign` puts each on its case. */
  unmatchedMail: WorklistUnmatchedMail[];
  /** Contracting requests still running, the longest in their stage first. */
  contracting: WorklistContracting[];
}

const DAY_MS = 86_400_000;

/** How many follow-ups a carrier allows before a person takes over; at least one. */
function escalationThreshold(rules: RulesConfig, carrierCode: string, hasVendor: boolean): number {
  const followUp = rules.carriers.find((c) => c.code === carrierCode)?.followUp;
  if (!followUp) return 1;
  return Math.max(1, hasVendor ? followUp.vendorFollowUpsBeforeEscalation : followUp.remindersBeforeEscalation);
}

export async function worklist(db: Db, rules: RulesConfig, now: Date, quietDays = DEFAULT_QUIET_DAYS): Promise<Worklist> {
  const caseSelect = {
    id: true,
    carrierCode: true,
    applicationNumber: true,
    stage: true,
    stageEnteredAt: true,
    lastActivityAt: true,
    broker: { select: { npn: true, name: true } },
  } as const;
  const [emails, held, offers, quiet, chased, refusals, refusedSubmissions, toReview, unmatched, contracting] = await Promise.all([
    db.emailMessage.findMany({ where: { OR: [{ status: { in: ['UNCONFIRMED', 'FAILED'] } }, stalledEmail(now)] }, orderBy: { createdAt: 'asc' } }),
    db.case.findMany({ where: { stage: 'LICENSING_HOLD' }, select: caseSelect, orderBy: { stageEnteredAt: 'asc' } }),
    db.case.findMany({ where: { stage: 'OFFER_PENDING' }, select: caseSelect, orderBy: { stageEnteredAt: 'asc' } }),
    db.case.findMany({
      where: { stage: { not: 'CLOSED' }, lastActivityAt: { lte: new Date(now.getTime() - quietDays * DAY_MS) } },
      select: caseSelect,
      orderBy: { lastActivityAt: 'asc' },
    }),
    db.requirement.findMany({
      where: { status: { in: [...OPEN_STATUSES] }, followUpCount: { gt: 0 }, case: { stage: { not: 'CLOSED' } } },
      select: { caseId: true, key: true, description: true, status: true, vendorCode: true, fulfiller: true, followUpCount: true, requestedAt: true, case: { select: { carrierCode: true } } },
      orderBy: { requestedAt: 'asc' },
    }),
    db.caseEvent.findMany({ where: { type: 'ORDER_REFUSED', case: { stage: { not: 'CLOSED' } } }, orderBy: { at: 'asc' } }),
    refusedSubmissionsOf(db),
    db.document.findMany({ where: { reviewStatus: 'TO_REVIEW', case: { stage: { not: 'CLOSED' } } }, orderBy: { receivedAt: 'asc' } }),
    db.inboundMail.findMany({ where: { status: 'UNMATCHED' }, orderBy: { receivedAt: 'asc' } }),
    db.contractingRequest.findMany({
      where: { closedAt: null },
      include: { broker: { select: { npn: true, name: true } } },
      orderBy: [{ stageEnteredAt: 'asc' }, { id: 'asc' }],
    }),
  ]);
  const refusedOrders = await stillOutstanding(db, refusals);
  const asCase = (c: (typeof held)[number]): WorklistCase => ({
    caseId: c.id,
    carrierCode: c.carrierCode,
    applicationNumber: c.applicationNumber,
    stage: c.stage,
    brokerNpn: c.broker.npn,
    brokerName: c.broker.name,
    daysInStage: wholeDaysSince(c.stageEnteredAt, now),
    daysSinceActivity: wholeDaysSince(c.lastActivityAt, now),
  });
  return {
    asOf: now.toISOString(),
    quietDays,
    emails: emails.map((e) => ({
      key: e.idempotencyKey,
      caseId: e.caseId,
      to: e.to,
      subject: e.subject,
      status: e.status === 'PENDING' ? 'STALLED' : (e.status as WorklistEmail['status']),
      attempts: e.attempts,
      lastError: e.lastError,
      createdAt: e.createdAt.toISOString(),
    })),
    contractingHolds: held.map(asCase),
    offersAwaitingAnswer: offers.map(asCase),
    escalatedRequirements: chased
      .filter((r) => r.followUpCount >= escalationThreshold(rules, r.case.carrierCode, r.vendorCode !== null))
      .map((r) => ({
        caseId: r.caseId,
        key: r.key,
        description: r.description,
        status: r.status,
        waitingOn: r.vendorCode ?? r.fulfiller,
        followUps: r.followUpCount,
        daysOpen: wholeDaysSince(r.requestedAt, now),
      })),
    quietCases: quiet.map(asCase),
    refusedOrders,
    refusedSubmissions,
    documentsToReview: toReview.map((d) => ({
      caseId: d.caseId,
      documentId: d.id,
      fileName: d.fileName,
      source: d.source,
      sender: d.sender,
      forWhat: d.requirementKey ?? d.nigoItemKey,
      receivedAt: d.receivedAt.toISOString(),
      daysWaiting: wholeDaysSince(d.receivedAt, now),
    })),
    unmatchedMail: unmatched.map((m) => ({ mailId: m.id, from: m.fromAddress, subject: m.subject, receivedAt: m.receivedAt.toISOString() })),
    contracting: contracting.map((r) => ({
      npn: r.broker.npn,
      brokerName: r.broker.name,
      carrierCode: r.carrierCode,
      workflowId: r.workflowId,
      stage: r.stage,
      waitingOn: r.waitingOn,
      missing: (r.missing as unknown as MissingItem[]).map((m) => m.description),
      casesWaiting: r.caseIds.length,
      daysInStage: wholeDaysSince(r.stageEnteredAt, now),
    })),
  };
}

/** A case's latest refusal, while the case is still waiting to be submitted: once submitted or closed, it is settled. */
async function refusedSubmissionsOf(db: Db): Promise<WorklistRefusedSubmission[]> {
  const events = await db.caseEvent.findMany({
    where: { type: 'SUBMISSION_REFUSED', case: { stage: { in: ['REQUIREMENTS', 'LICENSING_HOLD'] } } },
    orderBy: { at: 'desc' },
    select: { caseId: true, at: true, data: true, case: { select: { carrierCode: true, applicationNumber: true } } },
  });
  const latest = new Map<string, WorklistRefusedSubmission>();
  for (const e of events) {
    if (latest.has(e.caseId)) continue;
    const reason = (e.data as { reason?: unknown } | null)?.reason;
    latest.set(e.caseId, { caseId: e.caseId, carrierCode: e.case.carrierCode, applicationNumber: e.case.applicationNumber, reason: typeof reason === 'string' ? reason : '', refusedAt: e.at.toISOString() });
  }
  return [...latest.values()].sort((a, b) => a.refusedAt.localeCompare(b.refusedAt));
}

type RefusalEvent = { caseId: string; at: Date; description: string; data: unknown };

/** The refusals whose requirement is still outstanding: received, waived or cancelled since, it is settled. */
async function stillOutstanding(db: Db, refusals: RefusalEvent[]): Promise<WorklistRefusedOrder[]> {
  const refused = refusals.map((e) => ({ event: e, ...(e.data as { key: string; vendorCode: string; reason: string }) }));
  if (refused.length === 0) return [];
  const open = await db.requirement.findMany({
    where: { status: 'OUTSTANDING', OR: refused.map((r) => ({ caseId: r.event.caseId, key: r.key })) },
    select: { caseId: true, key: true, description: true },
  });
  return refused.flatMap((r) => {
    const req = open.find((o) => o.caseId === r.event.caseId && o.key === r.key);
    return req ? [{ caseId: req.caseId, key: req.key, description: req.description, vendorCode: r.vendorCode, reason: r.reason, refusedAt: r.event.at.toISOString() }] : [];
  });
}
