import path from 'node:path';
import { loadRulesConfig } from '../../activities/rules-config';
import type { Application } from '../../domain/application';
import type { RulesConfig } from '../../domain/carrier-config';
import type { RequirementCode } from '../../domain/catalogue';
import type { PlannedRequirement } from '../../domain/evaluation';
import { checkIntake } from '../../domain/intake';
import { physicianSlug } from '../../domain/physician';
import { evaluateApplication } from '../../domain/rules';
import { application, dobForAge, form, SIGNED_ON, TODAY } from './fixtures';

let config: RulesConfig;
beforeAll(async () => {
  config = await loadRulesConfig(path.resolve(__dirname, '../../config/rules.json'));
});

const evaluate = (app: Application) => evaluateApplication(app, config, TODAY);
const codesFrom = (reqs: PlannedRequirement[], source: PlannedRequirement['source']) =>
  reqs.filter((r) => r.source === source).map((r) => r.code).sort();
const byKey = (reqs: PlannedRequirement[], key: string) => reqs.find((r) => r.key === key);

const summit = (age: number, faceAmount: number, patch: (app: any) => void = () => {}) =>
  application((a) => {
    a.insured.dateOfBirth = dobForAge(age);
    a.product.faceAmount = faceAmount;
    patch(a);
  });

const harbor = (type: 'TERM' | 'IUL', age: number, faceAmount: number, patch: (app: any) => void = () => {}) =>
  application((a) => {
    a.carrier = 'HARBOR';
    a.product = type === 'TERM' ? { type, plan: 'Harbor Term 20', faceAmount, termYears: 20 } : { type, plan: 'Harbor Index Builder IUL', faceAmount };
    a.insured.dateOfBirth = dobForAge(age);
    if (type === 'IUL') a.forms.push(form('SIGNILLUS'));
    patch(a);
  });

describe('SUMMIT whole-life grid, cell by cell as published', () => {
  const FULL: RequirementCode[] = ['TELEINTERVIEW', 'BLOOD', 'URINE', 'PARAMED'];
  const CS: RequirementCode[] = [...FULL, 'COGSCREEN'];
  const IR: RequirementCode[] = [...FULL, 'INSPRPT'];
  const IRCS: RequirementCode[] = [...IR, 'COGSCREEN'];
  const MHQ: RequirementCode[] = [];
  const NA = 'NA' as const;
  const ages: [number, number][] = [[0, 17], [18, 45], [46, 55], [56, 65], [66, 69], [70, 80]];
  const published: [number, number, (RequirementCode[] | 'NA')[]][] = [
    [25_000, 99_999, [MHQ, NA, NA, NA, NA, NA]],
    [100_000, 499_999, [MHQ, MHQ, MHQ, MHQ, FULL, CS]],
    [500_000, 999_999, [MHQ, MHQ, MHQ, FULL, FULL, CS]],
    [1_000_000, 1_999_999, [MHQ, MHQ, FULL, FULL, FULL, CS]],
    [2_000_000, 3_500_000, [NA, FULL, FULL, FULL, FULL, CS]],
    [3_500_001, 5_000_000, [NA, IR, IR, IR, IR, IRCS]],
  ];
  const cases = published.flatMap(([minFace, maxFace, cells]) =>
    cells.flatMap((cell, band) => {
      const [minAge, maxAge] = ages[band] ?? [0, 0];
      return [minAge, maxAge].flatMap((age) => [minFace, maxFace].map((face) => ({ age, face, cell })));
    }),
  );

  test.each(cases)('age $age, $face', ({ age, face, cell }) => {
    const app = summit(age, face);
    if (cell === 'NA') {
      expect(checkIntake(app, config, TODAY).map((e) => e.field)).toEqual(['product.faceAmount']);
      expect(() => evaluate(app)).toThrow('checkIntake must accept the application');
    } else {
      expect(checkIntake(app, config, TODAY)).toEqual([]);
      expect(codesFrom(evaluate(app).requirements, 'GRID')).toEqual([...cell].sort());
    }
  });

  test('the examples of the brief', () => {
    expect(codesFrom(evaluate(summit(67, 250_000)).requirements, 'GRID')).toEqual(['BLOOD', 'PARAMED', 'TELEINTERVIEW', 'URINE']);
    expect(codesFrom(evaluate(summit(72, 750_000)).requirements, 'GRID')).toEqual(['BLOOD', 'COGSCREEN', 'PARAMED', 'TELEINTERVIEW', 'URINE']);
    expect(codesFrom(evaluate(summit(40, 4_000_000)).requirements, 'GRID')).toContain('INSPRPT');
    expect(codesFrom(evaluate(summit(40, 250_000)).requirements, 'GRID')).toEqual([]);
  });

  test('UL uses the same grid', () => {
    const app = summit(67, 250_000, (a) => {
      a.product = { type: 'UL', plan: 'Summit Guaranteed UL', faceAmount: 250_000 };
      a.forms.push(form('SIGNILLUS'));
    });
    expect(codesFrom(evaluate(app).requirements, 'GRID')).toEqual(['BLOOD', 'PARAMED', 'TELEINTERVIEW', 'URINE']);
  });
});

