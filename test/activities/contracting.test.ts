import { contractingActivities, contractingEmailData, type ContractingFacts } from '../../activities/contracting';
import type { ActivityDeps } from '../../activities/deps';
import type { mailActivities } from '../../activities/mail';
import type { ContractingEffect, ContractingEmail, ContractingTemplate } from '../../domain/contracting-core';
import { EmailTemplateSchema, renderEmail } from '../../templates';

/* The contracting activities' mapping from the core's effects to emails and carrier requests; no server, a recording fetch. */

const FACTS: ContractingFacts = {
  bgaName: 'Keystone Brokerage General Agency',
  contractingReference: 'contracting-1234567-summit',
  brokerName: 'Sam Broker',
  brokerNpn: '1234567',
  carrierName: 'Summit Mutual Life',
  contractingEmail: 'contracting@bga.example',
  waitingCases: ['case-summit-sm-100234'],
};

const TEMPLATES: ContractingTemplate[] = [
  'contracting-packet',
  'contracting-item-returned',
  'contracting-reminder',
  'contracting-escalation',
  'contracting-carrier-follow-up',
  'contracting-carrier-escalation',
  'contracting-declined',
];

test.each(TEMPLATES)('the core email %s maps to template data that validates and renders', (template) => {
  const email: ContractingEmail = {
    kind: 'email',
    key: `contracting:1234567:SUMMIT:${template}`,
    template,
    to: 'sam@broker.example',
    summary: 'for the trail',
    items: [{ description: 'IRS Form W-9, signed', problem: 'the form is not signed' }],
    count: 2,
    requestedOn: '2026-12-07',
  };
  const data = EmailTemplateSchema.parse(contractingEmailData(email, FACTS));
  expect(data.template).toBe(template);
  const rendered = renderEmail(data);
  expect(rendered.text).toContain('contracting-1234567-summit');
  expect(rendered.subject.length).toBeGreaterThan(10);
});

test('an appointment request to a carrier on HTTPS is one POST keyed by the effect, with the packet and states', async () => {
  const posts: { url: string; key: string | null; body: Record<string, unknown> }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    posts.push({ url, key: new Headers(init.headers).get('idempotency-key'), body: JSON.parse(String(init.body)) as Record<string, unknown> });
    return new Response('{}', { status: 202 });
  }) as unknown as typeof globalThis.fetch;
  const unused = new Proxy({}, { get: () => { throw new Error('not used on this path'); } });
  const activities = contractingActivities({ db: unused, fetch } as unknown as ActivityDeps, unused as ReturnType<typeof mailActivities>);
  const request: Extract<ContractingEffect, { kind: 'request-appointment' }> = {
    kind: 'request-appointment',
    key: 'contracting:1234567:HARBOR:appointment-request#1',
    npn: '1234567',
    carrierCode: 'HARBOR',
    channel: { type: 'https', target: 'https://harbor.example/appointments' },
    attempt: 1,
    states: ['GA', 'TX'],
    packet: [{ item: 'EO_CERTIFICATE', description: 'E&O certificate', details: { carrier: 'Acme', limit: 1_000_000, expiresOn: '2027-06-30' } }],
  };
  await activities.requestCarrierAppointment({ request, facts: { ...FACTS, carrierName: 'Harbor Life' } });
  expect(posts).toEqual([
    {
      url: 'https://harbor.example/appointments',
      key: 'contracting:1234567:HARBOR:appointment-request#1',
      body: expect.objectContaining({ kind: 'appointment-request', states: ['GA', 'TX'], producer: { npn: '1234567', name: 'Sam Broker' }, packet: request.packet }),
    },
  ]);
});

const CONTRACT_FILE = { sha256: 'b'.repeat(64), fileName: 'summit-agreement-signed.pdf', contentType: 'application/pdf' as const, size: 5 };
const withFile: Extract<ContractingEffect, { kind: 'request-appointment' }> = {
  kind: 'request-appointment',
  key: 'contracting:1234567:SUMMIT:appointment-request#1',
  npn: '1234567',
  carrierCode: 'SUMMIT',
  channel: { type: 'email', target: 'appointments@summitmutual.example' },
  attempt: 1,
  states: ['GA'],
  packet: [
    { item: 'CARRIER_CONTRACT', description: 'Summit Mutual producer agreement, signed', file: CONTRACT_FILE },
    { item: 'W9', description: 'IRS Form W-9, signed' },
  ],
};

test('an emailed appointment request attaches the copies the broker sent, by reference to the store', async () => {
  const sent: Parameters<ReturnType<typeof mailActivities>['sendEmail']>[0][] = [];
  const mail = { sendEmail: async (input: (typeof sent)[number]) => void sent.push(input) } as unknown as ReturnType<typeof mailActivities>;
  await contractingActivities({} as ActivityDeps, mail).requestCarrierAppointment({ request: withFile, facts: FACTS });
  expect(sent).toHaveLength(1);
  expect(sent[0]!.documents).toEqual([{ filename: 'summit-agreement-signed.pdf', contentType: 'application/pdf', document: 'b'.repeat(64) }]);
  expect(sent[0]!.data).toMatchObject({ template: 'contracting-appointment-request', attachedFiles: 1 });
});

test('an appointment request over HTTPS carries each copy inline, read from the store', async () => {
  const bodies: { packet: { file?: { contentBase64: string } }[] }[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    bodies.push(JSON.parse(String(init.body)) as (typeof bodies)[number]);
    return new Response('{}', { status: 200 });
  }) as unknown as typeof globalThis.fetch;
  const documents = { description: 'test store', get: async (sha: string) => Buffer.from(sha === 'b'.repeat(64) ? 'PDF!!' : ''), put: async () => {} };
  const https = { ...withFile, channel: { type: 'https' as const, target: 'https://summit.example/appointments' } };
  await contractingActivities({ fetch, documents } as unknown as ActivityDeps, {} as ReturnType<typeof mailActivities>).requestCarrierAppointment({ request: https, facts: FACTS });
  expect(bodies[0]!.packet[0]!.file?.contentBase64).toBe(Buffer.from('PDF!!').toString('base64'));
  expect(bodies[0]!.packet[1]!.file).toBeUndefined();
});
