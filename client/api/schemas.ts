import { z } from 'zod';
import type { $ZodRegistry } from 'zod/v4/core';
import {
  AddRequirementSchema,
  CarrierDecisionSchema,
  NoteSchema,
  OfferResponseSchema,
  ReceiveRequirementSchema,
  RecordAppointmentSchema,
  RecheckLicensingSchema,
  ResubmitSchema,
  ReviewDocumentSchema,
  ReviewRequirementSchema,
  ReviewSchema,
  VendorStatusSchema,
  WaiveRequirementSchema,
  WithdrawSchema,
} from '../../domain/actions';
import { ApplicationSchema } from '../../domain/application';
import { REQUIREMENT_CODES } from '../../domain/catalogue';
import { type CaseDocument, DOCUMENT_SOURCES, OUTCOMES, REQUIREMENT_STATUSES, STAGES } from '../../domain/case';
import type { CaseEmail } from '../case-emails';
import type { CaseSummary, OpsActionName } from '../operations';

/*
 * Every schema the API validates with is also what its OpenAPI document says, so the two
 * cannot disagree. Request bodies are the domain's own schemas, minus what the API fills in.
 */

type ComponentMeta = { id?: string; [key: string]: unknown };

/**
 * The API's own registry, not zod's global one: the ids below name OpenAPI components, and
 * registering the domain's shared schemas globally would leak those ids into anyone else's
 * JSON Schema output.
 */
export const apiRegistry: $ZodRegistry<ComponentMeta> = z.registry<ComponentMeta>();

export function component<S extends z.ZodType>(schema: S, id: string, description?: string): S {
  apiRegistry.add(schema, description === undefined ? { id } : { id, description });
  return schema;
}

/** Instead of `.describe()`, which writes to zod's global registry, where the document never looks. */
function described<S extends z.ZodType>(schema: S, description: string): S {
  apiRegistry.add(schema, { description });
  return schema;
}

/**
 * `.omit()` refuses objects with refinements, but the action schemas' refinements (e.g. "scheduledFor
 * is required when SCHEDULED") must still run. None of them reads the omitted keys, so the same
 * checks are attached to the object rebuilt without those keys.
 */
function without<Shape extends z.ZodRawShape, K extends keyof Shape & string>(schema: z.ZodObject<Shape>, keys: readonly K[]) {
  const shape = Object.fromEntries(Object.entries(schema.shape).filter(([k]) => !(keys as readonly string[]).includes(k))) as Omit<Shape, K>;
  const rebuilt = z.object(shape);
  const checks = (schema.def.checks ?? []) as z.core.$ZodCheck<z.output<typeof rebuilt>>[];
  return checks.length ? rebuilt.check(...checks) : rebuilt;
}

export const withoutActor = <Shape extends z.ZodRawShape & { actor: z.ZodType }>(schema: z.ZodObject<Shape>) => without(schema, ['actor']);

/** For a discriminated union such as the carrier decision: every variant loses its actor. */
export function eachWithoutActor<const T extends readonly z.ZodObject<z.ZodRawShape & { actor: z.ZodType }>[]>(options: T) {
  // map() would widen the tuple to an array, and discriminatedUnion needs the tuple.
  return options.map((o) => o.omit({ actor: true })) as unknown as { [I in keyof T]: z.ZodObject<Omit<T[I]['shape'], 'actor'>> };
}

export const ACTOR_NOTE = 'The actor recorded in the case history is `api:<key name>`, taken from the API key; do not send one.';

/** Each action's body: the domain schema the workflow validates with, without `actor`. */
export const ACTION_BODIES = {
  'receive-requirement': component(withoutActor(ReceiveRequirementSchema), 'ReceiveRequirementAction'),
  'waive-requirement': component(withoutActor(WaiveRequirementSchema), 'WaiveRequirementAction'),
  'add-requirement': component(withoutActor(AddRequirementSchema), 'AddRequirementAction'),
  review: component(withoutActor(ReviewSchema), 'ReviewAction'),
  'review-requirement': component(withoutActor(ReviewRequirementSchema), 'ReviewRequirementAction'),
  'vendor-status': component(withoutActor(VendorStatusSchema), 'VendorStatusAction'),
  decision: component(z.discriminatedUnion('decision', eachWithoutActor(CarrierDecisionSchema.options)), 'CarrierDecisionAction'),
  'offer-response': component(withoutActor(OfferResponseSchema), 'OfferResponseAction'),
  'record-appointment': component(withoutActor(RecordAppointmentSchema), 'RecordAppointmentAction'),
  'recheck-licensing': component(withoutActor(RecheckLicensingSchema), 'RecheckLicensingAction'),
  resubmit: component(withoutActor(ResubmitSchema), 'ResubmitAction'),
  withdraw: component(withoutActor(WithdrawSchema), 'WithdrawAction'),
  note: component(withoutActor(NoteSchema), 'NoteAction'),
  'review-document': component(withoutActor(ReviewDocumentSchema), 'ReviewDocumentAction'),
} satisfies Record<OpsActionName, z.ZodType>;