describe('requirement details', () => {
  test('exam requirements go to the carrier’s exam vendor with the client’s instructions', () => {
    const { requirements, issueAge } = evaluate(summit(67, 250_000));
    expect(issueAge).toBe(67);
    expect(byKey(requirements, 'BLOOD')).toEqual({
      key: 'BLOOD',
      code: 'BLOOD',
      description: 'Blood chemistry profile',
      fulfiller: 'EXAM_VENDOR',
      vendorCode: 'EXAMONE',
      source: 'GRID',
      phase: 'PRE_SUBMISSION',
      clientAction: 'Fast for 8 hours before the exam (water is fine) for the blood draw.',
    });
    expect(byKey(requirements, 'TELEINTERVIEW')?.fulfiller).toBe('CARRIER');
    expect(byKey(requirements, 'TELEINTERVIEW')?.vendorCode).toBeUndefined();
    expect(byKey(evaluate(summit(40, 4_000_000)).requirements, 'INSPRPT')?.vendorCode).toBe('INSPECTCO');
    expect(byKey(evaluate(harbor('TERM', 70, 500_000)).requirements, 'PARAMED')?.vendorCode).toBe('APPS');
  });

  test('always-on checks, with the motor vehicle report from age 16', () => {
    const adult = evaluate(summit(40, 250_000)).requirements;
    expect(adult.map((r) => [r.key, r.source, r.fulfiller])).toEqual([
      ['MIBCHECK', 'ALWAYS', 'CARRIER'],
      ['RXHIST', 'ALWAYS', 'CARRIER'],
      ['MVRPT', 'ALWAYS', 'CARRIER'],
    ]);
    expect(codesFrom(evaluate(summit(15, 250_000)).requirements, 'ALWAYS')).toEqual(['MIBCHECK', 'RXHIST']);
    expect(codesFrom(evaluate(summit(16, 250_000)).requirements, 'ALWAYS')).toEqual(['MIBCHECK', 'MVRPT', 'RXHIST']);
    expect(evaluate(summit(40, 250_000)).requirements.every((r) => r.phase === 'PRE_SUBMISSION')).toBe(true);
  });

  test('one APS per distinct physician, keyed by the physician', () => {
    const grant = { name: 'Dr. Alan Grant', phone: '555-301-1000', practice: 'Badlands Cardiology' };
    const app = summit(40, 250_000, (a) => {
      a.medical.disclosures = [
        { condition: 'Hypertension', physician: grant },
        { condition: 'High cholesterol', physician: { name: 'Alan Grant, M.D.', phone: '555-301-1000' } },
        { condition: 'Asthma', physician: { name: 'Ellie Sattler', phone: '555-301-2000' } },
      ];
    });
    const aps = evaluate(app).requirements.filter((r) => r.code === 'PHYSSTMT');
    expect(aps).toEqual([
      {
        key: 'PHYSSTMT:alan-grant',
        code: 'PHYSSTMT',
        description: 'Attending physician statement: Dr. Alan Grant',
        fulfiller: 'APS_VENDOR',
        vendorCode: 'APSNOW',
        source: 'DISCLOSURE',
        phase: 'PRE_SUBMISSION',
        physician: grant,
      },
      expect.objectContaining({ key: 'PHYSSTMT:ellie-sattler', physician: { name: 'Ellie Sattler', phone: '555-301-2000' } }),
    ]);
  });

  test('physician slugs ignore titles, punctuation and case', () => {
    expect(physicianSlug('Dr. Alan Grant')).toBe('alan-grant');
    expect(physicianSlug('ALAN GRANT, MD')).toBe('alan-grant');
    expect(physicianSlug("Mary O'Neil D.O.")).toBe('mary-o-neil');
    expect(physicianSlug('Dr.')).toBe('dr');
  });

  test.each([
    [72, 1_000_000, false],
    [72, 1_000_001, true],
    [69, 1_500_000, false],
    [40, 3_000_000, false],
    [40, 3_000_001, true],
  ])('SUMMIT financial supplement at age %i for $%i: %s', (age, face, expected) => {
    const finsupp = byKey(evaluate(summit(age, face)).requirements, 'FINSUPP');
    expect(finsupp !== undefined).toBe(expected);
    if (finsupp) expect(finsupp).toMatchObject({ fulfiller: 'BROKER', source: 'CARRIER', phase: 'PRE_SUBMISSION' });
  });

  test('HARBOR financial supplement thresholds are lower', () => {
    expect(byKey(evaluate(harbor('TERM', 66, 1_000_001)).requirements, 'FINSUPP')).toBeDefined();
    expect(byKey(evaluate(harbor('TERM', 64, 1_500_000)).requirements, 'FINSUPP')).toBeUndefined();
    expect(byKey(evaluate(harbor('TERM', 40, 2_000_001)).requirements, 'FINSUPP')).toBeDefined();
  });
});

