import type { RequestRecord } from './case-core/requests';
import type { CaseRules, NigoItem, PlannedRequirement } from './evaluation';

/*
 * The state of one case as the workflow keeps it and as queries, updates, the database
 * sync and the CLI see it. Pure types and derivations: safe in the workflow bundle.
 */

export const STAGES = [
  'COMPLETENESS_REVIEW',
  'REQUIREMENTS',
  'LICENSING_HOLD',
  'UNDERWRITING',
  'OFFER_PENDING',
  'APPROVED',
  'PLACEMENT',
  'CLOSED',
] as const;
export type Stage = (typeof STAGES)[number];

export const OUTCOMES = ['PLACED', 'DECLINED', 'POSTPONED', 'WITHDRAWN', 'CLOSED_INCOMPLETE', 'NOT_TAKEN'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** ACORD-like requirement statuses. OUTSTANDING: requested from the broker or carrier, no order involved. */
export const REQUIREMENT_STATUSES = ['OUTSTANDING', 'ORDERED', 'SCHEDULED', 'RECEIVED', 'REVIEWED', 'WAIVED', 'CANCELLED'] as const;
export type RequirementStatus = (typeof REQUIREMENT_STATUSES)[number];

export const OPEN_STATUSES: readonly RequirementStatus[] = ['OUTSTANDING', 'ORDERED', 'SCHEDULED'];

export interface StatusEntry {
  /** Case-wide event sequence number; with the case ID it makes the history row's ID. */
  seq: number;
  status: RequirementStatus;
  at: string;
  actor: string;
  note?: string;
}

/** A planned requirement once it is on the case, with its status, dates, orders and follow-up clock. */
export interface CaseRequirement extends Omit<PlannedRequirement, 'alreadyReceivedOn'> {
  status: RequirementStatus;
  requestedOn: string;
  statusAt: string;
  fulfilledOn?: string;
  providerOrderNumber?: string;
  carrierOrderNumber?: string;
  scheduledFor?: string;
  /** ISO date of the next chase; absent when nobody is chased (closed, or carrier-run checks). */
  nextFollowUpOn?: string;
  followUpCount: number;
  escalated: boolean;
  history: StatusEntry[];
}

export interface CaseEvent {
  seq: number;
  type: string;
  actor: string;
  at: string;
  description: string;
  data?: Record<string, unknown>;
}

export interface NigoState {
  items: (NigoItem & { resolved: boolean })[];
  /** ISO datetime of the first NIGO notice; the close-as-incomplete clock runs from it. */
  noticeSentAt?: string;
  remindersSent: number;
  nextReminderOn?: string;
  escalated: boolean;
}

export interface Decision {
  decision: 'APPROVED_AS_APPLIED' | 'APPROVED_OTHER_THAN_APPLIED' | 'POSTPONED' | 'DECLINED';
  riskClass?: string;
  rating?: string;
  reason?: string;
  postponeUntil?: string;
  at: string;
  actor: string;
}

export const DOCUMENT_SOURCES = ['UPLOAD', 'CLI', 'EMAIL'] as const;
export type DocumentSource = (typeof DOCUMENT_SOURCES)[number];

/** A file the case received: kept encrypted in the document store under its SHA-256, reviewed by a case manager. */
export interface CaseDocument {
  /** Derived from the case and the content hash: the same file twice is one document. */
  id: string;
  sha256: string;
  fileName: string;
  contentType: string;
  size: number;
  source: DocumentSource;
  /** Who or what it came from: an actor, an API key, a sender's address. */
  sender: string;
  /** Where a rejection is sent: the sender's address for mail, else the broker. */
  replyTo?: string;
  inboundMailId?: string;
  /** What it is said to fulfil when it arrives, then what it was accepted for. */
  requirementKey?: string;
  nigoItemKey?: string;
  receivedAt: string;
  review: 'TO_REVIEW' | 'ACCEPTED' | 'REJECTED';
  reviewedBy?: string;
  reviewedAt?: string;
  reviewNote?: string;
  /** When it went to the carrier: with the ACORD 103, or after it in a transmittal. */
  forwardedAt?: string;
}

export interface CaseState {
  caseId: string;
  carrierCode: string;
  carrierName: string;
  applicationNumber: string;
  productType: string;
  plan: string;
  faceAmount: number;
  stateOfSigning: string;
  signedOn: string;
  insuredName: string;
  issueAge: number;
  broker: { npn: string; name: string; email: string };
  rules: CaseRules;
  stage: Stage;
  stageEnteredAt: string;
  receivedAt: string;
  lastActivityAt: string;
  nigo: NigoState;
  requirements: CaseRequirement[];
  /** Determined at intake, ordered once the application is in good order. */
  plannedRequirements: PlannedRequirement[];
  licensing?: { ok: boolean; problems: string[]; checkedAt: string };
  /** The contracting request the case waits on, started or joined at intake. */
  contractingId?: string;
  submission?: { submittedAt: string; transRefGuid: string; count: number };
  /** The carrier refused the last ACORD 103 for good; the case waits for `resubmit`. */
  submissionRefused?: { at: string; reason: string };
  decision?: Decision;
  offerAccepted?: boolean;
  policyNumber?: string;
  outcome?: { outcome: Outcome; reason: string; at: string; actor: string };
  /** The last events, newest last; the full trail is in PostgreSQL. */
  recentEvents: CaseEvent[];
  nextSeq: number;
  /** The outcome of each recent ops request, by its request ID; absent on cases opened before requests had IDs. */
  requests?: RequestRecord[];
  /** Files received for the case; absent on cases that never had one. */
  documents?: CaseDocument[];
}

export const documentsToReview = (state: CaseState): CaseDocument[] => (state.documents ?? []).filter((d) => d.review === 'TO_REVIEW');

export const isOpen = (r: CaseRequirement): boolean => OPEN_STATUSES.includes(r.status);

export function openRequirements(state: CaseState): CaseRequirement[] {
  return state.requirements.filter(isOpen);
}

/** Who the case is waiting on now: drives the Web UI filter and the CLI's status. */
export function waitingOn(state: CaseState): string[] {
  if (state.stage === 'CLOSED') return [];
  const who = new Set<string>();
  if (state.nigo.items.some((i) => !i.resolved)) who.add('BROKER');
  for (const r of openRequirements(state)) who.add(r.vendorCode ? `VENDOR:${r.vendorCode}` : r.fulfiller);
  if (state.stage === 'LICENSING_HOLD') who.add('CONTRACTING');
  if (state.stage === 'UNDERWRITING' && !state.decision) who.add('CARRIER');
  if (state.stage === 'OFFER_PENDING') who.add('BROKER');
  if (state.documents?.some((d) => d.review === 'TO_REVIEW')) who.add('CASE_MANAGER');
  return [...who].sort();
}

/** Earliest order date of an APS still open, for "APS open more than N days" filters. */
export function oldestOpenApsOrderedOn(state: CaseState): string | undefined {
  const dates = openRequirements(state)
    .filter((r) => r.code === 'PHYSSTMT')
    .map((r) => r.requestedOn)
    .sort();
  return dates[0];
}

/** Date part of an ISO timestamp, as the business-day calendar works in dates. */
export const dateOf = (iso: string): string => iso.slice(0, 10);

export function daysBetween(fromIso: string, toIso: string): number {
  return Math.floor((Date.parse(dateOf(toIso)) - Date.parse(dateOf(fromIso))) / 86_400_000);
}
