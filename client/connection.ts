import { Client, Connection } from '@temporalio/client';
import { encryptedDataConverter } from '../platform/codec';
import type { AppConfig } from '../platform/config';

export class TemporalUnreachableError extends Error {
  override name = 'TemporalUnreachableError';
}

/** A Temporal client for the configured namespace, with an error that says what to do when the server is not there. */
export async function connectClient(config: AppConfig): Promise<{ client: Client; connection: Connection }> {
  const { connection: opts, namespace } = config.temporal;
  let connection: Connection;
  try {
    connection = await Connection.connect({
      address: opts.address,
      ...(opts.tls !== undefined ? { tls: opts.tls } : {}),
      ...(opts.apiKey !== undefined ? { apiKey: opts.apiKey } : {}),
      ...(opts.metadata !== undefined ? { metadata: opts.metadata } : {}),
      connectTimeout: '5 seconds',
    });
  } catch (err) {
    throw new TemporalUnreachableError(
      `Cannot reach Temporal at ${opts.address} (${(err as Error).message}). ` +
        (config.temporal.embedded
          ? 'Start the local stack with `npm start` in another terminal, or set TEMPORAL_ADDRESS.'
          : 'Check TEMPORAL_ADDRESS, TLS and API key settings, and that the server is up.'),
    );
  }
  return { client: new Client({ connection, namespace, dataConverter: encryptedDataConverter(config.encryption) }), connection };
}
