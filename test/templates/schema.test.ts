import { EmailTemplateSchema } from '../../templates';
import { allFixtures, fixtures } from './fixtures';

/** The paths of the issues a bad input raises, so each test pins the exact field blamed. */
function issuePaths(input: unknown): PropertyKey[][] {
  const result = EmailTemplateSchema.safeParse(input);
  if (result.success) throw new Error('expected the schema to reject the input');
  return result.error.issues.map((i) => i.path);
}

describe('EmailTemplateSchema', () => {
  it.each(allFixtures.map((f) => [f.template, f] as const))('accepts realistic %s data', (_, data) => {
    expect(EmailTemplateSchema.safeParse(data).success).toBe(true);
  });

  it('rejects an unknown template', () => {
    expect(issuePaths({ ...fixtures.nigo, template: 'newsletter' })).toEqual([['template']]);
  });

  it('rejects a missing common field', () => {
    const { caseReference: _, ...rest } = fixtures.acknowledgement;
    expect(issuePaths(rest)).toEqual([['caseReference']]);
  });

  it('rejects a line break in a value that ends up in the subject', () => {
    expect(issuePaths({ ...fixtures.nigo, insuredName: 'Jane Doe\r\nBcc: someone@example.com' })).toEqual([['insuredName']]);
  });

  it('rejects a NIGO email with no items', () => {
    expect(issuePaths({ ...fixtures.nigo, items: [] })).toEqual([['items']]);
  });

  it('rejects a NIGO item without what to do', () => {
    const items = [fixtures.nigo.items[0], { description: 'EFT form not signed' }];
    expect(issuePaths({ ...fixtures.nigo, items })).toEqual([['items', 1, 'action']]);
  });

  it('rejects a date that is not on the calendar', () => {
    expect(issuePaths({ ...fixtures.nigo, closeIncompleteOn: '2026-02-30' })).toEqual([['closeIncompleteOn']]);
    expect(issuePaths({ ...fixtures.reminder, nextDeadline: '12/04/2026' })).toEqual([['nextDeadline']]);
  });

  it('rejects a face amount with cents', () => {
    expect(issuePaths({ ...fixtures.acknowledgement, faceAmount: 1_500_000.5 })).toEqual([['faceAmount']]);
  });

  it('rejects a reminder number of 0', () => {
    expect(issuePaths({ ...fixtures.reminder, reminderNumber: 0 })).toEqual([['reminderNumber']]);
  });

  it('rejects a negative age on an escalated item', () => {
    const outstanding = [fixtures.escalation.outstanding[0], { description: 'Signed illustration', daysOpen: -1 }];
    expect(issuePaths({ ...fixtures.escalation, outstanding })).toEqual([['outstanding', 1, 'daysOpen']]);
  });

  it('rejects an unknown decision outcome', () => {
    expect(issuePaths({ ...fixtures.decision, outcome: 'MAYBE' })).toEqual([['outcome']]);
  });

  it('rejects an offer other than applied without the offered class', () => {
    expect(issuePaths({ ...fixtures.decision, offeredRiskClass: undefined })).toEqual([['offeredRiskClass']]);
  });

  it('rejects an issued policy without delivery requirements', () => {
    expect(issuePaths({ ...fixtures.placement, deliveryRequirements: [] })).toEqual([['deliveryRequirements']]);
  });

  it('rejects an unknown closure reason', () => {
    expect(issuePaths({ ...fixtures.closure, reason: 'LAPSED' })).toEqual([['reason']]);
  });

  it('rejects an APS order without the physician', () => {
    const { physician: _, ...rest } = fixtures['vendor-order'];
    expect(issuePaths(rest)).toEqual([['physician']]);
  });

  it('rejects a vendor order with a bad ZIP code', () => {
    const insuredAddress = { ...fixtures['vendor-order'].insuredAddress, zip: '3030' };
    expect(issuePaths({ ...fixtures['vendor-order'], insuredAddress })).toEqual([['insuredAddress', 'zip']]);
  });

  it('rejects a contracting hold with nothing missing', () => {
    expect(issuePaths({ ...fixtures['contracting-hold'], missingLicense: false, missingAppointment: false })).toEqual([['missingLicense']]);
  });

  it('rejects a license state that is not a US state', () => {
    expect(issuePaths({ ...fixtures['contracting-hold'], licenseState: 'ZZ' })).toEqual([['licenseState']]);
  });

  it('rejects an unknown requirement change', () => {
    expect(issuePaths({ ...fixtures['requirement-update'], change: 'LOST' })).toEqual([['change']]);
  });

  it('drops fields no template shows, such as SSN and date of birth', () => {
    const parsed = EmailTemplateSchema.parse({ ...fixtures['vendor-order'], ssn: '123-45-6789', dateOfBirth: '1980-05-17' });
    expect(parsed).not.toHaveProperty('ssn');
    expect(parsed).not.toHaveProperty('dateOfBirth');
  });
});
