import { ApplicationSchema, type Application, type ApplicationInput } from '../../domain/application';
import type { FormCode } from '../../domain/catalogue';

export const SIGNED_ON = '2026-03-02';
export const TODAY = '2026-03-10';

/** A date of birth giving this age on SIGNED_ON on either basis (birthday six weeks earlier). */
export function dobForAge(age: number): string {
  return `${2026 - age}-01-15`;
}

export function form(code: FormCode, overrides: Partial<ApplicationInput['forms'][number]> = {}): ApplicationInput['forms'][number] {
  return { code, signedByInsured: true, signedByOwner: true, signedByAgent: true, dated: true, ...overrides };
}

/**
 * A complete SUMMIT whole-life application signed in Texas (a replacement state without HIV consent),
 * in good order; `patch` edits the raw input before it is parsed.
 */
export function application(patch: (app: ApplicationInput) => void = () => {}): Application {
  const input: ApplicationInput = {
    applicationNumber: 'SM-100234',
    carrier: 'SUMMIT',
    product: { type: 'WL', plan: 'Summit Whole Life 100', faceAmount: 250_000 },
    stateOfSigning: 'TX',
    signedOn: SIGNED_ON,
    insured: {
      firstName: 'Maria',
      lastName: 'Lopez',
      dateOfBirth: dobForAge(40),
      sex: 'F',
      ssn: '123-45-6789',
      phone: '555-201-3344',
      tobacco: false,
      address: { line1: '12 Elm Street', city: 'Austin', state: 'TX', zip: '78701' },
    },
    broker: { npn: '1234567', name: 'Sam Broker', email: 'sam@broker.example' },
    medical: { disclosures: [] },
    replacement: { hasExistingCoverage: false, isReplacing: false },
    forms: [form('APPLICATION'), form('HIPAA'), form('REPLACEMENT'), form('AGENTRPT')],
    documents: [],
  };
  patch(input);
  return ApplicationSchema.parse(input);
}
