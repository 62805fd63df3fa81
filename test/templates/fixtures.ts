import type { EmailTemplateData, EmailTemplateName } from '../../templates';

/* Realistic data for one email of each template, as an activity would hand it over. */

type Fixtures = { [K in EmailTemplateName]: Extract<EmailTemplateData, { template: K }> };

const base = {
  bgaName: 'Crestline Brokerage',
  caseReference: 'case-summit-a-10023',
  carrierName: 'Summit Mutual',
  applicationNumber: 'A-10023',
  insuredName: 'Jane Q. Doe',
};

const caseBase = { ...base, productType: 'WL' as const };

/** A contracting request: broker Robert Broker to an appointment with Summit Mutual. */
const contracting = {
  bgaName: 'Crestline Brokerage',
  contractingReference: 'contracting-17345588-summit',
  brokerName: 'Robert Broker',
  brokerNpn: '17345588',
  carrierName: 'Summit Mutual',
  contractingEmail: 'contracting@bga.example',
};

const appointmentRequest = { description: 'Appointment of Robert Broker (NPN 17345588) with Summit Mutual, requested 2026-11-04' };

export const fixtures: Fixtures = {
  'attachments-refused': {
    template: 'attachments-refused',
    ...base,
    subject: 'Re: Missing items for Jane Q. Doe',
    refused: [{ fileName: 'scan.docx', problem: 'scan.docx is not a PDF, TIFF, JPEG or PNG (it appears to be a ZIP archive)' }],
    kept: ['hipaa-signed.pdf'],
  },
  'document-rejected': {
    template: 'document-rejected',
    ...base,
    fileName: 'hipaa-signed.pdf',
    receivedOn: '2026-11-24',
    reason: 'the signature date is missing',
    fulfils: 'HIPAA authorization',
  },
  'requirement-results': {
    template: 'requirement-results',
    ...base,
    fileName: 'aps-dr-ruiz.pdf',
    requirementDescription: 'Attending physician statement — Dr. Ana Ruiz',
    carrierOrderNumber: 'SM-88412',
    receivedOn: '2026-11-24',
  },
  'vendor-cancellation': {
    template: 'vendor-cancellation',
    ...base,
    vendorName: 'ExamOne',
    orderNumber: 'EXAMONE-05180A0B',
    requirementDescription: 'Paramedical exam',
    orderedOn: '2026-11-24',
  },
  'pending-cases': {
    template: 'pending-cases',
    bgaName: 'Crestline Brokerage',
    reportReference: 'case-summit-a-10023',
    brokerName: 'Robert Broker',
    brokerNpn: '17654321',
    weekOf: '2026-11-30',
    cases: [
      {
        caseReference: 'case-summit-a-10023',
        carrierName: 'Summit Mutual',
        applicationNumber: 'A-10023',
        insuredName: 'Jane Q. Doe',
        stage: 'REQUIREMENTS',
        daysInStage: 12,
        outstanding: [{ description: 'HIPAA authorization, signed', status: 'OUTSTANDING' }],
      },
    ],
  },
  'cover-expiry': {
    template: 'cover-expiry',
    bgaName: 'Crestline Brokerage',
    noticeReference: 'EO-17654321-2026-12-31',
    brokerName: 'Robert Broker',
    brokerNpn: '17654321',
    kind: 'EO',
    what: 'E&O certificate from Acme Professional ($1,000,000 limit)',
    expiresOn: '2026-12-31',
    asOf: '2026-12-07',
    contractingEmail: 'contracting@crestline.example',
  },
  'license-expiry': {
    template: 'license-expiry',
    bgaName: 'Crestline Brokerage',
    noticeReference: 'license-17654321-CA-2026-12-31',
    brokerName: 'Robert Broker',
    brokerNpn: '17654321',
    licenseState: 'CA',
    licenseNumber: '0K12345',
    expiresOn: '2026-12-31',
    asOf: '2026-12-07',
    contractingEmail: 'contracting@bga.example',
  },
  acknowledgement: {
    template: 'acknowledgement',
    ...caseBase,
    planName: 'Summit Whole Life 100',
    faceAmount: 1_500_000,
    receivedOn: '2026-11-02',
  },
  nigo: {
    template: 'nigo',
    ...caseBase,
    items: [
      { description: 'HIPAA authorization is missing', action: 'Have the insured sign and date the HIPAA authorization and send it to us' },
      { description: 'Application (Part I) is not signed by the insured', action: 'Have the insured sign page 4 of the application' },
      { description: 'Replacement notice is not dated', action: 'Have the agent date the replacement notice' },
    ],
    closeIncompleteOn: '2026-12-04',
  },
  'exam-instructions': {
    template: 'exam-instructions',
    ...caseBase,
    requirements: [
      { description: 'Paramedical exam', clientAction: 'Schedule the paramedical exam with the examiner who will call' },
      { description: 'Blood chemistry profile', clientAction: 'Fast for 8 hours before the exam (water is fine)' },
    ],
    vendorName: 'ExamOne',
    vendorPhone: '800-555-0142',
  },
  reminder: {
    template: 'reminder',
    ...caseBase,
    reminderNumber: 2,
    outstanding: [
      { description: 'HIPAA authorization, signed', action: 'Have the insured sign and date it' },
      { description: 'Signed illustration' },
    ],
    nextDeadline: '2026-11-20',
  },
  escalation: {
    template: 'escalation',
    ...caseBase,
    brokerName: 'Robert Broker',
    reason: 'Broker has not answered 3 reminders about NIGO items',
    outstanding: [
      { description: 'HIPAA authorization, signed', daysOpen: 21 },
      { description: 'Attending physician statement (Dr. Ann Lee)', daysOpen: 9 },
    ],
    followUps: [
      { on: '2026-11-06', description: 'Reminder 1 to broker' },
      { on: '2026-11-13', description: 'Reminder 2 to broker' },
    ],
  },
  decision: {
    template: 'decision',
    ...caseBase,
    outcome: 'APPROVED_OTHER_THAN_APPLIED',
    appliedRiskClass: 'Preferred Non-Tobacco',
    offeredRiskClass: 'Standard Non-Tobacco',
    rating: 'Table 2 (+50%)',
    respondBy: '2027-01-15',
  },
  closure: {
    template: 'closure',
    ...caseBase,
    reason: 'CLOSED_INCOMPLETE',
    reasonText: 'Requirements outstanding 45 days with no activity',
    closedOn: '2026-12-17',
    outstandingAtClose: [{ description: 'Attending physician statement (Dr. Ann Lee)' }],
  },
  placement: {
    template: 'placement',
    ...caseBase,
    stage: 'ISSUED',
    policyNumber: 'SM-4471902',
    deliveryRequirements: [
      { description: 'Policy delivery receipt, signed', action: 'Have the owner sign at delivery' },
      { description: 'First premium', action: 'Collect a check for $1,240.50 payable to Summit Mutual' },
    ],
    deliverBy: '2027-02-01',
  },
  'vendor-order': {
    template: 'vendor-order',
    ...base,
    vendorName: 'ParaRecords APS',
    orderNumber: 'ORD-77120',
    orderedOn: '2026-11-03',
    requirement: { code: 'PHYSSTMT', description: 'Attending physician statement' },
    insuredPhone: '555-201-3344',
    insuredAddress: { line1: '12 Peachtree St NE', line2: 'Apt 4B', city: 'Atlanta', state: 'GA', zip: '30303' },
    physician: { name: 'Dr. Ann Lee', practice: 'Midtown Family Medicine', phone: '404-555-0199' },
  },
  'vendor-follow-up': {
    template: 'vendor-follow-up',
    ...base,
    vendorName: 'ParaRecords APS',
    orderNumber: 'ORD-77120',
    requirementDescription: 'Attending physician statement (Dr. Ann Lee)',
    orderedOn: '2026-11-03',
    daysOpen: 14,
    followUpNumber: 2,
  },
  'contracting-hold': {
    template: 'contracting-hold',
    ...caseBase,
    brokerName: 'Robert Broker',
    brokerNpn: '17345588',
    licenseState: 'GA',
    missingLicense: true,
    missingAppointment: true,
    heldSince: '2026-11-02',
  },
  'carrier-submission': {
    template: 'carrier-submission',
    ...caseBase,
    planName: 'Summit Whole Life 100',
    faceAmount: 1_500_000,
    brokerName: 'Robert Broker',
    brokerNpn: '17345588',
    attachmentName: 'A-10023-TXLife103.xml',
    requirementsToFollow: [
      { description: 'Paramedical exam', orderedFrom: 'ExamOne', orderedOn: '2026-11-03' },
      { description: 'Attending physician statement (Dr. Ann Lee)' },
    ],
  },
  'requirement-update': {
    template: 'requirement-update',
    ...caseBase,
    change: 'ADDED_BY_CARRIER',
    requirement: { description: 'Resting ECG', action: 'Ask the client to book the ECG when the examiner calls' },
    changedOn: '2026-11-18',
    outstanding: [{ description: 'Resting ECG', action: 'Ask the client to book the ECG when the examiner calls' }, { description: 'Attending physician statement' }],
  },
  'contracting-packet': {
    template: 'contracting-packet',
    ...contracting,
    items: [
      { description: 'Summit Mutual producer agreement, signed' },
      { description: 'W-9' },
      { description: 'E&O certificate' },
      { description: 'AML training certificate' },
      { description: 'Non-resident license (TX)', problem: 'the TX license on file with NIPR expired on 2026-10-31' },
    ],
    waitingCases: ['case-summit-a-10023', 'case-summit-a-10031'],
  },
  'contracting-item-returned': {
    template: 'contracting-item-returned',
    ...contracting,
    items: [{ description: 'E&O certificate', problem: 'the certificate expired on 2026-09-30; send the renewed one' }],
  },
  'contracting-reminder': {
    template: 'contracting-reminder',
    ...contracting,
    items: [{ description: 'W-9' }, { description: 'AML training certificate', problem: 'the course was completed more than 24 months ago' }],
    reminderNumber: 2,
  },
  'contracting-escalation': {
    template: 'contracting-escalation',
    ...contracting,
    items: [{ description: 'W-9' }],
    remindersSent: 3,
  },
  'contracting-carrier-follow-up': {
    template: 'contracting-carrier-follow-up',
    ...contracting,
    items: [appointmentRequest],
    followUpNumber: 2,
    requestedOn: '2026-11-04',
  },
  'contracting-carrier-escalation': {
    template: 'contracting-carrier-escalation',
    ...contracting,
    items: [appointmentRequest],
    followUpsSent: 3,
    requestedOn: '2026-11-04',
  },
  'contracting-appointment-request': {
    template: 'contracting-appointment-request',
    ...contracting,
    states: ['GA', 'TX'],
    attempt: 1,
    packet: [
      { description: 'Summit Mutual producer agreement, signed', detail: 'Signed 2026-10-28' },
      { description: 'W-9' },
      { description: 'E&O certificate', detail: 'Acme Specialty E&O, $1,000,000, expires 2027-06-30' },
      { description: 'AML training certificate', detail: 'Completed 2026-03-12' },
      { description: 'Resident license (GA)', detail: 'License 3012876, expires 2028-01-31' },
      { description: 'Non-resident license (TX)', detail: 'License 2290417, expires 2027-12-31' },
    ],
    attachedFiles: 6,
  },
  'contracting-declined': {
    template: 'contracting-declined',
    ...contracting,
    reason: 'Background check returned an open regulatory action in TX',
    waitingCases: ['case-summit-a-10023'],
  },
};

export const allFixtures = Object.values(fixtures) as EmailTemplateData[];