describe('HARBOR letter-key grids', () => {
  test.each([
    ['TERM', 30, 500_000, []],
    ['TERM', 62, 200_000, ['BLOOD', 'PARAMED', 'URINE']],
    ['TERM', 45, 1_000_001, ['BLOOD', 'PARAMED', 'URINE']],
    ['TERM', 70, 500_000, ['BLOOD', 'EKGREST', 'PARAMED', 'URINE']],
    ['TERM', 35, 8_000_000, ['BLOOD', 'EKGREST', 'PARAMED', 'URINE']],
    ['IUL', 10, 400_000, []],
    ['IUL', 30, 600_000, ['BLOOD', 'PARAMED', 'URINE']],
    ['IUL', 75, 300_000, ['BLOOD', 'EKGREST', 'PARAMED', 'URINE']],
  ] as const)('%s age %i, $%i', (type, age, face, expected) => {
    const app = harbor(type, age, face);
    expect(checkIntake(app, config, TODAY)).toEqual([]);
    expect(codesFrom(evaluate(app).requirements, 'GRID')).toEqual(expected);
  });

  test('not available cells are refused at intake', () => {
    expect(checkIntake(harbor('TERM', 70, 5_000_000), config, TODAY)[0]?.message).toBe(
      '$5,000,000 is not available at issue age 70 for HARBOR TERM; at that age HARBOR TERM is available for $100,000 to $3,000,000',
    );
    expect(checkIntake(harbor('IUL', 10, 3_000_000), config, TODAY)[0]?.field).toBe('product.faceAmount');
  });

  test('age nearest birthday moves a case into the next column', () => {
    // Born 1975-08-01: age 50 last birthday but 51 nearest birthday on 2026-03-02.
    const harborApp = harbor('TERM', 0, 500_000, (a) => (a.insured.dateOfBirth = '1975-08-01'));
    expect(evaluate(harborApp).issueAge).toBe(51);
    expect(codesFrom(evaluate(harborApp).requirements, 'GRID')).toEqual(['BLOOD', 'PARAMED', 'URINE']);
    expect(evaluate(summit(0, 500_000, (a) => (a.insured.dateOfBirth = '1975-08-01'))).issueAge).toBe(50);
  });

  test('the agent’s report is a requirement to follow, not a NIGO item', () => {
    const { nigo, requirements } = evaluate(harbor('TERM', 30, 500_000, (a) => (a.forms = a.forms.filter((f: any) => f.code !== 'AGENTRPT'))));
    expect(nigo).toEqual([]);
    expect(byKey(requirements, 'AGENTRPT')).toMatchObject({ fulfiller: 'BROKER', source: 'CARRIER', phase: 'PRE_SUBMISSION' });
  });
});

