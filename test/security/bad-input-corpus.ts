import type { ApplicationInput } from '../../domain/application';
import type { ActionName } from '../../client/operations';
import { exampleApplication, type ExampleName } from '../helpers/applications';

/*
 * Malformed input that the pipeline must refuse at the door, each with the dotted field path
 * the refusal has to name. Applications go through `submitApplication` (ApplicationSchema, then
 * the carrier rules in checkIntake); actions go through the Temporal Update validators
 * (parseAction, then the checks against the live case).
 *
 * Each entry changes one thing in a valid base application, so it fails for its own reason.
 * Dates are relative to today (UTC, as validateApplication uses), so the bases stay inside
 * the carriers' application validity windows whenever the suite runs.
 */

export interface BadApplication {
  name: string;
  input: unknown;
  /** Dotted path, as toFieldErrors writes it, that the errors must include. */
  field: string;
  /** Matched against the message of an error on `field`. */
  message?: RegExp;
}

export interface BadAction {
  name: string;
  action: ActionName;
  input: unknown;
  /** The field the refusal names: `field: message`, as parseAction and the update validators write it. */
  field: string;
  message?: RegExp;
}

// Malformed input is built by writing wrong types into a valid application.
type Loose = any;

const DAY = 86_400_000;
export const todayIso = (): string => new Date().toISOString().slice(0, 10);
export const daysFromToday = (days: number): string => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
/** Same month and day, `years` earlier, as a date of birth giving that age on `date`. */
const yearsBefore = (date: string, years: number): string =>
  `${String(Number(date.slice(0, 4)) - years).padStart(4, '0')}${date.slice(4) === '-02-29' ? '-02-28' : date.slice(4)}`;

/** Signed three days ago: inside every carrier's validity window and not in the future. */
export const SIGNED_ON = daysFromToday(-3);

/**
 * A valid application for `submitApplication`: Summit whole life (age 58ish, $1.5M) or Harbor
 * 20-year term (age 45ish, $750,000), signed three days ago.
 */
export function validApplication(kind: 'summit-wl' | 'harbor-term' = 'summit-wl', patch: (app: Loose) => void = () => {}): ApplicationInput {
  const example: ExampleName = kind === 'summit-wl' ? 'summit-wl-clean' : 'harbor-iul-nigo';
  return exampleApplication(example, (app: Loose) => {
    app.signedOn = SIGNED_ON;
    if (kind === 'harbor-term') {
      app.product = { type: 'TERM', plan: 'Harbor Term 20', faceAmount: 750_000, termYears: 20 };
    }
    patch(app);
  });
}

const summit = (patch: (app: Loose) => void) => validApplication('summit-wl', patch);
const harbor = (patch: (app: Loose) => void) => validApplication('harbor-term', patch);

const long = (n: number, ch = 'x') => ch.repeat(n);
const disclosure = (i: number) => ({
  condition: `Condition ${i}`,
  physician: { name: `Dr. Number ${i}`, phone: '404-555-0100' },
});

const NOT_EMPTY = /must not be empty/;
const CONTROL = /must be one line without control characters/;
const MARKUP = /must not contain <, >, \{ or \}/;
const BAD_SSN = /is not a valid SSN/;
const BAD_DATE = /must be a date as YYYY-MM-DD/;

