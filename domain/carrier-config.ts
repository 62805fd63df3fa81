import { z } from 'zod';
import { AGE_BASES } from './age';
import { isoDate } from './application';
import { FORM_CODES, PRODUCT_TYPES, REQUIREMENT_CODES, US_STATES, type ProductType, type RequirementCode } from './catalogue';

/*
 * Carrier, product and vendor rules as data (config/rules.json), validated here.
 * Objects are strict so that a misspelt key in the file is an error, not a rule silently ignored.
 */

const code = z.string().regex(/^[A-Z0-9_]{2,20}$/, 'must be 2-20 capital letters, digits or underscores, such as SUMMIT');
const label = z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters');
const notes = z.array(z.string()).optional();
const email = z.email({ message: 'must be an email address' });
const requirementCode = z.enum(REQUIREMENT_CODES, { message: 'must be a requirement code from the catalogue' });
const formCode = z.enum(FORM_CODES, { message: `must be one of ${FORM_CODES.join(', ')}` });
const productType = z.enum(PRODUCT_TYPES, { message: `must be one of ${PRODUCT_TYPES.join(', ')}` });
const usState = z.enum(US_STATES, { message: 'must be a two-letter US state code' });
const age = z.number().int('must be a whole number of years').min(0, 'must be at least 0').max(120, 'must be at most 120');
const dollars = z.number().int('must be whole dollars').min(0, 'must not be negative');
const count = (min: number, max: number) => z.number().int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

export const ChannelSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('email'), to: email }),
  z.strictObject({
    type: z.literal('https'),
    // Plain http only to this machine, for a local test double of a vendor or carrier.
    url: z
      .url({ protocol: /^https?$/, message: 'must be an https:// URL' })
      .refine((u) => u.startsWith('https://') || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(u), 'must be an https:// URL'),
  }),
]);
export type Channel = z.infer<typeof ChannelSchema>;

export const VENDOR_KINDS = ['EXAM', 'APS', 'INSPECTION'] as const;
export type VendorKind = (typeof VENDOR_KINDS)[number];

export const VendorConfigSchema = z.strictObject({
  code,
  name: label,
  kind: z.enum(VENDOR_KINDS, { message: `must be one of ${VENDOR_KINDS.join(', ')}` }),
  channel: ChannelSchema,
  // Orders to an HTTPS vendor go to its API; people there still answer follow-ups and cancellations by email.
  contactEmail: email.optional(),
  followUpBusinessDays: count(1, 30),
});
export type VendorConfig = z.infer<typeof VendorConfigSchema>;

export const SettingsSchema = z.strictObject({
  bgaName: label,
  caseManagerEmail: email,
  contractingEmail: email,
  holidays: z.array(z.strictObject({ date: isoDate, name: label })).superRefine((holidays, ctx) => {
    reportDuplicates(ctx, holidays, (h) => h.date, (i) => [i, 'date'], 'holiday date');
  }),
});
export type Settings = z.infer<typeof SettingsSchema>;

/* ---- Age/amount grids ---- */

/** A grid cell: not available, or the requirements to order (empty = medical history questions only). */
export type GridCell = 'NA' | RequirementCode[];

export interface GridRow {
  minFace: number;
  maxFace: number;
  /** One cell per age band. */
  cells: GridCell[];
}

export interface Grid {
  ageBands: { minAge: number; maxAge: number }[];
  rows: GridRow[];
}

const legendKey = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{0,15}$/, 'must be a capital letter followed by up to 15 capitals, digits or underscores')
  .refine((k) => k !== 'NA', 'NA is reserved for "not available"');

/**
 * In the file a cell may also name a legend entry (letter-key carrier guides: A, B, C...);
 * parsing resolves the letters, so the rest of the code only sees code lists.
 */
