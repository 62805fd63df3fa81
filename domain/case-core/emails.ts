import type { CaseDocument, CaseRequirement, CaseState } from '../case';
import { daysBetween, isOpen } from '../case';
import type { NigoItem, VendorRef } from '../evaluation';
import type { EmailTemplateData } from '../../templates';

/*
 * Which email a case event sends, to whom, with what data. The key makes each email unique
 * within the case: the mail activity never sends the same key twice.
 */

export interface Email {
  key: string;
  to: string;
  /** One line for the workflow's event list and the case trail. */
  summary: string;
  data: EmailTemplateData;
}

const base = (s: CaseState) => ({
  bgaName: s.rules.bgaName,
  caseReference: s.caseId,
  carrierName: s.carrierName,
  applicationNumber: s.applicationNumber,
  insuredName: s.insuredName,
  productType: s.productType as 'TERM' | 'UL' | 'IUL' | 'WL',
});

const NIGO_ACTIONS: Record<NigoItem['kind'], string> = {
  MISSING_FORM: 'Send the completed form, signed and dated',
  MISSING_SIGNATURE: 'Have the page signed and send it back',
  UNDATED_FORM: 'Date the signature and send the page back',
  MISSING_FIELD: 'Send the missing information',
};

const openNigo = (s: CaseState) => s.nigo.items.filter((i) => !i.resolved);
const nigoItems = (s: CaseState) => openNigo(s).map((i) => ({ description: i.message, action: NIGO_ACTIONS[i.kind] }));
const outstanding = (s: CaseState) => s.requirements.filter(isOpen).map((r) => ({ description: r.description, ...(r.clientAction ? { action: r.clientAction } : {}) }));

function followUpsSoFar(s: CaseState) {
  return s.recentEvents
    .filter((e) => e.type === 'REMINDER_SENT' || e.type === 'FOLLOW_UP')
    .map((e) => ({ on: e.at.slice(0, 10), description: e.description }));
}

/** What every key of a requirement's emails about one kind of change starts with; the occurrence follows. */
export const requirementEmailKeyPrefix = (requirementKey: string, change: string): string => `requirement:${requirementKey}:${change.toLowerCase()}#`;

function requirementUpdateKey(r: CaseRequirement, change: string, byOccurrence: boolean): string {
  if (!byOccurrence) return `requirement:${r.key}:${change.toLowerCase()}:${r.history.length}`;
  const occurrence = r.history.filter((e) => e.status === r.status).length;
  return `${requirementEmailKeyPrefix(r.key, change)}${occurrence}`;
}

const toBroker = (s: CaseState, key: string, summary: string, data: EmailTemplateData): Email => ({ key, to: s.broker.email, summary, data });

/** Where people at a vendor read email: its order address, or for an HTTPS vendor the contact it gave. */
const vendorInbox = (vendor: VendorRef): string | undefined => (vendor.channel.type === 'email' ? vendor.channel.target : vendor.contactEmail);

