import { EmailTemplateSchema, renderEmail, type RenderedEmail } from '../../templates';
import type { PendingCasesData } from '../../templates/pending-cases';

const report: PendingCasesData = {
  template: 'pending-cases',
  bgaName: 'Crestline Brokerage',
  reportReference: 'PCR-17654321-2026-11-30',
  brokerName: 'Dana Whitfield',
  brokerNpn: '17654321',
  weekOf: '2026-11-30',
  cases: [
    {
      caseReference: 'case-summit-a-10023',
      carrierName: 'Summit Mutual Life',
      applicationNumber: 'A-10023',
      insuredName: 'Jane Q. Doe',
      stage: 'REQUIREMENTS',
      daysInStage: 12,
      outstanding: [
        { description: 'Attending physician statement — Dr. Ana Ruiz', status: 'ORDERED' },
        { description: 'HIPAA authorization, signed', status: 'OUTSTANDING' },
      ],
    },
    {
      caseReference: 'case-harbor-h-20417',
      carrierName: 'Harbor Life',
      applicationNumber: 'H-20417',
      insuredName: 'Luis Ortega',
      stage: 'COMPLETENESS_REVIEW',
      daysInStage: 1,
      outstanding: [],
    },
  ],
};

const render = (input: unknown): RenderedEmail => renderEmail(EmailTemplateSchema.parse(input));

test('lists every open case with its stage and days in stage, and each case its outstanding items with status', () => {
  const email = render(report);
  expect(email.subject).toBe('Pending-case report for the week of Monday, November 30, 2026: 2 open cases');
  for (const part of [email.text, email.html]) {
    for (const fact of ['Dana Whitfield', 'Jane Q. Doe', 'Summit Mutual Life', 'A-10023', 'case-summit-a-10023', 'Luis Ortega', 'Harbor Life', 'H-20417']) {
      expect(part).toContain(fact);
    }
    expect(part).toContain('Requirements for 12 days.');
    expect(part).toContain('Completeness review for 1 day.');
    expect(part).toContain('Case reference: PCR-17654321-2026-11-30.');
  }
  expect(email.text).toContain('1. Attending physician statement — Dr. Ana Ruiz\n   Status: Ordered\n2. HIPAA authorization, signed\n   Status: Outstanding');
  expect(email.text).toContain('1. Jane Q. Doe\n   Carrier: Summit Mutual Life\n   Application: A-10023\n   Stage: Requirements\n   Days in stage: 12');
  expect(email.text).toContain('the application is in completeness review. Anything not in good order is listed in our separate email.');
});

test('a case past completeness review with nothing outstanding says so plainly', () => {
  const email = render({ ...report, cases: [{ ...report.cases[0]!, stage: 'UNDERWRITING', outstanding: [] }] });
  expect(email.subject).toMatch(/: 1 open case$/);
  expect(email.text).toContain('Underwriting for 12 days.');
  expect(email.text).toContain('No outstanding requirements.');
});

test('every name and description is HTML-escaped in the HTML part and verbatim in the text part', () => {
  const evil = '<b>O\'Brien & "Sons"</b>';
  const escaped = '&lt;b&gt;O&#39;Brien &amp; &quot;Sons&quot;&lt;/b&gt;';
  const [first] = report.cases;
  const email = render({
    ...report,
    brokerName: evil,
    cases: [{ ...first!, insuredName: evil, carrierName: evil, outstanding: [{ description: evil, status: 'SCHEDULED' }] }],
  });
  expect(email.html).not.toContain('<b>');
  expect(email.html.split(escaped).length - 1).toBeGreaterThanOrEqual(5);
  expect(email.text).toContain(evil);
});

test('the schema refuses what a broker report must not carry', () => {
  const issues = (input: unknown) => EmailTemplateSchema.safeParse(input).error?.issues.map((i) => i.path.join('.'));
  const [first] = report.cases;
  expect(issues({ ...report, cases: [] })).toEqual(['cases']);
  expect(issues({ ...report, cases: [{ ...first!, stage: 'CLOSED' }] })).toEqual(['cases.0.stage']);
  expect(issues({ ...report, cases: [{ ...first!, outstanding: [{ description: 'Paramed exam', status: 'RECEIVED' }] }] })).toEqual([
    'cases.0.outstanding.0.status',
  ]);
  expect(issues({ ...report, cases: [{ ...first!, insuredName: 'Jane\r\nBcc: x@example.com' }] })).toEqual(['cases.0.insuredName']);
  expect(issues({ ...report, weekOf: '2026-02-30' })).toEqual(['weekOf']);
});