const GridSchema = z
  .strictObject({
    legend: z.record(legendKey, z.array(requirementCode)).optional(),
    ageBands: z.array(z.strictObject({ minAge: age, maxAge: age })).min(1, 'must list at least one age band'),
    rows: z
      .array(
        z.strictObject({
          minFace: dollars,
          maxFace: dollars,
          cells: z.array(z.union([z.array(requirementCode), z.string()])),
        }),
      )
      .min(1, 'must list at least one face-amount row'),
  })
  .superRefine((grid, ctx) => {
    checkAscending(ctx, grid.ageBands, (b) => [b.minAge, b.maxAge], 'ageBands', 'age band');
    checkAscending(ctx, grid.rows, (r) => [r.minFace, r.maxFace], 'rows', 'face-amount row');
    grid.rows.forEach((row, r) => {
      if (row.cells.length !== grid.ageBands.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['rows', r, 'cells'],
          message: `has ${row.cells.length} cells but the grid has ${grid.ageBands.length} age bands`,
        });
      }
      row.cells.forEach((cell, c) => {
        if (typeof cell === 'string' && cell !== 'NA' && !grid.legend?.[cell]) {
          ctx.addIssue({ code: 'custom', path: ['rows', r, 'cells', c], message: `"${cell}" is neither NA nor a key of the grid's legend` });
        }
        if (Array.isArray(cell) && new Set(cell).size !== cell.length) {
          ctx.addIssue({ code: 'custom', path: ['rows', r, 'cells', c], message: 'lists a requirement twice' });
        }
      });
    });
  })
  .transform(
    (grid): Grid => ({
      ageBands: grid.ageBands,
      rows: grid.rows.map((row) => ({
        minFace: row.minFace,
        maxFace: row.maxFace,
        cells: row.cells.map((cell): GridCell => (typeof cell === 'string' ? (cell === 'NA' ? 'NA' : [...(grid.legend?.[cell] ?? [])]) : cell)),
      })),
    }),
  );

const ProductSchema = z.strictObject({
  type: productType,
  plans: z.array(z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters')).min(1, 'must list at least one plan'),
  maxIssueAge: age,
  grid: GridSchema,
  notes,
});
export type ProductConfig = z.infer<typeof ProductSchema>;

/* ---- Forms in the application package ---- */

export const SIGNERS = ['INSURED', 'OWNER', 'AGENT'] as const;
export type Signer = (typeof SIGNERS)[number];

/** When a form must be in the package. */
const FormConditionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ALWAYS') }),
  /** Never missing, but checked for signatures when the broker sends it (EFT, 1035 exchange...). */
  z.strictObject({ type: z.literal('WHEN_INCLUDED') }),
  /** In the listed states for every application, elsewhere when the client replaces or has coverage. */
  z.strictObject({ type: z.literal('REPLACEMENT'), states: z.array(usState) }),
  z.strictObject({ type: z.literal('PRODUCT_TYPES'), productTypes: z.array(productType).min(1, 'must list at least one product type') }),
  z.strictObject({ type: z.literal('STATES'), states: z.array(usState).min(1, 'must list at least one state') }),
]);
export type FormCondition = z.infer<typeof FormConditionSchema>;

const FormRuleSchema = z.strictObject({
  form: formCode,
  when: FormConditionSchema,
  /** OWNER applies only when the owner is not the insured. */
  signedBy: z.array(z.enum(SIGNERS, { message: `must be one of ${SIGNERS.join(', ')}` })),
  dated: z.boolean(),
});
export type FormRule = z.infer<typeof FormRuleSchema>;

/* ---- Broker contracting ---- */

export const PACKET_ITEMS = ['CARRIER_CONTRACT', 'W9', 'EO_CERTIFICATE', 'AML_TRAINING', 'RESIDENT_LICENSE', 'NONRESIDENT_LICENSE'] as const;
export type PacketItem = (typeof PACKET_ITEMS)[number];

/** The licence copies the packet must ask for: the broker's licence in every state a case needs is chased through them. */
const LICENSE_ITEMS = ['RESIDENT_LICENSE', 'NONRESIDENT_LICENSE'] as const satisfies readonly PacketItem[];

const ContractingFollowUpSchema = z.strictObject({
  brokerReminderBusinessDays: count(1, 30),
  remindersBeforeEscalation: count(0, 20),
  carrierFollowUpBusinessDays: count(1, 30),
  carrierFollowUpsBeforeEscalation: count(0, 20),
});
export type ContractingFollowUp = z.infer<typeof ContractingFollowUpSchema>;

