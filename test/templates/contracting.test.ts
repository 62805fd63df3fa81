import escapeHtml from 'escape-html';
import { EmailTemplateSchema, renderEmail, type RenderedEmail } from '../../templates';
import { fixtures } from './fixtures';

/* The broker-contracting emails: one broker, by NPN, to an appointment with one carrier. */

function render(input: unknown): RenderedEmail {
  return renderEmail(EmailTemplateSchema.parse(input));
}

function expectEverywhere(email: RenderedEmail, ...facts: string[]): void {
  for (const fact of facts) {
    expect(email.text).toContain(fact);
    expect(email.html).toContain(fact);
  }
}

function issues(input: unknown): { path: PropertyKey[]; message: string }[] {
  const result = EmailTemplateSchema.safeParse(input);
  if (result.success) throw new Error('expected the schema to reject the input');
  return result.error.issues.map((i) => ({ path: i.path, message: i.message }));
}

const footer = 'Case reference: contracting-17345588-summit. Please quote it in any reply.';

describe('contracting-packet', () => {
  it('counts several items in the subject and lists each, with its problem', () => {
    const email = render(fixtures['contracting-packet']);
    expect(email.subject).toBe('Contracting with Summit Mutual: 5 items needed from Robert Broker');
    expectEverywhere(email, 'To write business with Summit Mutual through Crestline Brokerage, you need to be appointed with Summit Mutual');
    for (const { description } of fixtures['contracting-packet'].items) {
      expect(email.text).toContain(description);
      expect(email.html).toContain(escapeHtml(description));
    }
    expect(email.text).toContain('- Non-resident license (TX): the TX license on file with NIPR expired on 2026-10-31\n');
    expectEverywhere(email, 'quoting reference contracting-17345588-summit', 'contracting@bga.example', footer);
  });

  it('names a single item in the subject', () => {
    const email = render({ ...fixtures['contracting-packet'], items: [{ description: 'W-9' }] });
    expect(email.subject).toBe('Contracting with Summit Mutual: W-9 needed from Robert Broker');
    expect(email.text).toContain('How to send it\n');
  });

  it('lists the cases waiting on the appointment, and says nothing of them when there are none', () => {
    const email = render(fixtures['contracting-packet']);
    expectEverywhere(email, 'cannot be submitted to Summit Mutual until it is in place', 'case-summit-a-10023', 'case-summit-a-10031');
    expect(email.text).toContain('- case-summit-a-10023\n- case-summit-a-10031\n');

    const { waitingCases: _, ...rest } = fixtures['contracting-packet'];
    const none = render(rest);
    expect(none.text).not.toContain('waiting on the appointment');
    expect(none.text).not.toContain('case-summit-a-10023');
  });

  it('says what the E&O and AML certificates must show, only when they are asked for', () => {
    const email = render(fixtures['contracting-packet']);
    expectEverywhere(
      email,
      'insurance carrier, the limit of coverage and the expiry date',
      'must show the date you completed the course',
      'must show the license number and the expiry date',
    );
    expect(email.text).toContain('The E&O certificate must show the insurance carrier, the limit of coverage and the expiry date.');
    expect(email.html).toContain('The E&amp;O certificate must show');

    const licenceOnly = render({ ...fixtures['contracting-packet'], items: [{ description: 'Non-resident license (FL)' }] });
    expect(licenceOnly.text).not.toContain('E&O');
    expect(licenceOnly.text).not.toContain('AML');
    expect(licenceOnly.text).toContain('must show the license number and the expiry date');
  });
});

describe('contracting-item-returned', () => {
  it('names the item sent back and says what was wrong with it', () => {
    const email = render(fixtures['contracting-item-returned']);
    expect(email.subject).toBe('Contracting with Summit Mutual: please send again — E&O certificate');
    expectEverywhere(email, 'the certificate expired on 2026-09-30; send the renewed one', 'a corrected copy of it attached', footer);
    expect(email.text).toContain('1. E&O certificate\n   What was wrong: the certificate expired on 2026-09-30; send the renewed one');
  });

  it('counts the other items when several go back', () => {
    const items = [
      ...fixtures['contracting-item-returned'].items,
      { description: 'W-9', problem: 'it is not signed' },
      { description: 'AML training certificate', problem: 'the completion date is not shown' },
    ];
    const email = render({ ...fixtures['contracting-item-returned'], items });
    expect(email.subject).toBe('Contracting with Summit Mutual: please send again — E&O certificate and 2 other items');
    expectEverywhere(email, 'it is not signed', 'the completion date is not shown', 'a corrected copy of each attached');
  });

  it('refuses an item without the problem, naming the field', () => {
    const items = [{ description: 'W-9' }];
    expect(issues({ ...fixtures['contracting-item-returned'], items }).map((i) => i.path)).toEqual([['items', 0, 'problem']]);
  });
});

