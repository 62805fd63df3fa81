import escapeHtml from 'escape-html';
import fc from 'fast-check';
import type { z } from 'zod';
import { InvalidApplicationError, validateApplication } from '../../client/cases';
import {
  AddRequirementSchema,
  CarrierDecisionSchema,
  NoteSchema,
  OfferResponseSchema,
  parseActionInput,
  ReceiveRequirementSchema,
  RecordAppointmentSchema,
  ReviewRequirementSchema,
  ReviewSchema,
  VendorStatusSchema,
  WaiveRequirementSchema,
  WithdrawSchema,
} from '../../domain/actions';
import { type Application, ApplicationSchema, caseIdFor, toFieldErrors } from '../../domain/application';
import type { CaseState } from '../../domain/case';
import { EmailTemplateSchema, renderEmail } from '../../templates';
import { emailsOn } from '../../domain/case-core/emails';
import { SIGNED_ON, validApplication } from './bad-input-corpus';

/*
 * Property-based fuzzing of the doors: the application schema, the acknowledgement email
 * built from whatever it accepts, and the action schemas behind the Update validators.
 */

const RUNS = 300;
const SEED_APP = validApplication('summit-wl');

// ---------------------------------------------------------------- helpers ----

type Path = (string | number)[];

/** Every path in a JSON value, containers included. */
function paths(value: unknown, path: Path = []): Path[] {
  const here = path.length ? [path] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => paths(v, [...path, i]))];
  if (value && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...path, k]))];
  return here;
}

/** A copy of `value` with the node at `path` replaced, or removed when `replacement` is DELETE. */
const DELETE = Symbol('delete');
function withNode(value: unknown, path: Path, replacement: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && replacement === DELETE) copy.splice(Number(head), 1);
    else copy[Number(head)] = withNode(copy[Number(head)], rest, replacement);
    return copy;
  }
  const record = { ...(value as Record<string, unknown>) };
  if (rest.length === 0 && replacement === DELETE) delete record[head];
  else record[head] = withNode(record[head], rest, replacement);
  return record;
}

const SPECIAL = ['<', '>', '&', '"', "'", '/', '=', '`', '{', '}', '\\', ';', '%', '\u0000', '\u001B', '\u007F', '\u0085', '\u00A0', '\u200B', '\u200D', '\u202E', '\uFEFF', '\uD83D\uDE00', 'é', 'ß', 'ğ', '中', 'ا'];
/** Strings that probe escaping, control characters, odd Unicode and lengths around the limits. */
const nastyString = fc.oneof(
  fc.string({ unit: fc.constantFrom(...SPECIAL, 'a', 'Z', '0', ' ', '-', '.') , maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '{{7*7}}', '${7*7}', "'; DROP TABLE \"Case\";--", '../../etc/passwd', 'x'.repeat(81), 'x'.repeat(5_000), '2026-02-30', ''),
);
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), nastyString, fc.constantFrom(undefined, null, NaN, Infinity, -0, 1e21, [], {}));

/** A failed parse explains itself: at least one issue, every issue with a message, fields for each. */
function expectExplainedFailure(error: z.ZodError): void {
  expect(error.issues.length).toBeGreaterThan(0);
  expect(error.issues.some((i) => i.path.length > 0 || i.message.length > 0)).toBe(true);
  for (const issue of error.issues) expect(issue.message.trim()).not.toBe('');
  for (const e of toFieldErrors(error)) expect(e.field).toMatch(/^(\(root\)|[^.]+(\.[^.]+)*)$/);
}

// ------------------------------------------------------ (a) the schema ----

describe('ApplicationSchema never throws', () => {
  test('on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = ApplicationSchema.safeParse(v);
        if (!r.success) expectExplainedFailure(r.error);
      }),
      { numRuns: RUNS },
    );
  });

  test('on arbitrary JavaScript values (prototype-less objects, sparse arrays, boxed values)', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withSparseArray: true, withBoxedValues: true, withMap: true, withSet: true, withDate: true }), (v) => {
        const r = ApplicationSchema.safeParse(v);
        if (!r.success) expectExplainedFailure(r.error);
      }),
      { numRuns: RUNS },
    );
  });

  const allPaths = paths(SEED_APP);
  const mutation = fc.tuple(fc.constantFrom(...allPaths), fc.oneof(anyValue, fc.constant(DELETE)));

  test('on mutations of a valid application; what it accepts parses again to the same value', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const input = mutations.reduce<unknown>((app, [path, value]) => withNode(app, path, value), SEED_APP);
        const r = ApplicationSchema.safeParse(input);
        if (!r.success) return expectExplainedFailure(r.error);
        const again = ApplicationSchema.safeParse(r.data);
        expect(again.success && again.data).toEqual(r.data);
      }),
      { numRuns: RUNS },
    );
  });

  test('the submission path (schema, then carrier rules) only ever refuses with InvalidApplicationError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const input = mutations.reduce<unknown>((app, [path, value]) => withNode(app, path, value), SEED_APP);
        try {
          await validateApplication(input);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidApplicationError);
          expect((err as InvalidApplicationError).errors.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});