/** The vendor route takes the case and requirement from the path. */
export const VendorStatusBody = component(without(VendorStatusSchema, ['actor', 'key']), 'VendorStatusUpdate');

export const ApplicationBody = component(ApplicationSchema, 'Application', 'The application package as the e-app platform hands it in.');

export const FieldErrorSchema = z.object({
  field: described(z.string(), 'Dotted path such as `insured.dateOfBirth` or `forms.2.code`'),
  message: z.string(),
});

export const LinksSchema = z.object({
  self: described(z.string(), 'This case in the API'),
  temporalUi: described(z.string(), "The case's workflow in the Temporal Web UI"),
});

const ERROR_CODES = [
  'unauthorized',
  'forbidden',
  'not_found',
  'bad_request',
  'invalid_request',
  'invalid_application',
  'already_submitted',
  'action_refused',
  'case_not_ready',
  'action_pending',
  'document_refused',
  'file_too_large',
  'idempotency_key_reused',
  'idempotency_key_in_use',
  'rate_limited',
  'internal_error',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ProblemSchema = component(
  z.object({
    error: z.enum(ERROR_CODES),
    message: z.string(),
    errors: z.array(FieldErrorSchema).optional(),
    caseId: z.string().optional(),
    /** The case's ID for the action: retrying with the same Idempotency-Key sends the same one. */
    requestId: z.string().optional(),
    links: LinksSchema.optional(),
  }),
  'Problem',
  'What went wrong: a stable code to branch on and a message for people.',
);
export type Problem = z.infer<typeof ProblemSchema>;

export const SubmittedSchema = component(
  z.object({ caseId: z.string(), runId: z.string(), links: LinksSchema }),
  'SubmittedApplication',
);

export const CaseSummarySchema = component(
  z.object({
    caseId: z.string(),
    status: z.string(),
    stage: z.string(),
    carrier: z.string(),
    brokerNpn: z.string(),
    faceAmount: z.number(),
    outstanding: z.number().int(),
    outstandingCodes: z.array(z.string()),
    startedAt: z.string(),
    stageEnteredAt: z.string().optional(),
    outcome: z.string().optional(),
  }) satisfies z.ZodType<CaseSummary>,
  'CaseSummary',
);

export const CaseListSchema = z.object({ cases: z.array(CaseSummarySchema) });

/** A JSON response with its own description in the OpenAPI document. */
export const json = <S extends z.ZodType>(schema: S, description: string) => ({ description, content: { 'application/json': { schema } } });

export const PROBLEMS = {
  400: json(ProblemSchema, 'A query, path or header value is not valid (`invalid_request`, with field errors)'),
  401: json(ProblemSchema, 'No API key, or not a known one (`unauthorized`)'),
  403: json(ProblemSchema, "The key's role may not do this (`forbidden`)"),
  404: json(ProblemSchema, 'No such case (`not_found`)'),
};

// Loose objects: the case state carries more than is listed here, and a response must never drop it.
const RequirementStateSchema = z.looseObject({
  key: z.string(),
  code: z.string(),
  description: z.string(),
  status: z.enum(REQUIREMENT_STATUSES),
  vendorCode: z.string().optional(),
  requestedOn: z.string(),
  statusAt: z.string(),
  scheduledFor: z.string().optional(),
  providerOrderNumber: z.string().optional(),
  nextFollowUpOn: z.string().optional(),
});

export const CaseStateSchema = component(
  z.looseObject({
    caseId: z.string(),
    carrierCode: z.string(),
    applicationNumber: z.string(),
    productType: z.string(),
    plan: z.string(),
    faceAmount: z.number(),
    stage: z.enum(STAGES),
    stageEnteredAt: z.string(),
    receivedAt: z.string(),
    lastActivityAt: z.string(),
    requirements: z.array(RequirementStateSchema),
    outcome: z.looseObject({ outcome: z.enum(OUTCOMES), reason: z.string(), at: z.string(), actor: z.string() }).optional(),
  }),
  'CaseState',
  'The case as the workflow holds it now.',
);

export const CaseEmailsSchema = component(
  z.object({
    caseId: z.string(),
    emails: z.array(
      z.object({
        template: z.string(),
        to: z.string(),
        subject: z.string(),
        status: described(z.string(), 'PENDING, SENDING, SENT, FAILED or UNCONFIRMED'),
        sentAt: z.string().nullable(),
        createdAt: z.string(),
      }) satisfies z.ZodType<CaseEmail>,
    ),
    links: LinksSchema,
  }),
  'CaseEmails',
  'Every email the pipeline sent or tried to send for the case, oldest first: what `bga status` lists.',
);

/**
 * What a vendor key sees of a case: the one order it fulfils. No insured, broker, other
 * requirements or staff notes, so an exam or APS vendor learns nothing it was not sent.
 */
export const VendorOrderSchema = component(
  z.object({
    caseId: z.string(),
    applicationNumber: z.string(),
    carrierCode: z.string(),
    caseOpen: described(z.boolean(), 'false once the case has closed; further reports are refused'),
    requirement: z.object({
      key: z.string(),
      code: z.string(),
      description: z.string(),
      status: z.enum(REQUIREMENT_STATUSES),
      requestedOn: z.string(),
      statusAt: z.string(),
      providerOrderNumber: z.string().optional(),
      scheduledFor: z.string().optional(),
      fulfilledOn: z.string().optional(),
      nextFollowUpOn: described(z.string(), 'When the BGA will next chase this order, if it is still open').optional(),
      history: z.array(z.object({ status: z.enum(REQUIREMENT_STATUSES), at: z.string() })),
    }),
  }),
  'VendorOrder',
  'One vendor order on a case, as its vendor sees it.',
);

export const DocumentSchema = component(
  z.object({
    id: z.string(),
    fileName: z.string(),
    contentType: z.string(),
    size: described(z.number().int(), 'Bytes'),
    sha256: described(z.string(), 'SHA-256 of the content: the same file twice is one document'),
    source: z.enum(DOCUMENT_SOURCES),
    sender: z.string(),
    requirementKey: described(z.string(), 'The requirement it fulfils: said on arrival, then what it was accepted for').optional(),
    nigoItemKey: described(z.string(), 'The NIGO item it resolves').optional(),
    receivedAt: z.string(),
    review: described(z.enum(['TO_REVIEW', 'ACCEPTED', 'REJECTED']), 'TO_REVIEW until a case manager accepts or rejects it'),
    reviewedBy: z.string().optional(),
    reviewedAt: z.string().optional(),
    reviewNote: described(z.string(), 'Why it was rejected').optional(),
    forwardedAt: described(z.string(), 'When it went to the carrier').optional(),
  }) satisfies z.ZodType<Omit<CaseDocument, 'replyTo' | 'inboundMailId'>>,
  'Document',
  'A file on a case. Its content is read with GET …/documents/{documentId}/content.',
);

export const DocumentReceiptSchema = component(
  z.object({
    status: described(z.enum(['RECEIVED', 'DUPLICATE']), 'DUPLICATE: the case already had this very file; nothing new was stored'),
    document: DocumentSchema,
  }),
  'DocumentReceipt',
);

export const DocumentListSchema = z.object({ caseId: z.string(), documents: z.array(DocumentSchema), links: LinksSchema });

export const CaseParams = z.object({ caseId: z.string().min(1).max(200) });
export const RequirementParams = CaseParams.extend({ key: z.string().trim().min(2).max(80) });
export const DocumentParams = CaseParams.extend({ documentId: z.string().regex(/^doc-[0-9a-f]{20}$/, 'must be a document ID such as doc-1a2b3c4d5e6f70819203') });

export const CaseListQuery = z.object({
  stage: z.enum(STAGES).optional(),
  carrier: z.string().regex(/^[A-Z0-9_]{2,20}$/, 'must be a carrier code such as SUMMIT').optional(),
  broker: described(z.string().regex(/^\d{4,10}$/, 'must be a National Producer Number of 4-10 digits'), "The broker's NPN").optional(),
  outstanding: described(z.enum(REQUIREMENT_CODES), 'Only cases with this requirement code still open').optional(),
  olderThanDays: described(z.coerce.number().int().min(0).max(3650), 'Only cases received at least this many days ago').optional(),
  all: described(z.stringbool(), 'true to include closed cases').optional(),
});

export const IdempotencyHeaders = z.looseObject({
  'idempotency-key': described(
    z.string().regex(/^[\x21-\x7E]{1,200}$/, 'must be 1-200 visible ASCII characters'),
    'Retry with the same key and body to get the first answer again, without acting twice',
  ).optional(),
});