describe('contracting-reminder', () => {
  it('gives the reminder number and counts the items', () => {
    const email = render(fixtures['contracting-reminder']);
    expect(email.subject).toBe('Reminder 2: 2 items still needed for your Summit Mutual appointment');
    expectEverywhere(email, 'Reminder 2: we are still waiting for these items', 'W-9', 'the course was completed more than 24 months ago');
  });

  it('names a single item', () => {
    const email = render({ ...fixtures['contracting-reminder'], items: [{ description: 'W-9' }], reminderNumber: 1 });
    expect(email.subject).toBe('Reminder 1: W-9 still needed for your Summit Mutual appointment');
  });
});

describe('contracting-escalation', () => {
  it('asks the contracting desk to call the broker after the reminders', () => {
    const email = render(fixtures['contracting-escalation']);
    expect(email.subject).toBe('Call the broker: Robert Broker has not sent W-9 after 3 reminders — Summit Mutual contracting');
    expectEverywhere(email, 'please call the broker', '17345588', 'W-9', footer);
    expect(email.text).toContain('Reminders sent: 3\n');
  });

  it('uses the singular for one reminder', () => {
    const email = render({ ...fixtures['contracting-escalation'], remindersSent: 1 });
    expect(email.subject).toMatch(/after 1 reminder — /);
  });
});

describe('contracting-carrier-follow-up', () => {
  it('asks for the status of the appointment requested on the date', () => {
    const email = render(fixtures['contracting-carrier-follow-up']);
    expect(email.subject).toBe('Follow-up 2: appointment status for Robert Broker (NPN 17345588), requested Wednesday, November 4, 2026');
    expectEverywhere(email, 'Follow-up 2', 'Wednesday, November 4, 2026', 'Appointment of Robert Broker (NPN 17345588) with Summit Mutual');
    expectEverywhere(email, 'reply to contracting@bga.example with the status', 'appointment number', footer);
  });
});

describe('contracting-carrier-escalation', () => {
  it('tells the contracting desk the carrier has not answered the follow-ups', () => {
    const email = render(fixtures['contracting-carrier-escalation']);
    expect(email.subject).toBe('Appointment stalled: Summit Mutual has not answered 3 follow-ups on Robert Broker (NPN 17345588)');
    expectEverywhere(email, 'requested on Wednesday, November 4, 2026', 'contact the carrier’s appointments team', footer);
    expect(email.text).toContain('Follow-ups sent: 3\n');
  });
});

