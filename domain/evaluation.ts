import type { FormCode, FulfillerKind, RequirementCode } from './catalogue';

/*
 * What the carrier rules make of one application: the NIGO list, the requirements to
 * order and the settings the workflow's clocks run on. Produced by an activity from the
 * configuration current at intake, so a case keeps the rules it started with.
 */

export type RequirementSource = 'GRID' | 'ALWAYS' | 'FORM' | 'DISCLOSURE' | 'CARRIER' | 'DELIVERY' | 'MANUAL';

/** When the requirement matters: before submission, during underwriting, or at delivery. */
export type RequirementPhase = 'PRE_SUBMISSION' | 'UNDERWRITING' | 'DELIVERY';

export interface PlannedRequirement {
  /** Unique within the case: the code, or code:slug when a code repeats (one APS per physician). */
  key: string;
  code: RequirementCode;
  description: string;
  fulfiller: FulfillerKind;
  /** Vendor that fulfils it, for vendor kinds. */
  vendorCode?: string;
  source: RequirementSource;
  phase: RequirementPhase;
  clientAction?: string;
  /** For an APS: the physician whose records are requested. */
  physician?: { name: string; phone: string; practice?: string };
  /** Set when the package already carries a usable copy (within its shelf life). */
  alreadyReceivedOn?: string;
}

export type NigoKind = 'MISSING_FORM' | 'MISSING_SIGNATURE' | 'UNDATED_FORM' | 'MISSING_FIELD';

export interface NigoItem {
  /** Stable key, e.g. `MISSING_FORM:HIPAA` or `MISSING_SIGNATURE:APPLICATION:insured`. */
  key: string;
  kind: NigoKind;
  form?: FormCode;
  /** One line the broker can act on, e.g. "HIPAA authorization is not signed by the insured". */
  message: string;
}

export interface ChannelRef {
  type: 'email' | 'https';
  /** Email address for `email`; URL for `https`. */
  target: string;
}

export interface VendorRef {
  code: string;
  name: string;
  channel: ChannelRef;
  /** For a vendor on an HTTPS channel: where follow-ups and cancellations are emailed. */
  contactEmail?: string;
  /** Business days between follow-ups with this vendor. */
  followUpBusinessDays: number;
}

export interface FollowUpRules {
  /** Business days between reminders to the broker about NIGO items and broker requirements. */
  brokerReminderBusinessDays: number;
  /** Reminders sent before the case manager is asked to step in. */
  remindersBeforeEscalation: number;
  /** Business days after the first NIGO notice with items still open before closing as incomplete. */
  closeIncompleteAfterBusinessDays: number;
  /** Vendor follow-ups on one requirement before the case manager is asked to step in. */
  vendorFollowUpsBeforeEscalation: number;
  /** Calendar days without activity, with requirements outstanding, before closing as incomplete. */
  closeInactiveAfterDays: number;
  /** Calendar days an application stays valid from signing. */
  applicationValidDays: number;
}

export interface CaseRules {
  bgaName: string;
  carrierCode: string;
  carrierName: string;
  submissionPolicy: 'IN_GOOD_ORDER' | 'WITH_REQUIREMENTS_TO_FOLLOW';
  newBusinessChannel: ChannelRef;
  followUp: FollowUpRules;
  /** ISO dates that are not business days, beside weekends. */
  holidays: string[];
  vendors: Record<string, VendorRef>;
  /** The carrier's vendor for each kind, for requirements added later by underwriting. */
  vendorByKind: { exam?: string; aps?: string; inspection?: string };
  /** Requirements collected at delivery once the policy is issued. */
  delivery: PlannedRequirement[];
  caseManagerEmail: string;
  contractingEmail: string;
}

export interface Evaluation {
  issueAge: number;
  nigo: NigoItem[];
  requirements: PlannedRequirement[];
  rules: CaseRules;
}
