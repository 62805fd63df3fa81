import { z } from 'zod';
import { FORM_CODES, PRODUCT_TYPES, REQUIREMENT_CODES, US_STATES } from './catalogue';

/*
 * The application package as a carrier e-app platform or a case manager hands it in.
 * Everything past this schema may trust its shape; rules that need carrier data
 * (known carrier, product, grid availability) live in domain/intake.ts.
 */

/**
 * One line of text. Values end up in email subjects, ACORD XML and the Web UI, so control
 * characters, line breaks and bidirectional overrides (which make text display misleadingly)
 * are refused at the door.
 */
export const oneLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u001F\u007F\u2028\u2029]/.test(s), 'must be one line without control characters')
    .refine((s) => !/[\u202A-\u202E\u2066-\u2069]/.test(s), 'must not contain bidirectional override characters');

const text = oneLine;

const personName = text(80)
  .refine((s) => !/[<>{}]/.test(s), 'must not contain <, >, { or }')
  .refine((s) => /\p{L}/u.test(s), 'must contain a letter');

export const isoDate = z.iso.date({ message: 'must be a date as YYYY-MM-DD' });

const usState = z.enum(US_STATES, { message: 'must be a two-letter US state code' });

const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ().-]{7,20}$/, 'must be a phone number such as 555-201-3344')
  .refine((s) => (s.match(/\d/g) ?? []).length >= 7, 'must have at least 7 digits');

const ssn = z
  .string()
  .trim()
  .regex(/^\d{3}-?\d{2}-?\d{4}$/, 'must be nine digits, as 123-45-6789')
  .refine((s) => {
    const d = s.replace(/-/g, '');
    return !d.startsWith('000') && !d.startsWith('666') && !d.startsWith('9') && d.slice(3, 5) !== '00' && d.slice(5) !== '0000';
  }, 'is not a valid SSN (area 000, 666 or 9xx, group 00 or serial 0000)');

export const AddressSchema = z.strictObject({
  line1: text(120),
  line2: text(120).optional(),
  city: text(60),
  state: usState,
  zip: z
    .string()
    .trim()
    .regex(/^\d{5}(-\d{4})?$/, 'must be a ZIP code such as 30301 or 30301-1234')
    .refine((z5) => !z5.startsWith('00000'), 'is not a valid ZIP code'),
});

/** The broker as an application names them; `bga broker` records brokers by the same rules. */
export const BrokerSchema = z.strictObject({
  npn: z.string().trim().regex(/^\d{4,10}$/, 'must be a National Producer Number of 4-10 digits'),
  name: personName,
  email: z.email({ message: 'must be an email address' }).max(254),
  agency: text(120).optional(),
});

export const PersonSchema = z.strictObject({
  firstName: personName,
  middleName: personName.optional(),
  lastName: personName,
  dateOfBirth: isoDate,
  sex: z.enum(['M', 'F'], { message: 'must be M or F' }),
  ssn,
  email: z.email({ message: 'must be an email address' }).max(254).optional(),
  phone: phone.optional(),
  address: AddressSchema.optional(),
});

export const InsuredSchema = PersonSchema.extend({
  tobacco: z.boolean({ message: 'must be true or false' }),
  // Exam and APS vendors schedule with the insured by phone at this address.
  phone,
  address: AddressSchema,
});

const EntitySchema = z.strictObject({
  kind: z.literal('ENTITY'),
  name: text(120),
  taxId: z.string().trim().regex(/^\d{2}-?\d{7}$/, 'must be an EIN such as 12-3456789'),
  address: AddressSchema,
});

/** Owner or payor, when not the insured: a person or an entity such as a trust. */
export const OtherPartySchema = z.discriminatedUnion('kind', [
  PersonSchema.extend({ kind: z.literal('PERSON'), relationship: text(40) }),
  EntitySchema.extend({ relationship: text(40) }),
]);

export const PhysicianSchema = z.strictObject({
  name: personName,
  practice: text(120).optional(),
  phone,
  fax: phone.optional(),
  address: AddressSchema.optional(),
});

export const DisclosureSchema = z.strictObject({
  condition: text(200),
  diagnosedOn: isoDate.optional(),
  treatment: text(500).optional(),
  physician: PhysicianSchema,
});

export const FormSchema = z.strictObject({
  code: z.enum(FORM_CODES, { message: `must be one of ${FORM_CODES.join(', ')}` }),
  signedByInsured: z.boolean(),
  signedByOwner: z.boolean().optional(),
  signedByAgent: z.boolean(),
  dated: z.boolean(),
});

export const ReceivedDocumentSchema = z.strictObject({
  code: z.enum(REQUIREMENT_CODES, { message: 'must be a known requirement code' }),
  receivedOn: isoDate,
  description: text(200).optional(),
});

