import { type Client, QueryNotRegisteredError } from '@temporalio/client';
import { CaseUnreplayableError, getCase } from '../../client/operations';

/* How a failed read of a case is told to a person, from the errors the Temporal client raises. */

const answering = (err: Error) => ({ workflow: { getHandle: () => ({ query: () => Promise.reject(err) }) } }) as unknown as Client;

test('a state query that fails in replayed workflow code (message encrypted by the codec) reads as an unreplayable case', async () => {
  // What the server returned for a placed case in a crash run: INVALID_ARGUMENT with the encoded failure's placeholder.
  const err = await getCase(answering(new QueryNotRegisteredError('Encoded failure', 3)), 'case-summit-x').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CaseUnreplayableError);
  expect((err as Error).message).toMatch(/^Case case-summit-x cannot be read: its history no longer replays \(the query failed while replaying: Encoded failure\)/);
});
