import { BROKER, classify, expectedEmails } from '../faults/expected-emails';

/* The fault tests' own account of what a case must send, and how a received email is recognised. */

const APP = 'SM-ABJLPG0P';
// Subjects as the pipeline writes them (one run of the scenario), order numbers and counts included.
const received: [string, string][] = [
  [BROKER, `Case received: Summit Mutual Life WL app ${APP} (Margaret A. Okafor)`],
  ['orders@examone.example', `New order EXAMONE-14780D1E: Blood chemistry profile — Margaret A. Okafor (Summit Mutual Life app ${APP})`],
  ['orders@examone.example', `New order EXAMONE-C4DD3A41: Urinalysis — Margaret A. Okafor (Summit Mutual Life app ${APP})`],
  ['orders@examone.example', `New order EXAMONE-E485AE3D: Paramedical exam (height, weight, blood pressure, pulse) — Margaret A. Okafor (Summit Mutual Life app ${APP})`],
  ['orders@apsnow.example', `New order APSNOW-C42E9666: Attending physician statement: Dr. Priya Natarajan — Margaret A. Okafor (Summit Mutual Life app ${APP})`],
  [BROKER, `Client exam: ExamOne will call to schedule — Summit Mutual Life WL app ${APP} (Margaret A. Okafor)`],
  [BROKER, `Requirement received: Blood chemistry profile (7 items outstanding) — Summit Mutual Life WL app ${APP} (Margaret A. Okafor)`],
  [BROKER, `Requirement received: Urinalysis (6 items outstanding) — Summit Mutual Life WL app ${APP} (Margaret A. Okafor)`],
  [BROKER, `Requirement received: Paramedical exam (height, weight, blood pressure, pulse) (5 items outstanding) — Summit Mutual Life WL app ${APP} (Margaret A. Okafor)`],
  ['newbusiness@summitmutual.example', `New business submission: app ${APP} (Margaret A. Okafor) — Summit Whole Life 100 $1,500,000 — 4 requirements to follow`],
  [BROKER, `Requirement received: Attending physician statement: Dr. Priya Natarajan (4 items outstanding) — Summit Mutual Life WL app ${APP} (Margaret A. Okafor)`],
  [BROKER, `Approved as applied (Preferred) — Summit Mutual Life WL app ${APP} (Margaret A. Okafor)`],
  [BROKER, `Policy P-abjlpg0p issued: collect 3 delivery requirements — Summit Mutual Life WL app ${APP} (Margaret A. Okafor)`],
  [BROKER, `Requirement received: Policy delivery receipt, signed (6 items outstanding) — Summit Mutual Life WL app ${APP} (Margaret A. Okafor)`],
  [BROKER, `Requirement received: Amendment signed at delivery (5 items outstanding) — Summit Mutual Life WL app ${APP} (Margaret A. Okafor)`],
  [BROKER, `Requirement received: First premium (4 items outstanding) — Summit Mutual Life WL app ${APP} (Margaret A. Okafor)`],
  [BROKER, `Policy P-abjlpg0p placed — Summit Mutual Life WL app ${APP} (Margaret A. Okafor)`],
];

test("a placed case's emails are exactly the scenario's, each recognised by content", () => {
  expect(received.map(([to, subject]) => classify(to, subject)).sort()).toEqual(expectedEmails(APP, 'placed').sort());
  expect(expectedEmails(APP, 'ordered')).toHaveLength(6);
});

test('the same email under another order number or count is the same content; another item or recipient is not', () => {
  const receipt = classify(BROKER, `Requirement received: Urinalysis (6 items outstanding) — Summit Mutual Life WL app ${APP} (X)`);
  expect(classify(BROKER, `Requirement received: Urinalysis (2 items outstanding) — Summit Mutual Life WL app ${APP} (X)`)).toBe(receipt);
  expect(classify(BROKER, `Requirement received: Blood chemistry profile (6 items outstanding) — Summit Mutual Life WL app ${APP} (X)`)).not.toBe(receipt);
  expect(classify('someone@else.example', `Requirement received: Urinalysis (6 items outstanding) — Summit Mutual Life WL app ${APP} (X)`)).not.toBe(receipt);
  const order = classify('orders@examone.example', `New order EXAMONE-1: Urinalysis — X (Summit Mutual Life app ${APP})`);
  expect(classify('orders@examone.example', `New order EXAMONE-2: Urinalysis — X (Summit Mutual Life app ${APP})`)).toBe(order);
  // An email the scenario has no name for is still counted, as "other".
  expect(classify(BROKER, `Reminder: 2 items outstanding — Summit Mutual Life WL app ${APP} (X)`)).toMatch(/\| other: Reminder/);
});