describe('NIGO items', () => {
  const without = (code: string) => (a: any) => (a.forms = a.forms.filter((f: any) => f.code !== code));

  test('an application in good order has none', () => {
    expect(evaluate(summit(40, 250_000)).nigo).toEqual([]);
  });

  test('a missing HIPAA authorization is a NIGO item and not a requirement', () => {
    const { nigo, requirements } = evaluate(summit(40, 250_000, without('HIPAA')));
    expect(nigo).toEqual([
      {
        key: 'MISSING_FORM:HIPAA',
        kind: 'MISSING_FORM',
        form: 'HIPAA',
        message: 'HIPAA authorization is missing (required with every application)',
      },
    ]);
    expect(requirements.some((r) => r.code === 'HIPAA')).toBe(false);
  });

  test('the SUMMIT agent’s report must be in the package', () => {
    const { nigo, requirements } = evaluate(summit(40, 250_000, without('AGENTRPT')));
    expect(nigo.map((n) => n.key)).toEqual(['MISSING_FORM:AGENTRPT']);
    expect(requirements.some((r) => r.code === 'AGENTRPT')).toBe(false);
  });

  test('missing signatures and dates', () => {
    const app = summit(40, 250_000, (a) => {
      a.forms = [
        form('APPLICATION', { signedByInsured: false, signedByAgent: false }),
        form('HIPAA', { dated: false }),
        form('REPLACEMENT'),
        form('AGENTRPT'),
      ];
    });
    expect(evaluate(app).nigo).toEqual([
      { key: 'MISSING_SIGNATURE:APPLICATION:insured', kind: 'MISSING_SIGNATURE', form: 'APPLICATION', message: 'Application (Part I) is not signed by the insured' },
      { key: 'MISSING_SIGNATURE:APPLICATION:agent', kind: 'MISSING_SIGNATURE', form: 'APPLICATION', message: 'Application (Part I) is not signed by the agent' },
      { key: 'UNDATED_FORM:HIPAA', kind: 'UNDATED_FORM', form: 'HIPAA', message: 'HIPAA authorization is not dated' },
    ]);
  });

  test('the owner signs only when the owner is not the insured', () => {
    const unsignedByOwner = (a: any) => (a.forms[0] = form('APPLICATION', { signedByOwner: false }));
    expect(evaluate(summit(40, 250_000, unsignedByOwner)).nigo).toEqual([]);
    const trustOwned = summit(40, 250_000, (a) => {
      unsignedByOwner(a);
      a.owner = {
        kind: 'ENTITY',
        name: 'Lopez Family Trust',
        taxId: '12-3456789',
        relationship: 'Trust',
        address: { line1: '1 Trust Way', city: 'Austin', state: 'TX', zip: '78701' },
      };
    });
    expect(evaluate(trustOwned).nigo.map((n) => n.key)).toEqual(['MISSING_SIGNATURE:APPLICATION:owner']);
  });

  test('a person owner without an address is a missing field', () => {
    const app = summit(40, 250_000, (a) => {
      a.owner = { kind: 'PERSON', firstName: 'Luis', lastName: 'Lopez', dateOfBirth: '1970-05-05', sex: 'M', ssn: '234-56-7890', relationship: 'Spouse' };
    });
    expect(evaluate(app).nigo).toEqual([
      {
        key: 'MISSING_FIELD:owner.address',
        kind: 'MISSING_FIELD',
        message: 'The owner’s address is missing; the owner is not the insured, so the carrier needs it for the policy',
      },
    ]);
  });

  test('replacement notice: every application in a replacement state, elsewhere only when replacing', () => {
    expect(evaluate(summit(40, 250_000, without('REPLACEMENT'))).nigo).toEqual([
      {
        key: 'MISSING_FORM:REPLACEMENT',
        kind: 'MISSING_FORM',
        form: 'REPLACEMENT',
        message: 'Replacement notice is missing (required for every application signed in TX)',
      },
    ]);
    const inMinnesota = (a: any) => {
      without('REPLACEMENT')(a);
      a.stateOfSigning = 'MN';
    };
    expect(evaluate(summit(40, 250_000, inMinnesota)).nigo).toEqual([]);
    const replacing = summit(40, 250_000, (a) => {
      inMinnesota(a);
      a.replacement = { hasExistingCoverage: true, isReplacing: true, replacedPolicies: [{ carrier: 'Old Life', policyNumber: 'OL-1', faceAmount: 100_000 }] };
    });
    expect(evaluate(replacing).nigo.map((n) => n.message)).toEqual([
      'Replacement notice is missing (the application says an existing policy is being replaced)',
    ]);
    const existing = summit(40, 250_000, (a) => {
      inMinnesota(a);
      a.replacement = { hasExistingCoverage: true, isReplacing: false };
    });
    expect(evaluate(existing).nigo.map((n) => n.key)).toEqual(['MISSING_FORM:REPLACEMENT']);
  });

  test('signed illustration for IUL, not for term', () => {
    expect(evaluate(harbor('IUL', 40, 400_000, without('SIGNILLUS'))).nigo.map((n) => [n.key, n.message])).toEqual([
      ['MISSING_FORM:SIGNILLUS', 'Signed illustration is missing (required for IUL products)'],
    ]);
    expect(evaluate(harbor('TERM', 40, 400_000)).nigo).toEqual([]);
  });

  test('HIV consent in the states that require it', () => {
    const inNewYork = summit(40, 250_000, (a) => (a.stateOfSigning = 'NY'));
    expect(evaluate(inNewYork).nigo.map((n) => [n.key, n.message])).toEqual([
      ['MISSING_FORM:HIVCONSENT', 'HIV consent is missing (required for applications signed in NY)'],
    ]);
    const signed = summit(40, 250_000, (a) => {
      a.stateOfSigning = 'NY';
      a.forms.push(form('HIVCONSENT', { signedByInsured: false }));
    });
    expect(evaluate(signed).nigo.map((n) => n.key)).toEqual(['MISSING_SIGNATURE:HIVCONSENT:insured']);
  });
});

