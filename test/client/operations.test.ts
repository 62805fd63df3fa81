import { type Client, QueryNotRegisteredError } from '@temporalio/client';
import { ActionRefusedError } from '../../client/case-errors';
import { CaseUnreplayableError, getCase, sendAction } from '../../client/operations';

/* How a failed read of a case is told to a person, from the errors the Temporal client raises. */

const answering = (err: Error) => ({ workflow: { getHandle: () => ({ query: () => Promise.reject(err) }) } }) as unknown as Client;

test('a state query that fails in replayed workflow code (message encrypted by the codec) reads as an unreplayable case', async () => {
  // What the server returned for a placed case in a crash run: INVALID_ARGUMENT with the encoded failure's placeholder.
  const err = await getCase(answering(new QueryNotRegisteredError('Encoded failure', 3)), 'case-summit-x').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CaseUnreplayableError);
  expect((err as Error).message).toMatch(/^Case case-summit-x cannot be read: its history no longer replays \(the query failed while replaying: Encoded failure\)/);
});

/** A case that has finished: signals are refused as Temporal refuses them, queries answer with `query`. */
const finished = (query: () => Promise<unknown>) =>
  ({ workflow: { getHandle: () => ({ signal: () => Promise.reject(new Error('workflow execution already completed')), query }) } }) as unknown as Client;

describe('a request sent again to a case that has finished', () => {
  test('its first attempt applied it: the caller gets its request back, not a refusal', async () => {
    const request = { id: 'r-1', status: 'APPLIED', settledStage: 'CLOSED' };
    await expect(sendAction(finished(() => Promise.resolve({ request, state: {} })), 'case-summit-x', 'note', { actor: 'ops', text: 'x' }, 'r-1')).resolves.toBe('r-1');
  });

  test('the case never had it: refused, the case is closed', async () => {
    const err = await sendAction(finished(() => Promise.resolve(undefined)), 'case-summit-x', 'note', { actor: 'ops', text: 'x' }, 'r-2').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActionRefusedError);
    expect((err as Error).message).toBe('Case case-summit-x is closed; no further changes are accepted.');
  });

  test('the case cannot be asked (no worker up to answer): the failure goes back to be retried, never a refusal', async () => {
    // Seen in a crash run: the retry of a receipt whose first attempt had placed the case was refused as closed.
    const down = new Error('Query timed out: no worker answered');
    const err = await sendAction(finished(() => Promise.reject(down)), 'case-summit-x', 'note', { actor: 'ops', text: 'x' }, 'r-3').catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(ActionRefusedError);
    expect(err).toBe(down);
  });
});