describe('contracting-appointment-request', () => {
  it('asks the carrier to appoint the broker in the states, with the packet and the attachments', () => {
    const email = render(fixtures['contracting-appointment-request']);
    expect(email.subject).toBe('Appointment request: Robert Broker (NPN 17345588) in GA, TX');
    expectEverywhere(email, 'requests the appointment of Robert Broker (NPN 17345588) with Summit Mutual in GA, TX');
    expect(email.text).toContain('States: GA, TX\n');
    expect(email.text).toContain('3. E&O certificate\n   Detail: Acme Specialty E&O, $1,000,000, expires 2027-06-30\n');
    expect(email.text).toContain('2. W-9\n3.');
    expect(email.html).toContain('Acme Specialty E&amp;O, $1,000,000, expires 2027-06-30');
    expectEverywhere(email, 'The packet’s 6 documents are attached to this email.');
    expectEverywhere(email, 'reply to contracting@bga.example with the appointment date and the appointment number', footer);
    expect(email.text).not.toContain('sent again');
  });

  it('marks a resent request', () => {
    const email = render({ ...fixtures['contracting-appointment-request'], attempt: 2, states: ['GA'], attachedFiles: 1 });
    expect(email.subject).toBe('Appointment request: Robert Broker (NPN 17345588) in GA — resent');
    expectEverywhere(email, 'sent again (attempt 2)', 'The packet’s 1 document is attached');
    expect(email.text).toContain('State: GA\n');
  });

  it('says when nothing is attached', () => {
    const email = render({ ...fixtures['contracting-appointment-request'], attachedFiles: 0 });
    expectEverywhere(email, 'No documents are attached to this email');
  });

  it('refuses a request with no states, or a state that is not a US state', () => {
    expect(issues({ ...fixtures['contracting-appointment-request'], states: [] })).toEqual([
      { path: ['states'], message: 'must name at least one state' },
    ]);
    expect(issues({ ...fixtures['contracting-appointment-request'], states: ['GA', 'ZZ'] }).map((i) => i.path)).toEqual([['states', 1]]);
  });

  it('refuses a negative number of attachments', () => {
    expect(issues({ ...fixtures['contracting-appointment-request'], attachedFiles: -1 }).map((i) => i.path)).toEqual([['attachedFiles']]);
  });
});

describe('contracting-declined', () => {
  it('gives the reason and says the waiting cases stay held', () => {
    const email = render(fixtures['contracting-declined']);
    expect(email.subject).toBe('Contracting with Summit Mutual: appointment declined');
    expectEverywhere(email, 'Summit Mutual has declined to appoint you', 'Background check returned an open regulatory action in TX');
    expectEverywhere(email, 'case-summit-a-10023', 'This case stays on hold', 'cannot be submitted to Summit Mutual');
    expectEverywhere(email, 'contracting@bga.example', 'another carrier', footer);
  });

  it('uses the plural for several waiting cases, and says when none wait', () => {
    const several = render({ ...fixtures['contracting-declined'], waitingCases: ['case-summit-a-10023', 'case-summit-a-10031'] });
    expectEverywhere(several, 'These cases stay on hold', 'case-summit-a-10031');

    const none = render({ ...fixtures['contracting-declined'], waitingCases: [] });
    expectEverywhere(none, 'No case of yours is waiting on this appointment.');
    expect(none.text).not.toContain('another carrier');
  });
});

describe('contracting schemas', () => {
  const withItems = [
    'contracting-packet',
    'contracting-item-returned',
    'contracting-reminder',
    'contracting-escalation',
    'contracting-carrier-follow-up',
    'contracting-carrier-escalation',
  ] as const;
  it.each(withItems.map((t) => [t] as const))('%s refuses an empty item list, naming the field', (template) => {
    expect(issues({ ...fixtures[template], items: [] })).toEqual([{ path: ['items'], message: 'must list at least one item' }]);
  });

  it('refuses more than 20 items', () => {
    const items = Array.from({ length: 21 }, (_, i) => ({ description: `Item ${i + 1}` }));
    expect(issues({ ...fixtures['contracting-packet'], items })).toEqual([{ path: ['items'], message: 'must list at most 20 items' }]);
  });

  it('refuses a bad NPN and a reminder number of 0', () => {
    expect(issues({ ...fixtures['contracting-reminder'], brokerNpn: '17-345588' }).map((i) => i.path)).toEqual([['brokerNpn']]);
    expect(issues({ ...fixtures['contracting-reminder'], reminderNumber: 0 }).map((i) => i.path)).toEqual([['reminderNumber']]);
  });

  it('refuses a request date that is not on the calendar', () => {
    expect(issues({ ...fixtures['contracting-carrier-follow-up'], requestedOn: '2026-11-31' }).map((i) => i.path)).toEqual([['requestedOn']]);
  });

  it('refuses a missing contracting reference', () => {
    const { contractingReference: _, ...rest } = fixtures['contracting-declined'];
    expect(issues(rest).map((i) => i.path)).toEqual([['contractingReference']]);
  });

  it('refuses a line break in a value that reaches the subject', () => {
    expect(issues({ ...fixtures['contracting-packet'], brokerName: 'Robert Broker\r\nBcc: someone@example.com' }).map((i) => i.path)).toEqual([
      ['brokerName'],
    ]);
  });
});