export const badApplications: BadApplication[] = [
  // ---- wrong types and missing fields ----
  { name: 'null instead of an application', input: null, field: '(root)' },
  { name: 'an array instead of an application', input: [], field: '(root)' },
  { name: 'a string instead of an application', input: 'SM-2026-10431', field: '(root)' },
  { name: 'missing application number', input: summit((a) => delete a.applicationNumber), field: 'applicationNumber' },
  { name: 'missing insured', input: summit((a) => delete a.insured), field: 'insured' },
  { name: 'missing broker email', input: summit((a) => delete a.broker.email), field: 'broker.email' },
  { name: 'face amount as a string', input: summit((a) => (a.product.faceAmount = '1500000')), field: 'product.faceAmount', message: /number of dollars/ },
  { name: 'face amount with cents', input: summit((a) => (a.product.faceAmount = 1_500_000.5)), field: 'product.faceAmount', message: /whole dollars/ },
  { name: 'tobacco as "no"', input: summit((a) => (a.insured.tobacco = 'no')), field: 'insured.tobacco', message: /true or false/ },
  { name: 'sex X', input: summit((a) => (a.insured.sex = 'X')), field: 'insured.sex', message: /must be M or F/ },
  { name: 'forms as an object', input: summit((a) => (a.forms = { APPLICATION: true })), field: 'forms' },
  { name: 'disclosures missing', input: summit((a) => (a.medical = {})), field: 'medical.disclosures' },
  { name: 'replacement without isReplacing', input: summit((a) => delete a.replacement.isReplacing), field: 'replacement.isReplacing' },
  { name: 'signature flag as a string', input: summit((a) => (a.forms[0].signedByInsured = 'yes')), field: 'forms.0.signedByInsured' },
  { name: 'owner of unknown kind', input: summit((a) => (a.owner = { kind: 'LLC', name: 'Okafor Holdings' })), field: 'owner.kind' },

  // ---- fields the application has no place for: refused, never dropped ----
  { name: 'unknown field on the insured', input: summit((a) => (a.insured.favoriteColor = 'blue')), field: 'insured.favoriteColor', message: /is not a field of the application/ },
  { name: 'misspelt optional field', input: summit((a) => (a.insured.middlename = 'Ada')), field: 'insured.middlename', message: /did you mean middleName\?/ },
  { name: 'unknown top-level field', input: summit((a) => (a.notes = 'call first')), field: 'notes', message: /is not a field of the application/ },
  { name: 'unknown field in a disclosure', input: summit((a) => (a.medical.disclosures[0].severity = 'mild')), field: 'medical.disclosures.0.severity' },

  // ---- impossible and inconsistent dates ----
  { name: 'signed on 2026-02-30', input: summit((a) => (a.signedOn = '2026-02-30')), field: 'signedOn', message: BAD_DATE },
  { name: 'born on 29 February of a common year', input: summit((a) => (a.insured.dateOfBirth = '1967-02-29')), field: 'insured.dateOfBirth', message: BAD_DATE },
  { name: 'month 13', input: summit((a) => (a.signedOn = `${SIGNED_ON.slice(0, 4)}-13-01`)), field: 'signedOn', message: BAD_DATE },
  { name: 'signing date with a time', input: summit((a) => (a.signedOn = `${SIGNED_ON}T10:00:00Z`)), field: 'signedOn', message: BAD_DATE },
  { name: 'US-style date of birth', input: summit((a) => (a.insured.dateOfBirth = '03/14/1968')), field: 'insured.dateOfBirth', message: BAD_DATE },
  { name: 'birth date after signing', input: summit((a) => (a.insured.dateOfBirth = daysFromToday(-1))), field: 'insured.dateOfBirth', message: /before the signing date/ },
  { name: 'diagnosis on 2021-04-31', input: summit((a) => (a.medical.disclosures[0].diagnosedOn = '2021-04-31')), field: 'medical.disclosures.0.diagnosedOn', message: BAD_DATE },
  { name: 'document received "yesterday"', input: summit((a) => (a.documents = [{ code: 'HIPAA', receivedOn: 'yesterday' }])), field: 'documents.0.receivedOn', message: BAD_DATE },
  { name: 'signed in the future', input: summit((a) => (a.signedOn = daysFromToday(10))), field: 'signedOn', message: /is in the future/ },
  { name: 'signed longer ago than the carrier accepts', input: summit((a) => (a.signedOn = daysFromToday(-200))), field: 'signedOn', message: /was valid until .* a new application is needed/ },

  // ---- ages out of the carrier grid ----
  { name: 'age 85 for Summit WL (maximum 80)', input: summit((a) => (a.insured.dateOfBirth = yearsBefore(SIGNED_ON, 85))), field: 'insured.dateOfBirth', message: /over the maximum issue age 80/ },
  { name: 'age 10 for Harbor term (minimum 18)', input: harbor((a) => (a.insured.dateOfBirth = yearsBefore(SIGNED_ON, 10))), field: 'insured.dateOfBirth', message: /below the minimum issue age 18/ },

  // ---- face amounts out of range or not available per grid ----
  { name: 'face amount $5,000 (minimum $10,000)', input: summit((a) => (a.product.faceAmount = 5_000)), field: 'product.faceAmount', message: /at least \$10,000/ },
  { name: 'face amount $200,000,000', input: summit((a) => (a.product.faceAmount = 200_000_000)), field: 'product.faceAmount', message: /at most \$100,000,000/ },
  { name: 'negative face amount', input: summit((a) => (a.product.faceAmount = -1_500_000)), field: 'product.faceAmount' },
  { name: '$50,000 at age 58 (Summit sells under $100,000 to juveniles only)', input: summit((a) => (a.product.faceAmount = 50_000)), field: 'product.faceAmount', message: /not available at issue age 58/ },
  { name: '$6,000,000 for Summit WL (grid ends at $5,000,000)', input: summit((a) => (a.product.faceAmount = 6_000_000)), field: 'product.faceAmount', message: /not available at issue age/ },
  { name: '$2,500,000 on a 10-year-old (juveniles to $2M)', input: summit((a) => { a.insured.dateOfBirth = yearsBefore(SIGNED_ON, 10); a.product.faceAmount = 2_500_000; }), field: 'product.faceAmount', message: /not available at issue age 10/ },
  { name: 'Harbor term $5M at age 70 (n/a in the grid)', input: harbor((a) => { a.insured.dateOfBirth = yearsBefore(SIGNED_ON, 70); a.product.faceAmount = 5_000_000; }), field: 'product.faceAmount', message: /not available/ },

  // ---- unknown carrier, product type, plan, form and requirement codes ----
  { name: 'unknown carrier ACME', input: summit((a) => (a.carrier = 'ACME')), field: 'carrier', message: /not a carrier this agency places business with/ },
  { name: 'carrier code in lower case', input: summit((a) => (a.carrier = 'summit')), field: 'carrier', message: /carrier code/ },
  { name: 'carrier code with SQL', input: summit((a) => (a.carrier = "SUMMIT' OR '1'='1")), field: 'carrier' },
  { name: 'product type VUL', input: summit((a) => (a.product.type = 'VUL')), field: 'product.type', message: /must be one of TERM, UL, IUL, WL/ },
  { name: 'term from a carrier that sells none', input: summit((a) => (a.product = { type: 'TERM', plan: 'Summit Term 20', faceAmount: 1_500_000, termYears: 20 })), field: 'product.type', message: /does not offer TERM/ },
  { name: 'unknown plan', input: summit((a) => (a.product.plan = 'Summit Whole Life 200')), field: 'product.plan', message: /is not a SUMMIT WL plan/ },
  { name: 'plan that is markup', input: summit((a) => (a.product.plan = '<b>Summit Whole Life 100</b>')), field: 'product.plan', message: /is not a SUMMIT WL plan/ },
  { name: 'unknown requirement code in documents', input: summit((a) => (a.documents = [{ code: 'XRAY', receivedOn: SIGNED_ON }])), field: 'documents.0.code', message: /known requirement code/ },
  { name: 'requirement code in lower case', input: summit((a) => (a.documents = [{ code: 'hipaa', receivedOn: SIGNED_ON }])), field: 'documents.0.code', message: /known requirement code/ },
  { name: 'unknown form code', input: summit((a) => (a.forms[3].code = 'W9')), field: 'forms.3.code', message: /must be one of APPLICATION/ },

  // ---- oversized strings and lists ----
  { name: 'last name of 81 characters', input: summit((a) => (a.insured.lastName = long(81))), field: 'insured.lastName', message: /at most 80 characters/ },
  { name: 'address line of 10,000 characters', input: summit((a) => (a.insured.address.line1 = long(10_000))), field: 'insured.address.line1', message: /at most 120 characters/ },
  { name: 'treatment of 501 characters', input: summit((a) => (a.medical.disclosures[0].treatment = long(501))), field: 'medical.disclosures.0.treatment', message: /at most 500 characters/ },
  { name: 'plan of a megabyte', input: summit((a) => (a.product.plan = long(1_000_000))), field: 'product.plan', message: /at most 40 characters/ },
  { name: 'broker email of 300 characters', input: summit((a) => (a.broker.email = `${long(288)}@example.com`)), field: 'broker.email' },
  { name: '31 disclosures', input: summit((a) => (a.medical.disclosures = Array.from({ length: 31 }, (_, i) => disclosure(i)))), field: 'medical.disclosures', message: /at most 30 disclosures/ },
  { name: '51 documents', input: summit((a) => (a.documents = Array.from({ length: 51 }, () => ({ code: 'HIPAA', receivedOn: SIGNED_ON })))), field: 'documents' },
  { name: 'application number of 31 characters', input: summit((a) => (a.applicationNumber = `SM-${long(28, '1')}`)), field: 'applicationNumber', message: /3-30 letters, digits or dashes/ },

  // ---- markup and script in names (names forbid < > { }) ----
  { name: '<script> as insured first name', input: summit((a) => (a.insured.firstName = '<script>alert(1)</script>')), field: 'insured.firstName', message: MARKUP },
  { name: 'img onerror as broker name', input: summit((a) => (a.broker.name = '<img src=x onerror=alert(1)>')), field: 'broker.name', message: MARKUP },
  { name: 'template injection as physician name', input: summit((a) => (a.medical.disclosures[0].physician.name = '{{constructor.constructor("x")()}}')), field: 'medical.disclosures.0.physician.name', message: MARKUP },
  { name: '> in the middle name', input: summit((a) => (a.insured.middleName = 'A>B')), field: 'insured.middleName', message: MARKUP },
  { name: 'markup behind an RTL override', input: summit((a) => (a.insured.lastName = '\u202E<script>rofakO')), field: 'insured.lastName', message: MARKUP },
  { name: 'closing tag in an owner person name', input: summit((a) => (a.owner = { kind: 'PERSON', relationship: 'Spouse', firstName: 'Chidi', lastName: 'Okafor</td>', dateOfBirth: '1966-05-01', sex: 'M', ssn: '412-55-7832' })), field: 'owner.lastName', message: MARKUP },

  // ---- control characters ----
  { name: 'NUL in the first name', input: summit((a) => (a.insured.firstName = 'Marg\u0000aret')), field: 'insured.firstName', message: CONTROL },
  { name: 'ANSI escape in the city', input: summit((a) => (a.insured.address.city = 'Atlanta\u001B[31m')), field: 'insured.address.city', message: CONTROL },
  { name: 'DEL in the agency', input: summit((a) => (a.broker.agency = 'Reyes\u007F Financial')), field: 'broker.agency', message: CONTROL },
  { name: 'vertical tab in a condition', input: summit((a) => (a.medical.disclosures[0].condition = 'Hypertension\u000Bcontrolled')), field: 'medical.disclosures.0.condition', message: CONTROL },
  { name: 'backspace in the plan', input: summit((a) => (a.product.plan = 'Summit Whole Life 100\u0008')), field: 'product.plan', message: CONTROL },
  { name: 'NUL in an entity owner name', input: summit((a) => (a.owner = { kind: 'ENTITY', relationship: 'Trust', name: 'Okafor\u0000 Trust', taxId: '88-1234567', address: { line1: '1 Main St', city: 'Atlanta', state: 'GA', zip: '30305' } })), field: 'owner.name', message: CONTROL },

  // ---- odd Unicode the schema refuses (what it accepts is in acceptedOddNames) ----
  { name: 'last name of only no-break and ideographic spaces', input: summit((a) => (a.insured.lastName = '\u00A0\u3000\u00A0')), field: 'insured.lastName', message: NOT_EMPTY },
  { name: 'first name of only a byte-order mark', input: summit((a) => (a.insured.firstName = '\uFEFF')), field: 'insured.firstName', message: NOT_EMPTY },
  { name: 'fullwidth digits in the SSN', input: summit((a) => (a.insured.ssn = '４１２-５５-７８３１')), field: 'insured.ssn' },
  { name: 'Arabic-Indic digits in the ZIP', input: summit((a) => (a.insured.address.zip = '٣٠٣٠٥')), field: 'insured.address.zip' },

  // ---- SSNs in invalid ranges ----
  { name: 'SSN area 000', input: summit((a) => (a.insured.ssn = '000-55-7831')), field: 'insured.ssn', message: BAD_SSN },
  { name: 'SSN area 666', input: summit((a) => (a.insured.ssn = '666-55-7831')), field: 'insured.ssn', message: BAD_SSN },
  { name: 'SSN area 9xx (ITIN range)', input: summit((a) => (a.insured.ssn = '912-55-7831')), field: 'insured.ssn', message: BAD_SSN },
  { name: 'SSN group 00', input: summit((a) => (a.insured.ssn = '412-00-7831')), field: 'insured.ssn', message: BAD_SSN },
  { name: 'SSN serial 0000', input: summit((a) => (a.insured.ssn = '412-55-0000')), field: 'insured.ssn', message: BAD_SSN },
  { name: 'SSN of eight digits', input: summit((a) => (a.insured.ssn = '412-55-783')), field: 'insured.ssn', message: /must be nine digits/ },
  { name: 'SSN as a number', input: summit((a) => (a.insured.ssn = 412557831)), field: 'insured.ssn' },

  // ---- ZIP, state, phone, email ----
  { name: 'four-digit ZIP', input: summit((a) => (a.insured.address.zip = '3030')), field: 'insured.address.zip', message: /must be a ZIP code/ },
  { name: 'ZIP+2', input: summit((a) => (a.insured.address.zip = '30305-12')), field: 'insured.address.zip', message: /must be a ZIP code/ },
  { name: 'state ZZ', input: summit((a) => (a.insured.address.state = 'ZZ')), field: 'insured.address.state', message: /two-letter US state code/ },
  { name: 'state of signing spelled out', input: summit((a) => (a.stateOfSigning = 'Georgia')), field: 'stateOfSigning', message: /two-letter US state code/ },
  { name: 'state of signing in lower case', input: summit((a) => (a.stateOfSigning = 'ga')), field: 'stateOfSigning', message: /two-letter US state code/ },
  { name: 'phone "call me"', input: summit((a) => (a.insured.phone = 'call me')), field: 'insured.phone', message: /must be a phone number/ },
  { name: 'physician phone of five digits', input: summit((a) => (a.medical.disclosures[0].physician.phone = '12345')), field: 'medical.disclosures.0.physician.phone', message: /must be a phone number/ },
  { name: 'broker email without @', input: summit((a) => (a.broker.email = 'daniel.reyes.example')), field: 'broker.email', message: /must be an email address/ },
  { name: 'broker email with a Bcc header injected', input: summit((a) => (a.broker.email = 'daniel@reyes.example\r\nBcc: all@evil.example')), field: 'broker.email', message: /must be an email address/ },
  { name: 'insured email with two @', input: summit((a) => (a.insured.email = 'margaret@@example.com')), field: 'insured.email', message: /must be an email address/ },
  { name: 'NPN with letters', input: summit((a) => (a.broker.npn = 'NPN1765')), field: 'broker.npn', message: /National Producer Number/ },
  { name: 'EIN too short', input: summit((a) => (a.owner = { kind: 'ENTITY', relationship: 'Trust', name: 'Okafor Trust', taxId: '88-12345', address: { line1: '1 Main St', city: 'Atlanta', state: 'GA', zip: '30305' } })), field: 'owner.taxId', message: /must be an EIN/ },

  // ---- identifiers that become the workflow ID ----
  { name: 'path traversal as the application number', input: summit((a) => (a.applicationNumber = '../../etc/passwd')), field: 'applicationNumber', message: /3-30 letters, digits or dashes/ },
  { name: 'SQL as the application number', input: summit((a) => (a.applicationNumber = "1'; DROP TABLE \"Case\";--")), field: 'applicationNumber' },

  // ---- cross-field rules ----
  { name: 'form listed twice', input: summit((a) => (a.forms[1].code = 'APPLICATION')), field: 'forms.1.code', message: /APPLICATION is listed twice/ },
  { name: 'term without termYears', input: harbor((a) => delete a.product.termYears), field: 'product.termYears', message: /is required for term products/ },
  { name: 'term of 50 years', input: harbor((a) => (a.product.termYears = 50)), field: 'product.termYears' },
  { name: 'replacing without policies', input: summit((a) => (a.replacement = { hasExistingCoverage: true, isReplacing: true })), field: 'replacement.replacedPolicies', message: /must list the policies being replaced/ },
  { name: 'replacing with an empty policy list', input: summit((a) => (a.replacement = { hasExistingCoverage: true, isReplacing: true, replacedPolicies: [] })), field: 'replacement.replacedPolicies', message: /must list the policies being replaced/ },
  { name: 'replaced policy of $0', input: summit((a) => (a.replacement = { hasExistingCoverage: true, isReplacing: true, replacedPolicies: [{ carrier: 'Old Mutual', policyNumber: 'OM-1', faceAmount: 0 }] })), field: 'replacement.replacedPolicies.0.faceAmount' },
];