export const ContractingRulesSchema = z
  .strictObject({
    notes,
    packet: z
      .array(z.strictObject({ item: z.enum(PACKET_ITEMS, { message: `must be one of ${PACKET_ITEMS.join(', ')}` }), description: label }))
      .min(1, 'must list at least one item'),
    /** The smallest E&O limit per claim the carrier accepts. */
    eoMinimumLimit: z.number().int('must be whole dollars').min(1, 'must be at least 1 dollar'),
    amlTrainingValidMonths: count(1, 120),
    appointmentChannel: ChannelSchema,
    followUp: ContractingFollowUpSchema,
  })
  .superRefine((contracting, ctx) => {
    reportDuplicates(ctx, contracting.packet, (p) => p.item, (i) => ['packet', i, 'item'], 'packet item');
    for (const item of LICENSE_ITEMS) {
      if (!contracting.packet.some((p) => p.item === item)) {
        ctx.addIssue({ code: 'custom', path: ['packet'], message: `must ask for ${item}: the broker's licence in each state is chased through it` });
      }
    }
  });
export type ContractingRulesConfig = z.infer<typeof ContractingRulesSchema>;

/* ---- Carrier ---- */

const FollowUpSchema = z.strictObject({
  brokerReminderBusinessDays: count(1, 30),
  remindersBeforeEscalation: count(0, 20),
  closeIncompleteAfterBusinessDays: count(1, 120),
  vendorFollowUpsBeforeEscalation: count(0, 20),
  closeInactiveAfterDays: count(1, 365),
  applicationValidDays: count(1, 730),
});

export const CarrierConfigSchema = z
  .strictObject({
    code,
    name: label,
    notes,
    newBusinessChannel: ChannelSchema,
    submissionPolicy: z.enum(['IN_GOOD_ORDER', 'WITH_REQUIREMENTS_TO_FOLLOW'], {
      message: 'must be IN_GOOD_ORDER or WITH_REQUIREMENTS_TO_FOLLOW',
    }),
    ageBasis: z.enum(AGE_BASES, { message: `must be one of ${AGE_BASES.join(', ')}` }),
    followUp: FollowUpSchema,
    /** Vendor codes, by the kind of work they do for this carrier. */
    vendors: z.strictObject({ exam: code, aps: code, inspection: code }),
    /** Checks ordered on every application, from a minimum age (MVR from 16). */
    alwaysOn: z.array(z.strictObject({ code: requirementCode, minAge: age.optional() })),
    forms: z.array(FormRuleSchema),
    /** A financial supplement is required from `minAge` when the face amount is above `faceAbove`. */
    financialSupplement: z.array(z.strictObject({ minAge: age, faceAbove: dollars })),
    /** Requirements this carrier takes after submission rather than in the package (an agent's report to follow). */
    carrierRequirements: z.array(requirementCode),
    delivery: z.array(requirementCode),
    products: z.array(ProductSchema).min(1, 'must offer at least one product'),
    contracting: ContractingRulesSchema,
  })
  .superRefine((carrier, ctx) => {
    reportDuplicates(ctx, carrier.alwaysOn, (a) => a.code, (i) => ['alwaysOn', i, 'code'], 'requirement');
    reportDuplicates(ctx, carrier.forms, (f) => f.form, (i) => ['forms', i, 'form'], 'form');
    reportDuplicates(ctx, carrier.carrierRequirements, (c) => c, (i) => ['carrierRequirements', i], 'requirement');
    reportDuplicates(ctx, carrier.delivery, (c) => c, (i) => ['delivery', i], 'requirement');
    reportDuplicates(ctx, carrier.products, (p) => p.type, (i) => ['products', i, 'type'], 'product type');
    const plans = carrier.products.flatMap((p, i) => p.plans.map((plan, j) => ({ plan, path: ['products', i, 'plans', j] })));
    reportDuplicates(ctx, plans, (p) => p.plan, (i) => plans[i]?.path ?? [], 'plan');

    // A form the package must carry is a NIGO item; listing it as a requirement too would chase the broker twice.
    const packageForms = new Set<string>(carrier.forms.filter((f) => f.when.type !== 'WHEN_INCLUDED').map((f) => f.form));
    carrier.carrierRequirements.forEach((req, i) => {
      if (packageForms.has(req)) {
        ctx.addIssue({ code: 'custom', path: ['carrierRequirements', i], message: `${req} is already required in the package by forms` });
      }
    });
    if (carrier.financialSupplement.length > 0 && packageForms.has('FINSUPP')) {
      ctx.addIssue({ code: 'custom', path: ['financialSupplement'], message: 'FINSUPP is already required in the package by forms' });
    }

    carrier.products.forEach((product, i) => {
      const bands = product.grid.ageBands;
      const youngest = bands[0]?.minAge ?? 0;
      const oldest = bands[bands.length - 1]?.maxAge ?? 0;
      if (product.maxIssueAge < youngest || product.maxIssueAge > oldest) {
        ctx.addIssue({
          code: 'custom',
          path: ['products', i, 'maxIssueAge'],
          message: `must be within the grid's ages ${youngest}-${oldest}`,
        });
      }
    });
  });
