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