/** The case's emails as of `today` (the case's own clock, so the same on every replay). */
export const emailsOn = (today: string) => ({
  acknowledgement: (s: CaseState): Email =>
    toBroker(s, 'acknowledgement', 'Acknowledgement to the broker', {
      template: 'acknowledgement',
      ...base(s),
      planName: s.plan,
      faceAmount: s.faceAmount,
      receivedOn: s.receivedAt.slice(0, 10),
    }),

  nigo: (s: CaseState, closeIncompleteOn: string, key: string): Email =>
    toBroker(s, key, `Missing items (${openNigo(s).length}) to the broker`, {
      template: 'nigo',
      ...base(s),
      items: nigoItems(s),
      closeIncompleteOn,
    }),

  nigoReminder: (s: CaseState, n: number, closeAt: number | undefined): Email =>
    toBroker(s, `nigo:reminder:${n}`, `Reminder ${n} about missing items to the broker`, {
      template: 'reminder',
      ...base(s),
      reminderNumber: n,
      outstanding: nigoItems(s),
      nextDeadline: closeAt ? new Date(closeAt).toISOString().slice(0, 10) : (s.nigo.nextReminderOn ?? today),
    }),

  nigoEscalation: (s: CaseState): Email => ({
    key: 'nigo:escalation',
    to: s.rules.caseManagerEmail,
    summary: 'Missing items escalated to the case manager',
    data: {
      template: 'escalation',
      ...base(s),
      brokerName: s.broker.name,
      reason: `${s.nigo.remindersSent} reminders sent and ${openNigo(s).length} item(s) still missing`,
      outstanding: openNigo(s).map((i) => ({ description: i.message, daysOpen: daysBetween(s.nigo.noticeSentAt ?? s.receivedAt, today) })),
      followUps: followUpsSoFar(s),
    },
  }),

  examInstructions: (s: CaseState, reqs: CaseRequirement[]): Email => {
    const vendorCode = reqs.find((r) => r.vendorCode)?.vendorCode;
    return toBroker(s, 'exam-instructions', 'Exam instructions to the broker', {
      template: 'exam-instructions',
      ...base(s),
      requirements: reqs.map((r) => ({ description: r.description, clientAction: r.clientAction ?? 'No action needed from the client' })),
      vendorName: (vendorCode && s.rules.vendors[vendorCode]?.name) || s.carrierName,
    });
  },

  requirementReminder: (s: CaseState, due: CaseRequirement[]): Email => {
    const n = Math.max(...due.map((r) => r.followUpCount));
    const next = due.map((r) => r.nextFollowUpOn ?? today).sort()[0] ?? today;
    return toBroker(s, `reminder:${due.map((r) => r.key).join('+')}:${n}`, `Reminder ${n} about outstanding requirements to the broker`, {
      template: 'reminder',
      ...base(s),
      reminderNumber: n,
      outstanding: due.map((r) => ({ description: r.description, ...(r.clientAction ? { action: r.clientAction } : {}) })),
      nextDeadline: next,
    });
  },

  requirementEscalation: (s: CaseState, reqs: CaseRequirement[]): Email => ({
    key: `escalation:${reqs.map((r) => `${r.key}@${r.followUpCount}`).join('+')}`,
    to: s.rules.caseManagerEmail,
    summary: `Escalation to the case manager: ${reqs.map((r) => r.description).join(', ')}`,
    data: {
      template: 'escalation',
      ...base(s),
      brokerName: s.broker.name,
      reason: `No result after ${Math.max(...reqs.map((r) => r.followUpCount))} follow-ups`,
      outstanding: reqs.map((r) => ({ description: r.description, daysOpen: daysBetween(r.requestedOn, today) })),
      followUps: followUpsSoFar(s),
    },
  }),

  /** An HTTPS vendor without a contact email is chased through its own portal, not by us. */
  vendorFollowUp: (s: CaseState, r: CaseRequirement, vendor: VendorRef): Email | undefined => {
    const to = vendorInbox(vendor);
    if (to === undefined) return undefined;
    return {
      key: `vendor-follow-up:${r.key}:${r.followUpCount}`,
      to,
      summary: `Follow-up ${r.followUpCount} to ${vendor.name} on ${r.description}`,
      data: {
        template: 'vendor-follow-up',
        ...base(s),
        vendorName: vendor.name,
        orderNumber: r.providerOrderNumber ?? r.key,
        requirementDescription: r.description,
        orderedOn: r.requestedOn,
        daysOpen: daysBetween(r.requestedOn, today),
        followUpNumber: r.followUpCount,
      },
    };
  },

  /** An HTTPS vendor without a contact email keeps the order open in its portal until someone closes it there. */
  vendorCancellation: (s: CaseState, r: CaseRequirement, vendor: VendorRef): Email | undefined => {
    const to = vendorInbox(vendor);
    if (to === undefined || !r.providerOrderNumber) return undefined;
    return {
      key: `vendor-cancellation:${r.key}`,
      to,
      summary: `Cancel ${r.description} with ${vendor.name}`,
      data: {
        template: 'vendor-cancellation',
        ...base(s),
        vendorName: vendor.name,
        orderNumber: r.providerOrderNumber,
        requirementDescription: r.description,
        orderedOn: r.requestedOn,
      },
    };
  },

  contractingHold: (s: CaseState, check: { licensed: boolean; appointed: boolean; eoExpiredOn?: string }, episode: number): Email => ({
    key: `contracting-hold:${episode}`,
    to: s.rules.contractingEmail,
    summary: 'Licensing/appointment hold sent to contracting',
    data: {
      template: 'contracting-hold',
      ...base(s),
      brokerName: s.broker.name,
      brokerNpn: s.broker.npn,
      licenseState: s.stateOfSigning as never,
      missingLicense: !check.licensed,
      missingAppointment: !check.appointed,
      ...(check.eoExpiredOn ? { eoExpiredOn: check.eoExpiredOn } : {}),
      heldSince: today,
    },
  }),

  decision: (s: CaseState): Email => {
    const d = s.decision!;
    const outcome =
      d.decision === 'APPROVED_AS_APPLIED'
        ? { outcome: d.decision, riskClass: d.riskClass ?? 'Standard' }
        : d.decision === 'APPROVED_OTHER_THAN_APPLIED'
          ? { outcome: d.decision, offeredRiskClass: d.riskClass ?? 'Standard', ...(d.rating ? { rating: d.rating } : {}) }
          : d.decision === 'POSTPONED'
            ? { outcome: d.decision, reason: d.reason ?? 'Postponed', ...(d.postponeUntil ? { postponeUntil: d.postponeUntil } : {}) }
            : { outcome: d.decision, reason: d.reason ?? 'Declined' };
    return toBroker(s, `decision:${d.decision}`, `Decision (${d.decision.replace(/_/g, ' ').toLowerCase()}) to the broker`, {
      template: 'decision',
      ...base(s),
      ...outcome,
    } as EmailTemplateData);
  },

  issued: (s: CaseState): Email =>
    toBroker(s, 'placement:issued', 'Policy issued: delivery requirements to the broker', {
      template: 'placement',
      ...base(s),
      policyNumber: s.policyNumber!,
      stage: 'ISSUED',
      deliveryRequirements: s.rules.delivery.map((p) => ({ description: p.description })),
    }),

  /** The email that goes with a closing outcome; decline and postponement were told with the decision. */
  outcome: (s: CaseState, openAtClose: CaseRequirement[]): Email | undefined => {
    const o = s.outcome!;
    if (o.outcome === 'PLACED') {
      return toBroker(s, 'placement:placed', 'Placement confirmation to the broker', {
        template: 'placement',
        ...base(s),
        policyNumber: s.policyNumber!,
        stage: 'PLACED',
        placedOn: o.at.slice(0, 10),
      });
    }
    if (o.outcome === 'DECLINED' || o.outcome === 'POSTPONED') return undefined;
    return toBroker(s, `closure:${o.outcome}`, `Closure (${o.outcome.replace(/_/g, ' ').toLowerCase()}) to the broker`, {
      template: 'closure',
      ...base(s),
      reason: o.outcome,
      reasonText: o.reason,
      closedOn: o.at.slice(0, 10),
      outstandingAtClose: [...openAtClose.map((r) => ({ description: r.description })), ...openNigo(s).map((i) => ({ description: i.message }))],
    });
  },

  /**
   * With `keyByOccurrence` the key counts the history entries of the status just set, not all
   * entries: a vendor order that returns before or after the receipt (as a repaired case can
   * replay it) must not turn one "received" email into two keys. Older cases keep the old key.
   */
  requirementUpdate: (s: CaseState, r: CaseRequirement, change: 'ADDED_BY_CARRIER' | 'RECEIVED' | 'WAIVED' | 'REJECTED', keyByOccurrence = false): Email =>
    toBroker(s, requirementUpdateKey(r, change, keyByOccurrence), `${r.description} ${change.replace(/_/g, ' ').toLowerCase()}: broker told`, {
      template: 'requirement-update',
      ...base(s),
      change,
      requirement: { description: r.description, ...(r.clientAction ? { action: r.clientAction } : {}) },
      changedOn: today,
      outstanding: outstanding(s),
    }),

  documentRejected: (s: CaseState, d: CaseDocument): Email => {
    const fulfils = d.requirementKey ? s.requirements.find((r) => r.key === d.requirementKey)?.description : s.nigo.items.find((i) => i.key === d.nigoItemKey)?.message;
    return {
      key: `document:${d.id}:rejected`,
      to: d.replyTo ?? s.broker.email,
      summary: `${d.fileName} rejected: sender told`,
      data: {
        template: 'document-rejected',
        ...base(s),
        fileName: d.fileName,
        receivedOn: d.receivedAt.slice(0, 10),
        reason: d.reviewNote ?? 'it cannot be used',
        ...(fulfils ? { fulfils: fulfils.slice(0, 200) } : {}),
      },
    };
  },
});
