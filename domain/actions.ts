import { z } from 'zod';
import { isoDate, oneLine } from './application';
import { REQUIREMENT_CODES, US_STATES } from './catalogue';

/*
 * What operations staff, vendors and carriers can tell a running case. Callers check the
 * input with these schemas before sending it, and the case parses it again on arrival.
 */

const actor = z
  .string()
  .trim()
  .min(1, 'must name who did this')
  .max(80, 'must be at most 80 characters')
  .regex(/^[\w.@ :'-]+$/u, 'may use letters, digits, spaces and . @ : \' - only');

const note = z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters');
/** Reasons and classes are quoted in emails to brokers, so they are one line. */
const reason = oneLine(500);
const requirementKey = z.string().trim().min(2).max(80);

export const ReceiveRequirementSchema = z.object({
  actor,
  key: requirementKey,
  receivedOn: isoDate.optional(),
  note: note.optional(),
});

export const WaiveRequirementSchema = z.object({ actor, key: requirementKey, reason });

export const AddRequirementSchema = z.object({
  actor,
  code: z.enum(REQUIREMENT_CODES, { message: 'must be a known requirement code' }),
  /** CARRIER when underwriting asks for it, MANUAL when the case manager adds it. */
  source: z.enum(['CARRIER', 'MANUAL']),
  description: oneLine(200).optional(),
  carrierOrderNumber: z.string().trim().min(1).max(40).optional(),
  physician: z
    .object({ name: z.string().trim().min(1).max(80), phone: z.string().trim().min(7).max(20), practice: z.string().trim().max(120).optional() })
    .optional(),
  note: note.optional(),
});

/** The case manager's completeness review: resolve items, return new ones, or confirm good order. */
export const ReviewSchema = z
  .object({
    actor,
    resolvedItems: z.array(z.string().min(1).max(120)).max(50).default([]),
    returnItems: z.array(oneLine(200)).max(20).default([]),
    inGoodOrder: z.boolean().default(false),
    note: note.optional(),
  })
  .refine((r) => r.resolvedItems.length > 0 || r.returnItems.length > 0 || r.inGoodOrder, {
    message: 'must resolve items, return items, or confirm in good order',
  })
  .refine((r) => !(r.inGoodOrder && r.returnItems.length > 0), {
    message: 'cannot confirm good order and return items at once',
    path: ['inGoodOrder'],
  });

/** An underwriter's or case manager's review of a received requirement. */
export const ReviewRequirementSchema = z.object({
  actor,
  key: requirementKey,
  result: z.enum(['ACCEPTED', 'REJECTED']),
  note: note.optional(),
});

export const VendorStatusSchema = z
  .object({
    actor,
    key: requirementKey,
    status: z.enum(['SCHEDULED', 'COMPLETED', 'DELAYED', 'CANCELLED']),
    scheduledFor: isoDate.optional(),
    providerOrderNumber: z.string().trim().min(1).max(40).optional(),
    note: note.optional(),
  })
  .refine((v) => v.status !== 'SCHEDULED' || v.scheduledFor !== undefined, {
    message: 'is required when the status is SCHEDULED',
    path: ['scheduledFor'],
  });

export const CarrierDecisionSchema = z.discriminatedUnion('decision', [
  z.object({ actor, decision: z.literal('APPROVED_AS_APPLIED'), riskClass: oneLine(60), note: note.optional() }),
  z.object({
    actor,
    decision: z.literal('APPROVED_OTHER_THAN_APPLIED'),
    riskClass: oneLine(60),
    rating: oneLine(60).optional(),
    note: note.optional(),
  }),
  z.object({ actor, decision: z.literal('POSTPONED'), reason, postponeUntil: isoDate.optional() }),
  z.object({ actor, decision: z.literal('DECLINED'), reason }),
  z.object({ actor, decision: z.literal('ISSUED'), policyNumber: z.string().trim().regex(/^[A-Za-z0-9-]{4,30}$/, 'must be 4-30 letters, digits or dashes') }),
]);

export const OfferResponseSchema = z.object({ actor, accepted: z.boolean(), note: note.optional() });

export const RecordAppointmentSchema = z
  .object({
    actor,
    appointedOn: isoDate,
    license: z
      .object({
        state: z.enum(US_STATES, { message: 'must be a two-letter US state code' }),
        licenseNumber: oneLine(30),
        expiresOn: isoDate,
      })
      .optional(),
  })
  .refine((a) => !a.license || a.license.expiresOn >= a.appointedOn, {
    message: 'must not be before the appointment date: an expired licence cannot release a hold',
    path: ['license', 'expiresOn'],
  });

/** Contracting updated a licence or appointment outside the case: check the hold again now. */
export const RecheckLicensingSchema = z.object({ actor });

/** What the broker's contracting request with the case's carrier came to, sent by the contracting workflow. */
export const ContractingOutcomeSchema = z.object({
  actor,
  contractingId: z.string().regex(/^contracting-\d{4,10}-[a-z0-9_-]+$/, 'must be a contracting reference such as contracting-1234567-summit'),
  carrierCode: oneLine(40),
  outcome: z.enum(['APPOINTED', 'DECLINED']),
  appointedOn: isoDate.optional(),
  reason: reason.optional(),
});

/** The carrier refused the ACORD 103 for good; what it objected to is fixed, so send it again. */
export const ResubmitSchema = z.object({ actor, note: note.optional() });

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the file, 64 hex digits');
const nigoItemKey = z.string().trim().min(1).max(120);

/** A file stored in the document store for this case; sent by the document intake, not typed by people. */
export const ReceiveDocumentSchema = z.object({
  actor,
  documentId: z.string().regex(/^doc-[0-9a-f]{20}$/, 'must be a document ID such as doc-1a2b…'),
  sha256,
  fileName: oneLine(200),
  contentType: z.enum(['application/pdf', 'image/tiff', 'image/jpeg', 'image/png'], { message: 'must be a PDF, TIFF, JPEG or PNG' }),
  size: z.number().int().min(1),
  source: z.enum(['UPLOAD', 'CLI', 'EMAIL']),
  sender: oneLine(200),
  replyTo: z.email({ message: 'must be an email address' }).optional(),
  inboundMailId: z.string().min(1).max(80).optional(),
  requirementKey: requirementKey.optional(),
  nigoItemKey: nigoItemKey.optional(),
});

/** A case manager's review of a received document: accepted for a requirement or NIGO item, or rejected with what is wrong. */
export const ReviewDocumentSchema = z
  .object({
    actor,
    documentId: z.string().trim().min(1, 'must name the document').max(200),
    result: z.enum(['ACCEPTED', 'REJECTED']),
    requirementKey: requirementKey.optional(),
    nigoItemKey: nigoItemKey.optional(),
    reason: reason.optional(),
  })
  .refine((r) => r.result !== 'REJECTED' || r.reason !== undefined, {
    message: 'is required when a document is rejected: the sender is told what is wrong',
    path: ['reason'],
  });

export const WithdrawSchema = z.object({ actor, reason });
export const NoteSchema = z.object({ actor, text: note });

/** Each action's input, by the name the CLI and the API give the action. */
export const ActionSchemas = {
  'receive-requirement': ReceiveRequirementSchema,
  'waive-requirement': WaiveRequirementSchema,
  'add-requirement': AddRequirementSchema,
  review: ReviewSchema,
  'review-requirement': ReviewRequirementSchema,
  'vendor-status': VendorStatusSchema,
  decision: CarrierDecisionSchema,
  'offer-response': OfferResponseSchema,
  'record-appointment': RecordAppointmentSchema,
  'recheck-licensing': RecheckLicensingSchema,
  resubmit: ResubmitSchema,
  withdraw: WithdrawSchema,
  note: NoteSchema,
  'receive-document': ReceiveDocumentSchema,
  'review-document': ReviewDocumentSchema,
  'contracting-outcome': ContractingOutcomeSchema,
} as const;

export type ReceiveRequirement = z.infer<typeof ReceiveRequirementSchema>;
export type WaiveRequirement = z.infer<typeof WaiveRequirementSchema>;
export type AddRequirement = z.infer<typeof AddRequirementSchema>;
export type Review = z.input<typeof ReviewSchema>;
export type ReviewRequirement = z.infer<typeof ReviewRequirementSchema>;
export type VendorStatus = z.infer<typeof VendorStatusSchema>;
export type CarrierDecision = z.infer<typeof CarrierDecisionSchema>;
export type OfferResponse = z.infer<typeof OfferResponseSchema>;
export type RecordAppointment = z.infer<typeof RecordAppointmentSchema>;
export type Withdraw = z.infer<typeof WithdrawSchema>;
export type Resubmit = z.infer<typeof ResubmitSchema>;
export type RecheckLicensing = z.infer<typeof RecheckLicensingSchema>;
export type Note = z.infer<typeof NoteSchema>;
export type ReceiveDocument = z.infer<typeof ReceiveDocumentSchema>;
export type ReviewDocument = z.infer<typeof ReviewDocumentSchema>;

/** A field left out says so plainly, instead of naming the type the schema expected there. */
const plainly = (issue: { code: string; input?: unknown }): string | undefined =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined;

const problemsOf = (error: z.ZodError) => error.issues.map((i) => ({ field: i.path.length ? i.path.join('.') : '(input)', message: i.message }));

/** What is wrong with an action's input, field by field; empty when it parses. */
export function actionProblems(schema: z.ZodType, input: unknown): { field: string; message: string }[] {
  const res = schema.safeParse(input, { error: plainly });
  return res.success ? [] : problemsOf(res.error);
}

/** Parses an action's input: the value, or what is wrong with it field by field. */
export function parseActionInput<T>(schema: z.ZodType<T>, input: unknown): { ok: true; data: T } | { ok: false; problems: { field: string; message: string }[] } {
  const res = schema.safeParse(input, { error: plainly });
  return res.success ? { ok: true, data: res.data } : { ok: false, problems: problemsOf(res.error) };
}
