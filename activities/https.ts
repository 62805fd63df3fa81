import { ApplicationFailure } from '@temporalio/activity';

/**
 * Posts a JSON document to a vendor or carrier endpoint. The Idempotency-Key header lets the
 * receiver drop a retry of a post whose answer was lost. 4xx answers other than 408/429 will
 * not improve with retries and fail for good; everything else is retried by Temporal.
 */
export async function postJson(fetchFn: typeof fetch, url: string, idempotencyKey: string, body: unknown): Promise<unknown> {
  const res = await fetchFn(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (res.ok) return text ? (JSON.parse(text) as unknown) : {};
  const message = `POST ${url} answered HTTP ${res.status}: ${text.slice(0, 300)}`;
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
    throw ApplicationFailure.nonRetryable(message, 'DeliveryRejected');
  }
  throw new Error(message);
}
