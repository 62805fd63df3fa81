import { Client } from '@temporalio/client';
import { perform } from '../helpers/actions';
import * as msg from '../../workflows/messages';
import { exampleApplication } from '../helpers/applications';
import { World } from '../helpers/world';

let world: World;
beforeAll(async () => {
  world = await World.create('time-skipping');
});
afterAll(async () => world?.close());

test('SSN, date of birth, names and medical disclosures never reach Temporal in plaintext', async () => {
  const app = exampleApplication('summit-wl-clean');
  await world.licensedBroker(app.broker.npn, 'GA', 'SUMMIT');
  const { caseId } = await world.submit(app);
  await world.skip('1 hour');
  const h = world.handle(caseId);
  await perform(h, 'note', { actor: 'cm:jordan', text: 'Called the broker' });
  await perform(h, 'withdraw', { actor: 'cm:jordan', reason: 'privacy test' });
  await h.result();

  // What the server stores, read without the codec.
  const raw = new Client({ connection: world.env.connection, namespace: world.env.namespace ?? 'default' });
  const history = await raw.workflow.getHandle(caseId).fetchHistory();
  const description = await raw.workflow.getHandle(caseId).describe();
  const stored = JSON.stringify([history, description.raw]);
  const secrets = [
    app.insured.ssn,
    app.insured.ssn.replace(/-/g, ''),
    app.insured.dateOfBirth,
    'Okafor',
    'lisinopril',
    'Hypertension',
    'Natarajan',
    '404-555-0187',
  ];
  for (const secret of secrets) expect({ secret, found: stored.includes(secret) }).toEqual({ secret, found: false });

  // Every payload is ciphertext with a key ID for rotation.
  const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  expect(Buffer.from(input?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
  expect(Buffer.from(input?.metadata?.['encryption-key-id'] ?? []).toString()).toBe('test-2026');

  // The same history decodes for a client that holds the key.
  const state = await h.query(msg.caseStateQuery);
  expect(state.insuredName).toBe('Margaret A. Okafor');
});
