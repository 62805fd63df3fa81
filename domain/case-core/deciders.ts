import type { z } from 'zod';
import type * as Actions from '../actions';
import { type CaseDocument, type CaseRequirement, isOpen } from '../case';
import { planRequirement } from '../planning';
import { physicianSlug } from '../physician';
import type { CaseCore } from './core';
import { type ActionName, Refusal, refuse } from './requests';

/*
 * What each ops action checks against the case and then changes. A check throws Refusal and
 * changes nothing; apply only runs on an action that passed its check.
 */

/**
 * The action schemas, built on first use. The worker shares this module among its workflows
 * (worker/bundle.ts `preloadModules`), so the first action any case takes builds them and every
 * case after it reuses them; built per workflow they cost a case about 1.4 MB and 15 ms on its
 * first action. Plain Node (the client, tests) simply loads them once.
 */
let actions: typeof Actions | undefined;
const schemas = (): typeof Actions => (actions ??= require('../actions') as typeof Actions);

/** Requirement emails keyed by occurrence of the status (see requirementUpdate in emails.ts). */
export const REQUIREMENT_EMAIL_KEYS = 'requirement-email-key-by-occurrence';


interface Decider<T> {
  parse(input: unknown): T;
  check(core: CaseCore, a: T): void;
  apply(core: CaseCore, a: T): void;
}

function decider<S extends z.ZodType>(
  schema: (a: typeof Actions) => S,
  check: (core: CaseCore, a: z.output<S>) => void,
  apply: (core: CaseCore, a: z.output<S>) => void,
): Decider<z.output<S>> {
  return {
    parse: (input) => {
      const parsed = schemas().parseActionInput(schema(schemas()) as z.ZodType<z.output<S>>, input);
      if (!parsed.ok) throw new Refusal(parsed.problems);
      return parsed.data;
    },
    check,
    apply,
  };
}

const nothingToCheck = () => {};

function requirement(core: CaseCore, key: string, mustBeOpen = true): CaseRequirement {
  const r = core.book.requirement(key);
  if (!r) {
    const keys = core.state.requirements.map((x) => x.key).join(', ') || 'none yet';
    return refuse('key', `no requirement "${key}" on this case (requirements: ${keys})`);
  }
  if (mustBeOpen && !isOpen(r)) refuse('key', `requirement ${key} is already ${r.status.toLowerCase()}`);
  return r;
}

function document(core: CaseCore, ref: string): CaseDocument {
  const docs = core.state.documents ?? [];
  const matches = docs.filter((d) => d.id === ref || d.fileName === ref);
  if (matches.length === 1) return matches[0]!;
  const listed = docs.map((d) => `${d.id} (${d.fileName})`).join(', ') || 'none yet';
  if (matches.length > 1) return refuse('documentId', `${matches.length} documents are named "${ref}"; give the document ID: ${listed}`);
  return refuse('documentId', `no document "${ref}" on this case (documents: ${listed})`);
}

function nigoItem(core: CaseCore, key: string) {
  const item = core.state.nigo.items.find((i) => i.key === key);
  if (!item) refuse('nigoItemKey', `no NIGO item "${key}" on this case (items: ${core.state.nigo.items.map((i) => i.key).join(', ') || 'none'})`);
  return item!;
}

/** What an accepted document is for: what the reviewer names, else what it arrived for. */
function acceptedFor(core: CaseCore, d: CaseDocument, a: Actions.ReviewDocument): { requirement?: CaseRequirement; item?: CaseCore['state']['nigo']['items'][number] } {
  const requirementKey = a.requirementKey ?? (a.nigoItemKey ? undefined : d.requirementKey);
  const itemKey = a.nigoItemKey ?? (a.requirementKey ? undefined : d.nigoItemKey);
  if (!requirementKey && !itemKey) {
    const open = core.state.requirements.filter(isOpen).map((r) => r.key);
    const items = core.state.nigo.items.filter((i) => !i.resolved).map((i) => i.key);
    refuse('requirementKey', `say which requirement or NIGO item ${d.fileName} fulfils (open requirements: ${open.join(', ') || 'none'}; open NIGO items: ${items.join(', ') || 'none'})`);
  }
  return {
    ...(requirementKey ? { requirement: requirement(core, requirementKey, false) } : {}),
    ...(itemKey ? { item: nigoItem(core, itemKey) } : {}),
  };
}

const requirementEmail = (core: CaseCore, r: CaseRequirement, change: 'ADDED_BY_CARRIER' | 'RECEIVED' | 'WAIVED' | 'REJECTED') =>
  core.send(core.emails.requirementUpdate(core.state, r, change, core.patched(REQUIREMENT_EMAIL_KEYS)));