// ------------------------------------ (b) what it accepts, emailed escaped ----

/** The acknowledgement exactly as the workflow builds it from the case opened for `app`. */
function acknowledgementFor(app: Application) {
  const i = app.insured;
  const state = {
    caseId: caseIdFor(app.carrier, app.applicationNumber),
    carrierName: 'Summit Mutual Life',
    applicationNumber: app.applicationNumber,
    productType: app.product.type,
    plan: app.product.plan,
    faceAmount: app.product.faceAmount,
    // As workflows/application.ts intake() names the insured.
    insuredName: [i.firstName, i.middleName, i.lastName].filter(Boolean).join(' '),
    broker: { npn: app.broker.npn, name: app.broker.name, email: app.broker.email },
    rules: { bgaName: 'Keystone Brokerage General Agency' },
    receivedAt: `${SIGNED_ON}T15:00:00.000Z`,
  } as unknown as CaseState;
  return { state, email: emailsOn('2026-12-01').acknowledgement(state) };
}

const TAGS = ['html', 'head', 'meta', 'title', 'body', 'table', 'tr', 'td', 'th', 'p', 'h2', 'ul', 'li'];
/** A `<` that does not open or close one of the layout's own tags came from data. */
const STRAY_LT = new RegExp(`<(?!!DOCTYPE html>|/?(?:${TAGS.join('|')})[\\s>])`);

/*
 * Nasty strings, less what the schema refuses outright (control, line-break and bidi
 * characters; names without a letter), so most runs reach the email and test its escaping.
 */
const nameText = nastyString.map((s) => `${s.replace(/[\u0000-\u001F\u007F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g, ' ')}x`);

describe('whatever ApplicationSchema accepts is escaped in the acknowledgement', () => {
  test('user fields appear escaped in HTML, verbatim in text, and bring no raw < into the HTML', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.record({ firstName: nameText, middleName: fc.option(nameText, { nil: undefined }), lastName: nameText, plan: nameText }),
        (f) => {
          const fields: [Path, unknown][] = [
            [['insured', 'firstName'], f.firstName],
            [['insured', 'middleName'], f.middleName],
            [['insured', 'lastName'], f.lastName],
            [['product', 'plan'], f.plan],
          ];
          const parsed = ApplicationSchema.safeParse(fields.reduce<unknown>((app, [path, value]) => withNode(app, path, value), SEED_APP));
          if (!parsed.success) return;
          const { state, email } = acknowledgementFor(parsed.data);
          accepted++;
          const data = EmailTemplateSchema.safeParse(email.data);
          expect({ name: state.insuredName, plan: state.plan, ok: data.success, issues: data.error?.issues.map((x) => x.message) }).toMatchObject({ ok: true });
          const rendered = renderEmail(data.data!);
          const insured = state.insuredName;
          const plan = state.plan;
          expect(rendered.html).toContain(escapeHtml(insured));
          expect(rendered.html).toContain(escapeHtml(plan));
          expect(rendered.html).not.toMatch(STRAY_LT);
          expect(rendered.text).toContain(insured);
          expect(rendered.text).toContain(plan);
        },
      ),
      { numRuns: RUNS },
    );
    // The property only means something if the generator gets applications past the schema.
    expect(accepted).toBeGreaterThan(RUNS / 10);
  });

  test('markup the schema allows in the plan, and names with & \' ", are escaped', () => {
    const app = ApplicationSchema.parse(
      withNode(withNode(withNode(SEED_APP, ['product', 'plan'], '<img src=x onerror=alert(1)>'), ['insured', 'lastName'], `O'Brien & "Sons"`), ['insured', 'middleName'], undefined),
    );
    const { email } = acknowledgementFor(app);
    const rendered = renderEmail(EmailTemplateSchema.parse(email.data));
    expect(rendered.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(rendered.html).toContain('Margaret O&#39;Brien &amp; &quot;Sons&quot;');
    expect(rendered.html).not.toMatch(STRAY_LT);
    expect(rendered.text).toContain(`Margaret O'Brien & "Sons"`);
  });

  // Once found as gaps: the application accepted what the email templates refuse, so such a
  // case could send no email at all. The schemas now agree.
  test.each([
    ['a line feed', { firstName: 'Margaret\nAnn' }],
    ['a carriage return', { firstName: 'Margaret\rAnn' }],
    ['a tab', { firstName: 'Margaret\tAnn' }],
    ['a line separator U+2028', { firstName: 'Margaret\u2028Ann' }],
    ['121 characters in all', { firstName: 'M'.repeat(60), lastName: 'O'.repeat(60) }],
  ])('an insured name with %s is either refused by ApplicationSchema or emailed', (_, names) => {
    const parsed = ApplicationSchema.safeParse({ ...SEED_APP, insured: { ...SEED_APP.insured, middleName: undefined, ...names } });
    if (!parsed.success) return;
    const { email } = acknowledgementFor(parsed.data);
    expect(EmailTemplateSchema.safeParse(email.data).success).toBe(true);
  });
});

