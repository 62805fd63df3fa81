import type { ContractingFollowUp, PacketItem } from '../carrier-config';
import type { UsState } from '../catalogue';
import type { ChannelRef } from '../evaluation';

/*
 * One contracting request: a broker (by NPN) getting appointed with one carrier, so that the
 * cases waiting on that appointment can go on. Plain data, so the workflow can keep it,
 * continue-as-new with it and show it in a query.
 */

/** The carrier's contracting rules with the agency's settings, as one request follows them. */
export interface ContractingRules {
  bgaName: string;
  carrierCode: string;
  carrierName: string;
  contractingEmail: string;
  packet: { item: PacketItem; description: string }[];
  eoMinimumLimit: number;
  amlTrainingValidMonths: number;
  appointmentChannel: ChannelRef;
  followUp: ContractingFollowUp;
  /** ISO dates that are not business days, beside weekends. */
  holidays: string[];
}

export const CONTRACTING_STAGES = ['COLLECTING_PACKET', 'VERIFYING_LICENSE', 'AT_CARRIER', 'APPOINTED', 'DECLINED', 'CANCELLED'] as const;
export type ContractingStage = (typeof CONTRACTING_STAGES)[number];

/** The names contracting tools such as SureLC give the stages, for status displays. */
export const STAGE_LABELS: Record<ContractingStage, string> = {
  COLLECTING_PACKET: 'At producer',
  VERIFYING_LICENSE: 'At BGA',
  AT_CARRIER: 'At carrier',
  APPOINTED: 'Appointed',
  DECLINED: 'Declined',
  CANCELLED: 'Cancelled',
};

export const isTerminal = (stage: ContractingStage): boolean => stage === 'APPOINTED' || stage === 'DECLINED' || stage === 'CANCELLED';

export type LicenseItem = Extract<PacketItem, 'RESIDENT_LICENSE' | 'NONRESIDENT_LICENSE'>;
export const isLicenseItem = (item: PacketItem): item is LicenseItem => item === 'RESIDENT_LICENSE' || item === 'NONRESIDENT_LICENSE';

export type ItemStatus = 'OUTSTANDING' | 'RECEIVED' | 'REJECTED';

export interface EoDetails {
  carrier: string;
  limit: number;
  expiresOn: string;
}
export interface AmlDetails {
  completedOn: string;
}
export interface LicenseDetails {
  licenseNumber: string;
  expiresOn: string;
}

export interface PacketFile {
  sha256: string;
  fileName: string;
  contentType: string;
  size: number;
}

export interface PacketEntry {
  /** The item, and for a licence its state (`NONRESIDENT_LICENSE:TX`): one licence copy per state. */
  key: string;
  item: PacketItem;
  description: string;
  state?: UsState;
  status: ItemStatus;
  details?: EoDetails | AmlDetails | LicenseDetails;
  /** The copy received, in the document store. */
  file?: PacketFile;
  receivedOn?: string;
  /** Why the item went back to the broker, told to them and shown while it is outstanding. */
  problem?: string;
  /** Times the item went back to the broker; keys the email telling them. */
  returns: number;
  /** Reminders never reset, so that each reminder's email key is new. */
  remindersSent: number;
  nextReminderOn?: string;
  escalated: boolean;
}

export type LicenseCheck = 'NOT_CHECKED' | 'CHECKING' | 'ACTIVE' | 'PROBLEM';

/** A state the broker must be licensed in: the resident state, and each state a waiting case was signed in. */
export interface LicenseNeed {
  state: UsState;
  resident: boolean;
  check: LicenseCheck;
  /** Checks asked of the licence source so far; keys the next one. */
  checksRequested: number;
  problem?: string;
  licenseNumber?: string;
  expiresOn?: string;
  checkedOn?: string;
}

export interface WaitingCase {
  caseId: string;
  state: UsState;
  joinedOn: string;
  releasedOn?: string;
}

/** The appointment request at the carrier; each time the request reaches the carrier is a new attempt. */
export interface CarrierRequest {
  attempt: number;
  sentOn?: string;
  followUpsSent: number;
  nextFollowUpOn?: string;
  escalated: boolean;
}

export type ContractingOutcome =
  | { stage: 'APPOINTED'; appointedOn: string; appointmentId?: string }
  | { stage: 'DECLINED'; on: string; reason: string }
  | { stage: 'CANCELLED'; on: string; reason: string };

export interface ContractingEvent {
  type: string;
  /** The instant (or date) the shell gave the core for this step. */
  at: string;
  actor: string;
  description: string;
}

export interface ContractingState {
  npn: string;
  brokerName: string;
  brokerEmail: string;
  carrierCode: string;
  carrierName: string;
  /** 1 for the pair's first request; a request after a decline or a cancellation is the next round. */
  round: number;
  rules: ContractingRules;
  stage: ContractingStage;
  stageEnteredAt: string;
  states: LicenseNeed[];
  cases: WaitingCase[];
  packet: PacketEntry[];
  carrier: CarrierRequest;
  outcome?: ContractingOutcome;
  /** The whole trail: a request sees a few dozen events in its life. */
  events: ContractingEvent[];
}

export const licenseEntryKey = (item: LicenseItem, state: UsState): string => `${item}:${state}`;

/** Who names the contracting request in messages: "contracting for NPN 1234567 with SUMMIT". */
export const requestName = (s: Pick<ContractingState, 'npn' | 'carrierCode'>): string => `contracting for NPN ${s.npn} with ${s.carrierCode}`;
