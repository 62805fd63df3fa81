/*
 * What the fault scenario must send, written from the scenario itself (a clean Summit whole-life
 * case driven by the harness), and what a received email is about, read from its recipient and
 * subject. Neither looks at the pipeline's own records or keys, so an email sent twice under two
 * keys, or one never decided, shows up.
 */

export const BROKER = 'daniel.reyes@reyesfinancial.example';
const EXAMONE = 'orders@examone.example';
const APSNOW = 'orders@apsnow.example';
const CARRIER = 'newbusiness@summitmutual.example';

/** The requirements the scenario's vendors fulfil and its delivery items, by the names the emails use. */
const ORDERS: [vendor: string, requirement: string][] = [
  [EXAMONE, 'Blood chemistry profile'],
  [EXAMONE, 'Urinalysis'],
  [EXAMONE, 'Paramedical exam (height, weight, blood pressure, pulse)'],
  [APSNOW, 'Attending physician statement: Dr. Priya Natarajan'],
];
const DELIVERY = ['Policy delivery receipt, signed', 'Amendment signed at delivery', 'First premium'];

/** How far the scenario carried a case: its orders out (an outage test's cases wait there), or placed. */
export type ScenarioEnd = 'ordered' | 'placed';

/** One email, by content: who got it, what kind it is, and the item it is about, for one application. */
export const fingerprint = (to: string, application: string, kind: string, item = ''): string => `${application} | ${to} | ${kind}${item ? `: ${item}` : ''}`;

export function expectedEmails(application: string, end: ScenarioEnd): string[] {
  const broker = (kind: string, item?: string) => fingerprint(BROKER, application, kind, item);
  const ordered = [broker('case received'), broker('exam instructions'), ...ORDERS.map(([vendor, item]) => fingerprint(vendor, application, 'order', item))];
  if (end === 'ordered') return ordered;
  return [
    ...ordered,
    ...ORDERS.map(([, item]) => broker('received', item)),
    fingerprint(CARRIER, application, 'submission'),
    broker('approved'),
    broker('issued'),
    ...DELIVERY.map((item) => broker('received', item)),
    broker('placed'),
  ];
}

/** Subject patterns of the emails the scenario can cause; anything else reads as "other" with its subject. */
const KINDS: [RegExp, string][] = [
  [/^Case received: /, 'case received'],
  [/^Client exam: /, 'exam instructions'],
  [/^New order [^:]+: (.+?) — /, 'order'],
  [/^Requirement received: (.+?)(?: \([^()]*outstanding\))? — /, 'received'],
  [/^New business submission: /, 'submission'],
  [/^Approved as applied/, 'approved'],
  [/^Policy \S+ issued/, 'issued'],
  [/^Policy \S+ placed/, 'placed'],
];

/** What a received email is about, or undefined when it names no application. */
export function classify(to: string, subject: string): string | undefined {
  const application = /\bapp ([A-Z]{2}-[A-Z0-9]+)\b/.exec(subject)?.[1];
  if (!application) return undefined;
  for (const [pattern, kind] of KINDS) {
    const m = pattern.exec(subject);
    if (m) return fingerprint(to, application, kind, m[1]);
  }
  return fingerprint(to, application, 'other', subject);
}