// ------------------------------------------------- (c) action schemas ----

const ACTION_SCHEMAS: [string, z.ZodType][] = [
  ['receive-requirement', ReceiveRequirementSchema],
  ['waive-requirement', WaiveRequirementSchema],
  ['add-requirement', AddRequirementSchema],
  ['review', ReviewSchema],
  ['review-requirement', ReviewRequirementSchema],
  ['vendor-status', VendorStatusSchema],
  ['decision', CarrierDecisionSchema],
  ['offer-response', OfferResponseSchema],
  ['record-appointment', RecordAppointmentSchema],
  ['withdraw', WithdrawSchema],
  ['note', NoteSchema],
];

const ACTION_KEYS = [
  'actor', 'key', 'receivedOn', 'note', 'reason', 'code', 'source', 'description', 'carrierOrderNumber', 'physician', 'resolvedItems',
  'returnItems', 'inGoodOrder', 'result', 'status', 'scheduledFor', 'providerOrderNumber', 'decision', 'riskClass', 'rating',
  'postponeUntil', 'policyNumber', 'accepted', 'appointedOn', 'license', 'text', '__proto__', 'constructor',
];
/** Values that are right for some field, so generated objects get past the first checks. */
const plausible = fc.constantFrom<unknown>(
  'cm:jordan', 'vendor:examone', 'PARAMED', 'PHYSSTMT:dr-ana-ruiz', '2026-11-20', '2026-02-30', 'A note', 'MANUAL', 'CARRIER', 'XRAY', 'HIPAA',
  'ACCEPTED', 'SCHEDULED', 'COMPLETED', 'ISSUED', 'DECLINED', 'POSTPONED', 'APPROVED_AS_APPLIED', 'APPROVED_OTHER_THAN_APPLIED', 'Preferred',
  'SM-5531029', 'SM1', true, false, [], ['FORM:HIPAA'], ['Sign page 4'],
  { name: 'Dr. Ana Ruiz', phone: '404-555-0100' }, { state: 'GA', licenseNumber: 'GA-1', expiresOn: '2030-12-31' }, { state: 'Georgia' },
);
const actionInput = fc.oneof(
  fc.dictionary(fc.constantFrom(...ACTION_KEYS), fc.oneof(plausible, plausible, anyValue), { maxKeys: 8 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.anything({ withNullPrototype: true }),
);

const DETAIL = /^(?:\(input\)|[^\s:;]+(?:\.[^\s:;]+)*): \S/;

describe('parseActionInput returns a value or refuses naming the fields', () => {
  test.each(ACTION_SCHEMAS)('%s', (_, schema) => {
    let refused = 0;
    let accepted = 0;
    fc.assert(
      fc.property(actionInput, (input) => {
        const expected = schema.safeParse(input);
        const parsed = parseActionInput(schema, input);
        if (expected.success) {
          accepted++;
          expect(parsed).toEqual({ ok: true, data: expected.data });
          return;
        }
        refused++;
        expect(parsed.ok).toBe(false);
        const problems = parsed.ok ? [] : parsed.problems;
        for (const p of problems) expect(`${p.field}: ${p.message}`).toMatch(DETAIL);
        // Every field the schema refuses is named; the wording is the product's own ("is required").
        for (const issue of expected.error.issues) {
          expect(problems.map((p) => p.field)).toContain(issue.path.length ? issue.path.join('.') : '(input)');
        }
      }),
      { numRuns: RUNS },
    );
    expect(refused).toBeGreaterThan(0);
    expect(accepted + refused).toBe(RUNS);
  });
});