describe('documents already received', () => {
  const received = (docs: { code: string; receivedOn: string; description?: string }[]) => (a: any) => (a.documents = docs);
  const receivedOn = (app: Application, key: string) => byKey(evaluate(app).requirements, key)?.alreadyReceivedOn;

  test('blood and urine last 12 months up to age 70', () => {
    const app = summit(67, 250_000, received([{ code: 'BLOOD', receivedOn: '2025-03-10' }, { code: 'URINE', receivedOn: '2025-03-09' }]));
    expect(receivedOn(app, 'BLOOD')).toBe('2025-03-10');
    expect(receivedOn(app, 'URINE')).toBeUndefined();
    expect(receivedOn(summit(70, 250_000, received([{ code: 'BLOOD', receivedOn: '2025-04-01' }])), 'BLOOD')).toBe('2025-04-01');
  });

  test('blood and urine last 6 months from age 71', () => {
    const app = summit(72, 250_000, received([{ code: 'BLOOD', receivedOn: '2025-09-10' }, { code: 'URINE', receivedOn: '2025-09-09' }]));
    expect(receivedOn(app, 'BLOOD')).toBe('2025-09-10');
    expect(receivedOn(app, 'URINE')).toBeUndefined();
    expect(receivedOn(summit(72, 250_000, received([{ code: 'BLOOD', receivedOn: '2025-04-01' }])), 'BLOOD')).toBeUndefined();
  });

  test('an ECG lasts 12 months and a paramed exam 6', () => {
    const app = harbor('TERM', 70, 500_000, received([
      { code: 'EKGREST', receivedOn: '2025-03-10' },
      { code: 'PARAMED', receivedOn: '2025-09-09' },
    ]));
    expect(receivedOn(app, 'EKGREST')).toBe('2025-03-10');
    expect(receivedOn(app, 'PARAMED')).toBeUndefined();
    expect(receivedOn(harbor('TERM', 70, 500_000, received([{ code: 'PARAMED', receivedOn: '2025-09-10' }])), 'PARAMED')).toBe('2025-09-10');
  });

  test('the latest usable copy counts; future-dated ones do not', () => {
    const app = summit(40, 250_000, received([
      { code: 'MIBCHECK', receivedOn: '2019-05-01' },
      { code: 'MIBCHECK', receivedOn: '2024-05-01' },
      { code: 'RXHIST', receivedOn: '2026-04-01' },
    ]));
    expect(receivedOn(app, 'MIBCHECK')).toBe('2024-05-01');
    expect(receivedOn(app, 'RXHIST')).toBeUndefined();
  });

  test('an APS on file counts only for the physician it names', () => {
    const app = summit(40, 250_000, (a) => {
      a.medical.disclosures = [
        { condition: 'Hypertension', physician: { name: 'Dr. Alan Grant', phone: '555-301-1000' } },
        { condition: 'Asthma', physician: { name: 'Ellie Sattler', phone: '555-301-2000' } },
      ];
      a.documents = [{ code: 'PHYSSTMT', receivedOn: '2025-11-01', description: 'APS from Alan Grant MD' }];
    });
    expect(receivedOn(app, 'PHYSSTMT:alan-grant')).toBe('2025-11-01');
    expect(receivedOn(app, 'PHYSSTMT:ellie-sattler')).toBeUndefined();
  });

  test('a financial supplement in the package counts once it is in order', () => {
    const withSupplement = (signedByInsured: boolean) => (a: any) => a.forms.push(form('FINSUPP', { signedByInsured }));
    expect(receivedOn(summit(72, 1_500_000, withSupplement(true)), 'FINSUPP')).toBe(SIGNED_ON);
    const unsigned = evaluate(summit(72, 1_500_000, withSupplement(false)));
    expect(byKey(unsigned.requirements, 'FINSUPP')?.alreadyReceivedOn).toBeUndefined();
    expect(unsigned.nigo.map((n) => n.key)).toEqual(['MISSING_SIGNATURE:FINSUPP:insured']);
  });
});

