import { EmailTemplateSchema, renderEmail, type EmailTemplateData, type RenderedEmail } from '../../templates';
import { allFixtures, fixtures } from './fixtures';

/** As an activity does it: validate at the boundary, then render. */
function render(input: unknown): RenderedEmail {
  return renderEmail(EmailTemplateSchema.parse(input));
}

function expectEverywhere(email: RenderedEmail, ...facts: string[]): void {
  for (const fact of facts) {
    expect(email.text).toContain(fact);
    expect(email.html).toContain(fact);
  }
}

describe('every template', () => {
  it.each(allFixtures.map((f) => [f.template, f] as const))('%s has the shared header and footer in both parts', (_, data) => {
    const email = render(data);
    const reference =
      'noticeReference' in data ? data.noticeReference : 'contractingReference' in data ? data.contractingReference : 'case-summit-a-10023';
    expect(email.text.startsWith('Crestline Brokerage\n')).toBe(true);
    expect(email.text).toContain(`This is an automated message from Crestline Brokerage. Case reference: ${reference}.`);
    expect(email.html).toMatch(/^<!DOCTYPE html>/);
    expect(email.html).toContain(`This is an automated message from Crestline Brokerage. Case reference: ${reference}.`);
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it.each(allFixtures.map((f) => [f.template, f] as const))('%s never carries SSN or date of birth, even when handed them', (_, data) => {
    const email = render({ ...data, ssn: '123-45-6789', dateOfBirth: '1980-05-17' });
    for (const part of [email.subject, email.text, email.html]) {
      expect(part).not.toContain('123-45-6789');
      expect(part).not.toContain('1980');
      expect(part).not.toContain('May 17');
    }
  });
});

describe('acknowledgement', () => {
  it('confirms receipt with the case facts and next steps', () => {
    const email = render(fixtures.acknowledgement);
    expect(email.subject).toBe('Case received: Summit Mutual WL app A-10023 (Jane Q. Doe)');
    expectEverywhere(email, 'Summit Mutual', 'Summit Whole Life 100 (whole life)', '$1,500,000', 'Jane Q. Doe', 'A-10023', 'case-summit-a-10023');
    expectEverywhere(email, 'Monday, November 2, 2026', 'What happens next');
  });

  it('names term products readably in the subject', () => {
    const email = render({ ...fixtures.acknowledgement, productType: 'TERM', planName: 'Summit Term 20' });
    expect(email.subject).toBe('Case received: Summit Mutual Term app A-10023 (Jane Q. Doe)');
    expect(email.text).toContain('Summit Term 20 (term life)');
  });
});

describe('nigo', () => {
  it('lists every item with what to do, and the closing deadline', () => {
    const email = render(fixtures.nigo);
    expect(email.subject).toBe('Action needed: 3 items missing — Summit Mutual WL app A-10023 (Jane Q. Doe)');
    for (const item of fixtures.nigo.items) expectEverywhere(email, item.description, item.action);
    expect(email.text).toContain('1. HIPAA authorization is missing\n   What to do: Have the insured sign and date the HIPAA authorization');
    expect(email.html.match(/<tr><td style="padding:6px 10px;/g)).toHaveLength(3);
    expectEverywhere(email, 'Friday, December 4, 2026', 'closes as incomplete');
  });

  it('uses the singular for one item', () => {
    const email = render({ ...fixtures.nigo, items: [fixtures.nigo.items[0]] });
    expect(email.subject).toMatch(/^Action needed: 1 item missing — /);
  });
});

describe('exam-instructions', () => {
  it('tells the broker what the client must do and who will call', () => {
    const email = render(fixtures['exam-instructions']);
    expect(email.subject).toBe('Client exam: ExamOne will call to schedule — Summit Mutual WL app A-10023 (Jane Q. Doe)');
    expectEverywhere(email, 'Paramedical exam', 'Fast for 8 hours before the exam (water is fine)', 'ExamOne (800-555-0142) will call Jane Q. Doe');
  });
});

describe('reminder', () => {
  it('gives the reminder number, the outstanding items and the next deadline', () => {
    const email = render(fixtures.reminder);
    expect(email.subject).toBe('Reminder 2: 2 items still outstanding — Summit Mutual WL app A-10023 (Jane Q. Doe)');
    expectEverywhere(email, 'Reminder 2', 'HIPAA authorization, signed', 'Have the insured sign and date it', 'Signed illustration');
    expectEverywhere(email, 'Friday, November 20, 2026');
    expect(email.text).toContain('2. Signed illustration\n\n');
  });
});

describe('escalation', () => {
  it('gives the case manager the reason, item ages and follow-ups done', () => {
    const email = render(fixtures.escalation);
    expect(email.subject).toBe('Needs a case manager: 2 items open, oldest 21 days — Summit Mutual WL app A-10023 (Jane Q. Doe)');
    expectEverywhere(email, 'Broker has not answered 3 reminders about NIGO items', 'Robert Broker');
    expectEverywhere(email, 'HIPAA authorization, signed', '21 days', '9 days');
    expectEverywhere(email, 'Friday, November 6, 2026', 'Reminder 1 to broker', 'Friday, November 13, 2026', 'Reminder 2 to broker');
  });

  it('still reads well with nothing outstanding', () => {
    const email = render({ ...fixtures.escalation, outstanding: [] });
    expect(email.subject).toMatch(/^Needs a case manager: 2 follow-ups done — /);
    expect(email.text).toContain('Outstanding items\n-----------------\n\nNone.');
  });
});

describe('decision', () => {
  it('asks the broker to get the client to accept or decline an offer other than applied', () => {
    const email = render(fixtures.decision);
    expect(email.subject).toBe(
      'Approved other than applied (Standard Non-Tobacco): client must accept or decline — Summit Mutual WL app A-10023 (Jane Q. Doe)',
    );
    expectEverywhere(email, 'Preferred Non-Tobacco', 'Standard Non-Tobacco', 'Table 2 (+50%)', 'accept or decline', 'Friday, January 15, 2027');
  });

  it('leaves out the applied-for class when it is not known', () => {
    const email = render({ ...fixtures.decision, appliedRiskClass: undefined, rating: undefined, respondBy: undefined });
    expect(email.text).not.toContain('Applied for');
    expect(email.text).not.toContain('Rating');
    expectEverywhere(email, 'Standard Non-Tobacco', 'then let us know');
  });

  it('announces approval as applied with the class', () => {
    const data: EmailTemplateData = { ...fixtures.decision, outcome: 'APPROVED_AS_APPLIED', riskClass: 'Preferred Plus Non-Tobacco' };
    const email = render(data);
    expect(email.subject).toBe('Approved as applied (Preferred Plus Non-Tobacco) — Summit Mutual WL app A-10023 (Jane Q. Doe)');
    expectEverywhere(email, 'approved application A-10023 for Jane Q. Doe as applied');
  });

  it('gives the postponement reason and date', () => {
    const email = render({ ...fixtures.decision, outcome: 'POSTPONED', reason: 'Recent surgery; reapply after recovery', postponeUntil: '2027-06-01' });
    expect(email.subject).toBe('Postponed — Summit Mutual WL app A-10023 (Jane Q. Doe)');
    expectEverywhere(email, 'Recent surgery; reapply after recovery', 'Tuesday, June 1, 2027');
  });

  it('says when a postponement has no date', () => {
    const email = render({ ...fixtures.decision, outcome: 'POSTPONED', reason: 'Pending cardiology workup' });
    expectEverywhere(email, 'has not given a date');
    expect(email.text).not.toContain('Postponed until');
  });

  it('gives the decline reason', () => {
    const email = render({ ...fixtures.decision, outcome: 'DECLINED', reason: 'Medical history outside guidelines' });
    expect(email.subject).toBe('Declined — Summit Mutual WL app A-10023 (Jane Q. Doe)');
    expectEverywhere(email, 'Summit Mutual has declined application A-10023', 'Medical history outside guidelines');
  });
});

describe('closure', () => {
  it('states why the case closed and what was outstanding', () => {
    const email = render(fixtures.closure);
    expect(email.subject).toBe('Case closed as incomplete — Summit Mutual WL app A-10023 (Jane Q. Doe)');
    expectEverywhere(email, 'Requirements outstanding 45 days with no activity', 'Thursday, December 17, 2026', 'Attending physician statement (Dr. Ann Lee)');
  });

  it.each([
    ['WITHDRAWN', 'Case withdrawn'],
    ['NOT_TAKEN', 'Case closed: policy not taken'],
  ] as const)('names a %s closure in the subject', (reason, headline) => {
    const email = render({ ...fixtures.closure, reason, outstandingAtClose: [] });
    expect(email.subject).toBe(`${headline} — Summit Mutual WL app A-10023 (Jane Q. Doe)`);
    expect(email.text).toContain('Outstanding at close\n--------------------\n\nNone.');
  });
});

describe('placement', () => {
  it('lists delivery requirements to collect once issued', () => {
    const email = render(fixtures.placement);
    expect(email.subject).toBe('Policy SM-4471902 issued: collect 2 delivery requirements — Summit Mutual WL app A-10023 (Jane Q. Doe)');
    expectEverywhere(email, 'SM-4471902', 'Policy delivery receipt, signed', 'Collect a check for $1,240.50', 'Monday, February 1, 2027');
  });

  it('congratulates once placed', () => {
    const email = render({ ...fixtures.placement, stage: 'PLACED', placedOn: '2027-01-20' });
    expect(email.subject).toBe('Policy SM-4471902 placed — Summit Mutual WL app A-10023 (Jane Q. Doe)');
    expectEverywhere(email, 'Congratulations', 'SM-4471902', 'Wednesday, January 20, 2027');
    expect(email.text).not.toContain('Policy delivery receipt');
  });
});

describe('vendor-order', () => {
  it('gives the vendor what it needs to schedule, and the physician for an APS', () => {
    const email = render(fixtures['vendor-order']);
    expect(email.subject).toBe('New order ORD-77120: Attending physician statement — Jane Q. Doe (Summit Mutual app A-10023)');
    expectEverywhere(email, 'ORD-77120', 'case-summit-a-10023', 'Attending physician statement (PHYSSTMT)', 'Jane Q. Doe', '555-201-3344');
    expectEverywhere(email, '12 Peachtree St NE, Apt 4B, Atlanta, GA 30303', 'Dr. Ann Lee', 'Midtown Family Medicine', '404-555-0199');
  });

  it('leaves out the physician section for an exam', () => {
    const { physician: _, ...rest } = fixtures['vendor-order'];
    const email = render({ ...rest, requirement: { code: 'PARAMED', description: 'Paramedical exam' } });
    expect(email.text).not.toContain('Physician');
  });
});

describe('vendor-follow-up', () => {
  it('names the follow-up number, order, order date and days open', () => {
    const email = render(fixtures['vendor-follow-up']);
    expect(email.subject).toBe('Follow-up 2 on order ORD-77120 (open 14 days) — Jane Q. Doe');
    expectEverywhere(email, 'Follow-up 2', 'ORD-77120', 'Tuesday, November 3, 2026', '14 days');
  });
});

describe('contracting-hold', () => {
  it('says what is missing and what to record', () => {
    const email = render(fixtures['contracting-hold']);
    expect(email.subject).toBe(
      'Contracting hold: Robert Broker needs GA license and Summit Mutual appointment — Summit Mutual WL app A-10023 (Jane Q. Doe)',
    );
    expectEverywhere(email, '17345588', 'Monday, November 2, 2026');
    expectEverywhere(email, 'active GA life license: license number and expiry date', 'appointment with Summit Mutual: the date of appointment');
  });

  it('mentions only the appointment when the license is in place', () => {
    const email = render({ ...fixtures['contracting-hold'], missingLicense: false });
    expect(email.subject).toMatch(/^Contracting hold: Robert Broker needs Summit Mutual appointment — /);
    expect(email.text).not.toContain('GA license');
  });
});

describe('carrier-submission', () => {
  it('covers the attached TXLife 103 and lists requirements to follow', () => {
    const email = render(fixtures['carrier-submission']);
    expect(email.subject).toBe(
      'New business submission: app A-10023 (Jane Q. Doe) — Summit Whole Life 100 $1,500,000 — 2 requirements to follow',
    );
    expectEverywhere(email, 'TXLife 103', 'A-10023-TXLife103.xml', 'Robert Broker (NPN 17345588)');
    expectEverywhere(email, 'Ordered from ExamOne on Tuesday, November 3, 2026', 'Attending physician statement (Dr. Ann Lee)');
  });

  it('says when the submission is complete', () => {
    const email = render({ ...fixtures['carrier-submission'], requirementsToFollow: [] });
    expect(email.subject).toMatch(/— complete$/);
    expectEverywhere(email, 'None: the submission is complete.');
  });
});

describe('requirement-update', () => {
  it('announces a requirement added by the carrier with the outstanding list', () => {
    const email = render(fixtures['requirement-update']);
    expect(email.subject).toBe('Requirement added by Summit Mutual: Resting ECG (2 items outstanding) — Summit Mutual WL app A-10023 (Jane Q. Doe)');
    expectEverywhere(email, 'Wednesday, November 18, 2026', 'Ask the client to book the ECG', 'Attending physician statement');
  });

  it.each([
    ['RECEIVED', 'Requirement received'],
    ['WAIVED', 'Requirement waived'],
  ] as const)('announces a %s requirement', (change, headline) => {
    const email = render({ ...fixtures['requirement-update'], change, requirement: { description: 'Resting ECG' }, outstanding: [] });
    expect(email.subject).toBe(`${headline}: Resting ECG (nothing outstanding) — Summit Mutual WL app A-10023 (Jane Q. Doe)`);
    expectEverywhere(email, 'Nothing is outstanding on this case right now.');
  });

  it('returns a rejected document to the outstanding list with what to do', () => {
    const requirement = { description: 'HIPAA authorization', action: 'Have the insured sign and date it; the copy received is unsigned' };
    const email = render({ ...fixtures['requirement-update'], change: 'REJECTED', requirement, outstanding: [requirement] });
    expect(email.subject).toBe('Requirement returned: HIPAA authorization (1 item outstanding) — Summit Mutual WL app A-10023 (Jane Q. Doe)');
    expectEverywhere(email, 'could not accept the HIPAA authorization', 'the copy received is unsigned');
  });
});
