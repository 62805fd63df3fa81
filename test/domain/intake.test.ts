import path from 'node:path';
import { loadRulesConfig } from '../../activities/rules-config';
import type { Application } from '../../domain/application';
import type { RulesConfig } from '../../domain/carrier-config';
import { checkIntake } from '../../domain/intake';
import { application, dobForAge, TODAY } from './fixtures';

let config: RulesConfig;
beforeAll(async () => {
  config = await loadRulesConfig(path.resolve(__dirname, '../../config/rules.json'));
});

const check = (app: Application, today = TODAY) => checkIntake(app, config, today);

describe('checkIntake', () => {
  test('accepts an application the carrier offers', () => {
    expect(check(application())).toEqual([]);
  });

  test('unknown carrier', () => {
    expect(check(application((a) => (a.carrier = 'ACME')))).toEqual([
      { field: 'carrier', message: '"ACME" is not a carrier this agency places business with; known carriers: SUMMIT, HARBOR' },
    ]);
  });

  test('product type the carrier does not offer', () => {
    const app = application((a) => (a.product = { type: 'TERM', plan: 'Summit Term 20', faceAmount: 250_000, termYears: 20 }));
    expect(check(app)).toEqual([{ field: 'product.type', message: 'Summit Mutual Life (SUMMIT) does not offer TERM; it offers WL, UL' }]);
  });

  test('unknown plan', () => {
    expect(check(application((a) => (a.product.plan = 'Summit Whole Life 65')))).toEqual([
      {
        field: 'product.plan',
        message: '"Summit Whole Life 65" is not a SUMMIT WL plan; plans: Summit Whole Life 100, Summit Whole Life 20-Pay',
      },
    ]);
  });

  test('face amount not available at the issue age', () => {
    const app = application((a) => {
      a.insured.dateOfBirth = dobForAge(30);
      a.product.faceAmount = 50_000;
    });
    expect(check(app)).toEqual([
      {
        field: 'product.faceAmount',
        message: '$50,000 is not available at issue age 30 for SUMMIT WL; at that age SUMMIT WL is available for $100,000 to $5,000,000',
      },
    ]);
  });

  test('juveniles are limited to $2M', () => {
    const app = application((a) => {
      a.insured.dateOfBirth = dobForAge(10);
      a.product.faceAmount = 2_500_000;
    });
    expect(check(app)[0]?.message).toBe(
      '$2,500,000 is not available at issue age 10 for SUMMIT WL; at that age SUMMIT WL is available for $25,000 to $1,999,999',
    );
  });

  test('face amount above the grid', () => {
    const app = application((a) => (a.product.faceAmount = 6_000_000));
    expect(check(app)).toEqual([
      {
        field: 'product.faceAmount',
        message: '$6,000,000 is not available at issue age 40 for SUMMIT WL; at that age SUMMIT WL is available for $100,000 to $5,000,000',
      },
    ]);
  });

  test('issue age over the maximum and under the minimum', () => {
    expect(check(application((a) => (a.insured.dateOfBirth = dobForAge(81))))).toEqual([
      { field: 'insured.dateOfBirth', message: 'issue age 81 (age last birthday) is over the maximum issue age 80 for SUMMIT WL' },
    ]);
    const juvenileTerm = application((a) => {
      a.carrier = 'HARBOR';
      a.product = { type: 'TERM', plan: 'Harbor Term 20', faceAmount: 250_000, termYears: 20 };
      a.insured.dateOfBirth = dobForAge(17);
    });
    expect(check(juvenileTerm)).toEqual([
      { field: 'insured.dateOfBirth', message: 'issue age 17 (age nearest birthday) is below the minimum issue age 18 for HARBOR TERM' },
    ]);
  });

  test('signed in the future', () => {
    expect(check(application(), '2026-03-01')).toEqual([{ field: 'signedOn', message: '2026-03-02 is in the future (today is 2026-03-01)' }]);
  });

  test('application older than the carrier accepts', () => {
    // Signed 2026-03-02: SUMMIT takes it for 180 days, to 2026-08-29.
    expect(check(application(), '2026-08-29')).toEqual([]);
    expect(check(application(), '2026-08-30')).toEqual([
      {
        field: 'signedOn',
        message:
          'the application signed on 2026-03-02 was valid until 2026-08-29 (SUMMIT accepts applications for 180 days after signing); a new application is needed',
      },
    ]);
    const harborTerm = application((a) => {
      a.carrier = 'HARBOR';
      a.product = { type: 'TERM', plan: 'Harbor Term 20', faceAmount: 250_000, termYears: 20 };
    });
    expect(check(harborTerm, '2026-05-31')).toEqual([]);
    expect(check(harborTerm, '2026-06-01').map((e) => e.field)).toEqual(['signedOn']);
  });

  test('reports every problem at once', () => {
    const app = application((a) => {
      a.product.plan = 'Nope';
      a.product.faceAmount = 60_000;
    });
    expect(check(app, '2027-01-01').map((e) => e.field)).toEqual(['signedOn', 'product.plan', 'product.faceAmount']);
  });
});