/** Each action's own input type is erased here: the action name picks the decider, and its parse gives the input its check and apply expect. */
export const DECIDERS: Record<ActionName, Decider<any>> = {
  'receive-requirement': decider(
    (a) => a.ReceiveRequirementSchema,
    (core, a) => void requirement(core, a.key),
    (core, a) => {
      const r = requirement(core, a.key);
      r.fulfilledOn = a.receivedOn ?? core.today();
      r.nextFollowUpOn = undefined;
      core.book.setStatus(r, 'RECEIVED', a.actor, a.note);
      if (r.fulfiller === 'BROKER' || r.vendorCode) requirementEmail(core, r, 'RECEIVED');
    },
  ),

  'waive-requirement': decider(
    (a) => a.WaiveRequirementSchema,
    (core, a) => void requirement(core, a.key),
    (core, a) => {
      const r = requirement(core, a.key);
      r.nextFollowUpOn = undefined;
      core.book.setStatus(r, 'WAIVED', a.actor, a.reason);
      requirementEmail(core, r, 'WAIVED');
    },
  ),

  'add-requirement': decider(
    (a) => a.AddRequirementSchema,
    nothingToCheck,
    (core, a) => {
      const s = core.state;
      const phase = s.stage === 'PLACEMENT' ? 'DELIVERY' : s.submission ? 'UNDERWRITING' : 'PRE_SUBMISSION';
      const planned = planRequirement(a.code, a.source, phase, s.rules.vendorByKind);
      const base = a.physician ? `${a.code}:${physicianSlug(a.physician.name)}` : a.code;
      let key = base;
      for (let n = 2; core.book.requirement(key); n++) key = `${base}:${n}`;
      const r = core.addPlanned(
        { ...planned, key, ...(a.description ? { description: a.description } : {}), ...(a.physician ? { physician: a.physician } : {}) },
        a.actor,
      );
      if (a.carrierOrderNumber) r.carrierOrderNumber = a.carrierOrderNumber;
      if (a.note) core.book.event('NOTE', a.actor, a.note);
      requirementEmail(core, r, 'ADDED_BY_CARRIER');
    },
  ),

  review: decider(
    (a) => a.ReviewSchema,
    (core, a) => {
      const s = core.state;
      if (s.stage !== 'COMPLETENESS_REVIEW') refuse(undefined, `The completeness review is over; the case is in ${s.stage}.`);
      const keys = new Set(s.nigo.items.map((i) => i.key));
      const unknown = a.resolvedItems.filter((k) => !keys.has(k));
      if (unknown.length) refuse('resolvedItems', `unknown item(s) ${unknown.join(', ')}; items are ${[...keys].join(', ')}`);
    },
    (core, a) => {
      const s = core.state;
      const resolved = a.inGoodOrder ? s.nigo.items.filter((i) => !i.resolved).map((i) => i.key) : a.resolvedItems;
      for (const item of s.nigo.items) if (resolved.includes(item.key)) item.resolved = true;
      if (resolved.length) core.book.event('NIGO_RESOLVED', a.actor, `Resolved: ${resolved.join(', ')}`, { keys: resolved });
      if (a.returnItems.length) {
        const n = s.nigo.items.length;
        a.returnItems.forEach((message, i) => s.nigo.items.push({ key: `RETURNED:${n + i + 1}`, kind: 'MISSING_FIELD', message, resolved: false }));
        core.book.event('NIGO_RETURNED', a.actor, `Returned to the broker: ${a.returnItems.join('; ')}`);
        s.nigo.noticeSentAt ??= core.now();
        s.nigo.nextReminderOn = core.addDays(core.today(), s.rules.followUp.brokerReminderBusinessDays);
        const closeOn = core.addDays(s.nigo.noticeSentAt.slice(0, 10), s.rules.followUp.closeIncompleteAfterBusinessDays);
        core.send(core.emails.nigo(s, closeOn, `nigo:returned:${n}`));
      }
      if (a.note) core.book.event('NOTE', a.actor, a.note);
    },
  ),

  'review-requirement': decider(
    (a) => a.ReviewRequirementSchema,
    (core, a) => {
      const r = requirement(core, a.key, false);
      if (r.status !== 'RECEIVED') refuse('key', `requirement ${a.key} is ${r.status.toLowerCase()}; only received requirements can be reviewed`);
    },
    (core, a) => {
      const s = core.state;
      const r = requirement(core, a.key, false);
      if (a.result === 'ACCEPTED') {
        core.book.setStatus(r, 'REVIEWED', a.actor, a.note);
        return;
      }
      r.fulfilledOn = undefined;
      const cadence = r.vendorCode ? s.rules.vendors[r.vendorCode]?.followUpBusinessDays : undefined;
      r.nextFollowUpOn = core.addDays(core.today(), cadence ?? s.rules.followUp.brokerReminderBusinessDays);
      core.book.setStatus(r, 'OUTSTANDING', a.actor, `rejected on review${a.note ? `: ${a.note}` : ''}`);
      requirementEmail(core, r, 'REJECTED');
    },
  ),

  'vendor-status': decider(
    (a) => a.VendorStatusSchema,
    (core, a) => {
      if (!requirement(core, a.key).vendorCode) refuse('key', `requirement ${a.key} is not fulfilled by a vendor`);
    },
    (core, a) => {
      const r = requirement(core, a.key);
      if (a.providerOrderNumber) r.providerOrderNumber = a.providerOrderNumber;
      if (a.status === 'SCHEDULED') {
        r.scheduledFor = a.scheduledFor;
        r.nextFollowUpOn = core.addDays(a.scheduledFor!, 1);
        core.book.setStatus(r, 'SCHEDULED', a.actor, `scheduled for ${a.scheduledFor}${a.note ? ` — ${a.note}` : ''}`);
      } else if (a.status === 'COMPLETED') {
        r.fulfilledOn = core.today();
        r.nextFollowUpOn = undefined;
        core.book.setStatus(r, 'RECEIVED', a.actor, a.note ?? 'completed by the vendor');
      } else if (a.status === 'CANCELLED') {
        r.nextFollowUpOn = undefined;
        core.book.setStatus(r, 'CANCELLED', a.actor, a.note ?? 'cancelled by the vendor');
      } else {
        core.book.event('VENDOR_DELAY', a.actor, `${r.description}: the vendor reports a delay${a.note ? ` — ${a.note}` : ''}`, { key: r.key });
        core.book.touch(r);
      }
    },
  ),

  decision: decider(
    (a) => a.CarrierDecisionSchema,
    (core, a) => {
      const s = core.state;
      if (a.decision === 'ISSUED') {
        if (s.stage !== 'APPROVED') refuse('decision', `a policy is issued only once the case is approved (and any offer accepted); it is in ${s.stage}`);
      } else if (s.stage !== 'UNDERWRITING' || s.decision) {
        refuse('decision', `underwriting decisions are taken in UNDERWRITING; the case is in ${s.stage}${s.decision ? ` with decision ${s.decision.decision}` : ''}`);
      }
    },
    (core, a) => {
      const s = core.state;
      if (a.decision === 'ISSUED') {
        s.policyNumber = a.policyNumber;
        core.book.event('ISSUED', a.actor, `Policy ${a.policyNumber} issued`);
        return;
      }
      s.decision = {
        decision: a.decision,
        at: core.now(),
        actor: a.actor,
        ...('riskClass' in a ? { riskClass: a.riskClass } : {}),
        ...('rating' in a && a.rating ? { rating: a.rating } : {}),
        ...('reason' in a ? { reason: a.reason } : {}),
        ...('postponeUntil' in a && a.postponeUntil ? { postponeUntil: a.postponeUntil } : {}),
      };
      core.book.event('DECISION', a.actor, `Carrier decision: ${a.decision.replace(/_/g, ' ').toLowerCase()}`, { decision: a.decision });
      core.send(core.emails.decision(s));
    },
  ),

  'offer-response': decider(
    (a) => a.OfferResponseSchema,
    (core) => {
      if (core.state.stage !== 'OFFER_PENDING') refuse('accepted', `no counter-offer is pending; the case is in ${core.state.stage}`);
    },
    (core, a) => {
      core.state.offerAccepted = a.accepted;
      core.book.event('OFFER_RESPONSE', a.actor, a.accepted ? 'The client accepted the counter-offer' : 'The client declined the counter-offer');
      if (a.note) core.book.event('NOTE', a.actor, a.note);
    },
  ),

  'record-appointment': decider(
    (a) => a.RecordAppointmentSchema,
    nothingToCheck,
    (core, a) => core.effect({ kind: 'record-appointment', appointedOn: a.appointedOn, actor: a.actor, ...(a.license ? { license: a.license } : {}) }),
  ),

  'recheck-licensing': decider(
    (a) => a.RecheckLicensingSchema,
    (core) => {
      if (core.state.stage !== 'LICENSING_HOLD') refuse(undefined, `The case is not held for licensing; it is in ${core.state.stage}.`);
    },
    (core, a) => {
      core.book.event('LICENSING_RECHECK', a.actor, 'Licence and appointment re-check requested');
      core.licensingRecheck = true;
    },
  ),

  'contracting-outcome': decider(
    (a) => a.ContractingOutcomeSchema,
    nothingToCheck,
    (core, a) => {
      if (a.outcome === 'APPOINTED') {
        core.book.event('CONTRACTING_APPOINTED', a.actor, `Broker appointed with ${a.carrierCode}${a.appointedOn ? ` on ${a.appointedOn}` : ''} (${a.contractingId})`, {
          contractingId: a.contractingId,
        });
        // A case not yet at the gate finds the appointment there; a held one checks again now.
        if (core.state.stage === 'LICENSING_HOLD') core.licensingRecheck = true;
        return;
      }
      core.book.event('CONTRACTING_DECLINED', a.actor, `${a.carrierCode} declined to appoint the broker: ${a.reason ?? 'no reason given'} (${a.contractingId})`, {
        contractingId: a.contractingId,
      });
    },
  ),

  resubmit: decider(
    (a) => a.ResubmitSchema,
    (core) => {
      if (!core.state.submissionRefused) refuse(undefined, `The carrier has not refused a submission of this case; it is in ${core.state.stage}, with nothing to resubmit.`);
    },
    (core, a) => {
      core.book.event('RESUBMIT_REQUESTED', a.actor, `Submission to ${core.state.carrierName} to be sent again${a.note ? ` — ${a.note}` : ''}`);
      core.resubmitRequested = true;
    },
  ),

  withdraw: decider(
    (a) => a.WithdrawSchema,
    nothingToCheck,
    (core, a) => core.closeCase(core.state.policyNumber ? 'NOT_TAKEN' : 'WITHDRAWN', a.reason, a.actor),
  ),

  note: decider(
    (a) => a.NoteSchema,
    nothingToCheck,
    (core, a) => void core.book.event('NOTE', a.actor, a.text),
  ),

  'receive-document': decider(
    (a) => a.ReceiveDocumentSchema,
    (core, a) => {
      const same = (core.state.documents ?? []).find((d) => d.sha256 === a.sha256);
      if (same) refuse('file', `is the same file as ${same.fileName} (${same.id}), received on ${same.receivedAt.slice(0, 10)}; it is kept once`);
      if (a.requirementKey) requirement(core, a.requirementKey, false);
      if (a.nigoItemKey) nigoItem(core, a.nigoItemKey);
    },
    (core, a) => {
      const { actor, documentId, ...fields } = a;
      const d: CaseDocument = { id: documentId, ...fields, receivedAt: core.now(), review: 'TO_REVIEW' };
      (core.state.documents ??= []).push(d);
      const target = d.requirementKey ?? d.nigoItemKey;
      core.book.event('DOCUMENT_RECEIVED', actor, `Received ${d.fileName}${target ? ` for ${target}` : ''} by ${d.source.toLowerCase()} from ${d.sender}; to review`, {
        document: { ...d },
      });
    },
  ),

  'review-document': decider(
    (a) => a.ReviewDocumentSchema,
    (core, a) => {
      const d = document(core, a.documentId);
      if (d.review !== 'TO_REVIEW') refuse('documentId', `${d.fileName} was already ${d.review.toLowerCase()} by ${d.reviewedBy} on ${d.reviewedAt?.slice(0, 10)}`);
      if (a.result === 'ACCEPTED') acceptedFor(core, d, a);
    },
    (core, a) => {
      const d = document(core, a.documentId);
      d.reviewedBy = a.actor;
      d.reviewedAt = core.now();
      if (a.result === 'REJECTED') {
        d.review = 'REJECTED';
        d.reviewNote = a.reason;
        core.book.event('DOCUMENT_REJECTED', a.actor, `Rejected ${d.fileName}: ${a.reason}`, { documentId: d.id, reason: a.reason });
        core.send(core.emails.documentRejected(core.state, d));
        return;
      }
      const { requirement: r, item } = acceptedFor(core, d, a);
      d.review = 'ACCEPTED';
      if (r) d.requirementKey = r.key;
      if (item) d.nigoItemKey = item.key;
      core.book.event('DOCUMENT_ACCEPTED', a.actor, `Accepted ${d.fileName} for ${[r?.key, item?.key].filter(Boolean).join(' and ')}`, {
        documentId: d.id,
        ...(r ? { requirementKey: r.key } : {}),
        ...(item ? { nigoItemKey: item.key } : {}),
      });
      if (r && isOpen(r)) {
        r.fulfilledOn = core.today();
        r.nextFollowUpOn = undefined;
        core.book.setStatus(r, 'RECEIVED', a.actor, `document ${d.fileName}`);
        if (r.fulfiller === 'BROKER' || r.vendorCode) requirementEmail(core, r, 'RECEIVED');
      }
      if (item && !item.resolved) {
        item.resolved = true;
        core.book.event('NIGO_RESOLVED', a.actor, `Resolved: ${item.key} (document ${d.fileName})`, { keys: [item.key] });
      }
      // Before submission the ACORD 103 carries it; afterwards it follows in a transmittal of its own.
      if (core.state.submission) core.effect({ kind: 'forward-document', documentId: d.id });
    },
  ),
};
