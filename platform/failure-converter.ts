import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces go into the encoded attributes, so the encryption codec
 * covers them too (an error may quote an applicant's data). Loaded by path: it also runs
 * inside the workflow bundle.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