export const ApplicationSchema = z
  .strictObject({
    applicationNumber: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,29}$/, 'must be 3-30 letters, digits or dashes'),
    carrier: z.string().trim().regex(/^[A-Z0-9_]{2,20}$/, 'must be a carrier code such as SUMMIT'),
    product: z.strictObject({
      type: z.enum(PRODUCT_TYPES, { message: `must be one of ${PRODUCT_TYPES.join(', ')}` }),
      plan: text(40),
      faceAmount: z
        .number({ message: 'must be a number of dollars' })
        .int('must be whole dollars')
        .min(10_000, 'must be at least $10,000')
        .max(100_000_000, 'must be at most $100,000,000'),
      termYears: z.number().int().min(5).max(40).optional(),
    }),
    stateOfSigning: usState,
    signedOn: isoDate,
    insured: InsuredSchema,
    owner: OtherPartySchema.optional(),
    payor: OtherPartySchema.optional(),
    broker: BrokerSchema,
    medical: z.strictObject({ disclosures: z.array(DisclosureSchema).max(30, 'must list at most 30 disclosures') }),
    replacement: z.strictObject({
      hasExistingCoverage: z.boolean(),
      isReplacing: z.boolean(),
      replacedPolicies: z
        .array(z.strictObject({ carrier: text(80), policyNumber: text(40), faceAmount: z.number().int().positive() }))
        .max(10)
        .optional(),
    }),
    forms: z.array(FormSchema).max(30),
    documents: z.array(ReceivedDocumentSchema).max(50).default([]),
  })
  .superRefine((app, ctx) => {
    if (app.product.type === 'TERM' && app.product.termYears === undefined) {
      ctx.addIssue({ code: 'custom', path: ['product', 'termYears'], message: 'is required for term products' });
    }
    if (app.replacement.isReplacing && !app.replacement.replacedPolicies?.length) {
      ctx.addIssue({ code: 'custom', path: ['replacement', 'replacedPolicies'], message: 'must list the policies being replaced' });
    }
    if (app.insured.dateOfBirth > app.signedOn) {
      ctx.addIssue({ code: 'custom', path: ['insured', 'dateOfBirth'], message: 'must be before the signing date' });
    }
    const seen = new Set<string>();
    app.forms.forEach((f, i) => {
      if (seen.has(f.code)) ctx.addIssue({ code: 'custom', path: ['forms', i, 'code'], message: `${f.code} is listed twice` });
      seen.add(f.code);
    });
  });

export type Application = z.infer<typeof ApplicationSchema>;
export type ApplicationInput = z.input<typeof ApplicationSchema>;
export type Physician = z.infer<typeof PhysicianSchema>;

export interface FieldError {
  /** Dotted path such as `insured.dateOfBirth` or `forms.2.code`. */
  field: string;
  message: string;
}

/**
 * One error a field. A key the application has no place for is refused rather than dropped,
 * so that a misspelt optional field (`middlename`) is not lost without a word.
 */
export function toFieldErrors(error: z.ZodError, input?: unknown): FieldError[] {
  return error.issues.flatMap((i) => {
    if (i.code !== 'unrecognized_keys') return [{ field: fieldPath(i.path), message: i.message }];
    const known = knownKeysAt(input, i.path);
    return i.keys.map((key) => {
      const meant = known.find((k) => k !== key && k.toLowerCase() === key.toLowerCase());
      const hint = meant ? `did you mean ${meant}?` : 'check its spelling, or remove it';
      // Any string can be a key, even "" or "a..b": quoted, with its dots escaped, it still reads as one step of the path.
      const step = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key).replace(/\./g, '\\u002e');
      return { field: fieldPath([...i.path, step]), message: `is not a field of the application; ${hint}` };
    });
  });
}

const fieldPath = (path: PropertyKey[]): string => (path.length ? path.map(String).join('.') : '(root)');

/** The keys the schema accepts at `path`, read from the input's own valid parse of that object. */
function knownKeysAt(input: unknown, path: PropertyKey[]): string[] {
  let schema: z.ZodType = ApplicationSchema;
  let value: unknown = input;
  for (const step of path) {
    schema = childSchema(schema, value, step);
    value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[step] : undefined;
  }
  return Object.keys(objectShape(schema, value) ?? {});
}

function childSchema(schema: z.ZodType, value: unknown, step: PropertyKey): z.ZodType {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodArray) return inner.element as z.ZodType;
  return (objectShape(inner, value)?.[String(step)] as z.ZodType | undefined) ?? z.never();
}

function objectShape(schema: z.ZodType, value: unknown): Record<string, unknown> | undefined {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) return inner.shape;
  if (inner instanceof z.ZodDiscriminatedUnion) {
    const kind = value && typeof value === 'object' ? (value as { kind?: unknown }).kind : undefined;
    const option = (inner.options as z.ZodType[]).find((o) => unwrap(o) instanceof z.ZodObject && (unwrap(o) as z.ZodObject).shape.kind?.safeParse(kind).success);
    return option ? (unwrap(option) as z.ZodObject).shape : undefined;
  }
  return undefined;
}

/** Through optional and default wrappers to the object or array they hold. */
function unwrap(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) return unwrap(schema.unwrap() as z.ZodType);
  return schema;
}

/** The workflow ID: the business key, so the same application can never start twice. */
export function caseIdFor(carrier: string, applicationNumber: string): string {
  return `case-${carrier.toLowerCase()}-${applicationNumber.toLowerCase()}`;
}