export type CarrierConfig = z.infer<typeof CarrierConfigSchema>;

const VENDOR_ROLES = { exam: 'EXAM', aps: 'APS', inspection: 'INSPECTION' } as const satisfies Record<keyof CarrierConfig['vendors'], VendorKind>;

export const RulesConfigSchema = z
  .strictObject({
    notes,
    settings: SettingsSchema,
    carriers: z.array(CarrierConfigSchema).min(1, 'must list at least one carrier'),
    vendors: z.array(VendorConfigSchema),
  })
  .superRefine((config, ctx) => {
    reportDuplicates(ctx, config.carriers, (c) => c.code, (i) => ['carriers', i, 'code'], 'carrier code');
    reportDuplicates(ctx, config.vendors, (v) => v.code, (i) => ['vendors', i, 'code'], 'vendor code');
    config.carriers.forEach((carrier, i) => {
      for (const role of Object.keys(VENDOR_ROLES) as (keyof typeof VENDOR_ROLES)[]) {
        const vendorCode = carrier.vendors[role];
        const vendor = config.vendors.find((v) => v.code === vendorCode);
        const path = ['carriers', i, 'vendors', role];
        if (!vendor) {
          ctx.addIssue({ code: 'custom', path, message: `vendor "${vendorCode}" is not in vendors` });
        } else if (vendor.kind !== VENDOR_ROLES[role]) {
          ctx.addIssue({ code: 'custom', path, message: `vendor ${vendorCode} is an ${vendor.kind} vendor, not ${VENDOR_ROLES[role]}` });
        }
      }
    });
  });
export type RulesConfig = z.infer<typeof RulesConfigSchema>;
export type RulesConfigInput = z.input<typeof RulesConfigSchema>;

/* ---- Look-ups shared by intake and evaluation ---- */

export function findCarrier(config: RulesConfig, carrierCode: string): CarrierConfig | undefined {
  return config.carriers.find((c) => c.code === carrierCode);
}

export function findProduct(carrier: CarrierConfig, type: ProductType): ProductConfig | undefined {
  return carrier.products.find((p) => p.type === type);
}

export function ageBandIndex(grid: Grid, issueAge: number): number | undefined {
  const index = grid.ageBands.findIndex((b) => issueAge >= b.minAge && issueAge <= b.maxAge);
  return index < 0 ? undefined : index;
}

/** The grid cell for an age and face amount; undefined when either lies outside the grid. */
export function gridCell(grid: Grid, issueAge: number, faceAmount: number): GridCell | undefined {
  const band = ageBandIndex(grid, issueAge);
  if (band === undefined) return undefined;
  return grid.rows.find((r) => faceAmount >= r.minFace && faceAmount <= r.maxFace)?.cells[band];
}

/* ---- Validation helpers ---- */

function reportDuplicates<T>(
  ctx: z.RefinementCtx,
  items: readonly T[],
  keyOf: (item: T) => string,
  pathOf: (index: number) => PropertyKey[],
  what: string,
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const key = keyOf(item);
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: pathOf(i), message: `${what} ${key} is listed twice` });
    seen.add(key);
  });
}

/** Ranges must each be min <= max and follow one another without overlapping; gaps are allowed. */
function checkAscending<T>(
  ctx: z.RefinementCtx,
  items: readonly T[],
  rangeOf: (item: T) => [number, number],
  key: string,
  what: string,
): void {
  let previousMax: number | undefined;
  items.forEach((item, i) => {
    const [min, max] = rangeOf(item);
    if (min > max) ctx.addIssue({ code: 'custom', path: [key, i], message: `${what} starts at ${min}, after its end ${max}` });
    if (previousMax !== undefined && min <= previousMax) {
      ctx.addIssue({
        code: 'custom',
        path: [key, i],
        message: `${what} starting at ${min} overlaps or comes before the previous one, which ends at ${previousMax}`,
      });
    }
    previousMax = max;
  });
}