/**
 * Odd Unicode the schema accepts in names on purpose (real names use it), with what it does
 * with it: asserted in bad-input.test.ts so a change in either direction is noticed.
 */
export const acceptedOddNames: { name: string; lastName: string }[] = [
  { name: 'zero-width joiner (Indic scripts, emoji sequences)', lastName: 'Okafor\u200D' },
  { name: 'combining accents', lastName: 'Nun\u0303ez' },
  { name: 'Arabic script', lastName: 'الخطيب' },
  { name: 'apostrophe, ampersand and quotes', lastName: `O'Brien & "Sons"` },
];

// ---------------------------------------------------------------- actions ----

/** Keys the live case has (Summit WL, $1.5M, age 58, one physician disclosed). */
export const LIVE_KEYS = { vendor: 'PARAMED', carrier: 'MIBCHECK', aps: 'PHYSSTMT:priya-natarajan' } as const;

const actor = 'cm:jordan';

export const badActions: BadAction[] = [
  // ---- actor (every action) ----
  { name: 'receive without an actor', action: 'receive-requirement', input: { key: LIVE_KEYS.vendor }, field: 'actor' },
  { name: 'note with a blank actor', action: 'note', input: { actor: '   ', text: 'Called the broker' }, field: 'actor', message: /must name who did this/ },
  { name: 'withdraw with markup as the actor', action: 'withdraw', input: { actor: '<script>alert(1)</script>', reason: 'client request' }, field: 'actor', message: /may use letters, digits/ },
  { name: 'waive with an actor of 81 characters', action: 'waive-requirement', input: { actor: long(81, 'a'), key: LIVE_KEYS.aps, reason: 'on file' }, field: 'actor', message: /at most 80 characters/ },
  { name: 'note with a line break in the actor', action: 'note', input: { actor: 'cm:jordan\nforged: entry', text: 'hello' }, field: 'actor', message: /may use letters, digits/ },
  { name: 'decision with a numeric actor', action: 'decision', input: { actor: 42, decision: 'DECLINED', reason: 'build' }, field: 'actor' },

  // ---- requirement keys ----
  { name: 'receive with a one-character key', action: 'receive-requirement', input: { actor, key: 'P' }, field: 'key' },
  { name: 'waive without a key', action: 'waive-requirement', input: { actor, reason: 'not needed' }, field: 'key' },
  { name: 'receive with a key of 81 characters', action: 'receive-requirement', input: { actor, key: long(81, 'K') }, field: 'key' },
  { name: 'receive an unknown requirement key', action: 'receive-requirement', input: { actor, key: 'NOPE' }, field: 'key', message: /no requirement "NOPE" on this case/ },
  { name: 'vendor status for a carrier-fulfilled requirement', action: 'vendor-status', input: { actor: 'vendor:examone', key: LIVE_KEYS.carrier, status: 'COMPLETED' }, field: 'key', message: /is not fulfilled by a vendor/ },
  { name: 'review a requirement that was never received', action: 'review-requirement', input: { actor, key: LIVE_KEYS.aps, result: 'ACCEPTED' }, field: 'key', message: /only received requirements can be reviewed/ },

  // ---- dates ----
  { name: 'received on 2026-02-30', action: 'receive-requirement', input: { actor, key: LIVE_KEYS.aps, receivedOn: '2026-02-30' }, field: 'receivedOn', message: BAD_DATE },
  { name: 'scheduled for 12/02/2026', action: 'vendor-status', input: { actor: 'vendor:examone', key: LIVE_KEYS.vendor, status: 'SCHEDULED', scheduledFor: '12/02/2026' }, field: 'scheduledFor', message: BAD_DATE },
  { name: 'postponed until "next year"', action: 'decision', input: { actor: 'carrier:SUMMIT', decision: 'POSTPONED', reason: 'recent surgery', postponeUntil: 'next year' }, field: 'postponeUntil', message: BAD_DATE },
  { name: 'appointment without a date', action: 'record-appointment', input: { actor: 'contracting:lee' }, field: 'appointedOn' },
  { name: 'licence expiring on 2027-02-29', action: 'record-appointment', input: { actor: 'contracting:lee', appointedOn: daysFromToday(-1), license: { state: 'GA', licenseNumber: 'GA-1', expiresOn: '2027-02-29' } }, field: 'license.expiresOn', message: BAD_DATE },
  { name: 'licence state spelled out', action: 'record-appointment', input: { actor: 'contracting:lee', appointedOn: daysFromToday(-1), license: { state: 'Georgia', licenseNumber: 'GA-1', expiresOn: '2030-12-31' } }, field: 'license.state' },

  // ---- requirement codes and sources ----
  { name: 'add an unknown requirement code', action: 'add-requirement', input: { actor: 'carrier:SUMMIT', code: 'XRAY', source: 'CARRIER' }, field: 'code', message: /must be a known requirement code/ },
  { name: 'add a requirement from an unknown source', action: 'add-requirement', input: { actor, code: 'FINSUPP', source: 'BROKER' }, field: 'source' },
  { name: 'add an APS for a physician without a phone', action: 'add-requirement', input: { actor, code: 'PHYSSTMT', source: 'MANUAL', physician: { name: 'Dr. Ana Ruiz' } }, field: 'physician.phone' },
  { name: 'add a requirement with a description of 201 characters', action: 'add-requirement', input: { actor, code: 'OTHER', source: 'MANUAL', description: long(201) }, field: 'description' },

  // ---- completeness review ----
  { name: 'review that does nothing', action: 'review', input: { actor }, field: '(input)', message: /must resolve items, return items, or confirm in good order/ },
  { name: 'review that confirms good order and returns items', action: 'review', input: { actor, inGoodOrder: true, returnItems: ['Sign page 4'] }, field: 'inGoodOrder', message: /cannot confirm good order and return items at once/ },
  { name: 'review with resolved items as a string', action: 'review', input: { actor, resolvedItems: 'FORM:HIPAA' }, field: 'resolvedItems' },
  { name: 'requirement review with result MAYBE', action: 'review-requirement', input: { actor, key: LIVE_KEYS.aps, result: 'MAYBE' }, field: 'result' },

  // ---- vendor status ----
  { name: 'SCHEDULED without a date', action: 'vendor-status', input: { actor: 'vendor:examone', key: LIVE_KEYS.vendor, status: 'SCHEDULED' }, field: 'scheduledFor', message: /is required when the status is SCHEDULED/ },
  { name: 'vendor status DONE', action: 'vendor-status', input: { actor: 'vendor:examone', key: LIVE_KEYS.vendor, status: 'DONE' }, field: 'status' },
  { name: 'provider order number of 41 characters', action: 'vendor-status', input: { actor: 'vendor:examone', key: LIVE_KEYS.vendor, status: 'DELAYED', providerOrderNumber: long(41, '9') }, field: 'providerOrderNumber' },

  // ---- carrier decisions ----
  { name: 'decision MAYBE', action: 'decision', input: { actor: 'carrier:SUMMIT', decision: 'MAYBE' }, field: 'decision' },
  { name: 'approval without a risk class', action: 'decision', input: { actor: 'carrier:SUMMIT', decision: 'APPROVED_AS_APPLIED' }, field: 'riskClass' },
  { name: 'counter-offer with an empty risk class', action: 'decision', input: { actor: 'carrier:SUMMIT', decision: 'APPROVED_OTHER_THAN_APPLIED', riskClass: '  ' }, field: 'riskClass' },
  { name: 'decline without a reason', action: 'decision', input: { actor: 'carrier:SUMMIT', decision: 'DECLINED' }, field: 'reason' },
  { name: 'ISSUED with a three-character policy number', action: 'decision', input: { actor: 'carrier:SUMMIT', decision: 'ISSUED', policyNumber: 'SM1' }, field: 'policyNumber', message: /must be 4-30 letters, digits or dashes/ },
  { name: 'ISSUED with markup as the policy number', action: 'decision', input: { actor: 'carrier:SUMMIT', decision: 'ISSUED', policyNumber: '<b>SM-5531029</b>' }, field: 'policyNumber', message: /must be 4-30 letters, digits or dashes/ },
  { name: 'ISSUED with a policy number of 31 characters', action: 'decision', input: { actor: 'carrier:SUMMIT', decision: 'ISSUED', policyNumber: `SM-${long(28, '5')}` }, field: 'policyNumber', message: /must be 4-30 letters, digits or dashes/ },
  { name: 'ISSUED without a policy number', action: 'decision', input: { actor: 'carrier:SUMMIT', decision: 'ISSUED' }, field: 'policyNumber' },
  { name: 'a valid approval while the case is still in requirements', action: 'decision', input: { actor: 'carrier:SUMMIT', decision: 'APPROVED_AS_APPLIED', riskClass: 'Preferred' }, field: 'decision', message: /underwriting decisions are taken in UNDERWRITING/ },

  // ---- offer, withdraw, note ----
  { name: 'offer accepted "yes"', action: 'offer-response', input: { actor, accepted: 'yes' }, field: 'accepted' },
  { name: 'offer response with no offer pending', action: 'offer-response', input: { actor, accepted: true }, field: 'accepted', message: /no counter-offer is pending/ },
  { name: 'withdraw without a reason', action: 'withdraw', input: { actor }, field: 'reason' },
  { name: 'withdraw with a reason of 501 characters', action: 'withdraw', input: { actor, reason: long(501) }, field: 'reason', message: /at most 500 characters/ },
  { name: 'withdraw with a reason on two lines', action: 'withdraw', input: { actor, reason: 'Client moved\nabroad' }, field: 'reason', message: /one line/ },
  { name: 'note of 2001 characters', action: 'note', input: { actor, text: long(2001) }, field: 'text', message: /at most 2000 characters/ },
  { name: 'note of 100,000 characters', action: 'note', input: { actor, text: long(100_000) }, field: 'text', message: /at most 2000 characters/ },
  { name: 'receive with a note of 2001 characters', action: 'receive-requirement', input: { actor, key: LIVE_KEYS.aps, note: long(2001) }, field: 'note', message: /at most 2000 characters/ },
  { name: 'blank note', action: 'note', input: { actor, text: ' \t ' }, field: 'text', message: NOT_EMPTY },
  { name: 'note that is a string', action: 'note', input: 'hello', field: '(input)' },
  { name: 'note that is null', action: 'note', input: null, field: '(input)' },
];