describe('case rules', () => {
  test('SUMMIT', () => {
    const { rules } = evaluate(summit(40, 250_000));
    expect(rules).toMatchObject({
      bgaName: 'Keystone Brokerage General Agency',
      carrierCode: 'SUMMIT',
      carrierName: 'Summit Mutual Life',
      submissionPolicy: 'IN_GOOD_ORDER',
      newBusinessChannel: { type: 'email', target: 'newbusiness@summitmutual.example' },
      followUp: { closeInactiveAfterDays: 45, applicationValidDays: 180 },
      vendorByKind: { exam: 'EXAMONE', aps: 'APSNOW', inspection: 'INSPECTCO' },
      caseManagerEmail: 'newbusiness@bga.example',
      contractingEmail: 'contracting@bga.example',
    });
    expect(Object.keys(rules.vendors).sort()).toEqual(['APSNOW', 'EXAMONE', 'INSPECTCO']);
    expect(rules.vendors.EXAMONE).toEqual({
      code: 'EXAMONE',
      name: 'ExamOne',
      channel: { type: 'email', target: 'orders@examone.example' },
      followUpBusinessDays: 3,
    });
    expect(rules.holidays).toContain('2026-11-26');
    expect(rules.delivery.map((d) => [d.key, d.phase, d.source, d.fulfiller])).toEqual([
      ['POLDELRECEIPT', 'DELIVERY', 'DELIVERY', 'BROKER'],
      ['AMENDMENT', 'DELIVERY', 'DELIVERY', 'BROKER'],
      ['FIRSTPREMIUM', 'DELIVERY', 'DELIVERY', 'BROKER'],
    ]);
  });

  test('HARBOR', () => {
    const { rules } = evaluate(harbor('TERM', 40, 500_000));
    expect(rules.submissionPolicy).toBe('WITH_REQUIREMENTS_TO_FOLLOW');
    expect(rules.newBusinessChannel).toEqual({ type: 'email', target: 'newbusiness@harborlife.example' });
    expect(rules.followUp).toMatchObject({ closeInactiveAfterDays: 30, closeIncompleteAfterBusinessDays: 10 });
    expect(rules.vendors.APPS?.channel).toEqual({ type: 'email', target: 'orders@apps-paramed.example' });
    expect(Object.keys(rules.vendors).sort()).toEqual(['APPS', 'APSNOW', 'INSPECTCO']);
    expect(rules.delivery.map((d) => d.code)).toEqual(['POLDELRECEIPT', 'FIRSTPREMIUM']);
  });

  test('an unknown carrier cannot be evaluated', () => {
    expect(() => evaluate(summit(40, 250_000, (a) => (a.carrier = 'ACME')))).toThrow('Unknown carrier ACME');
  });
});
