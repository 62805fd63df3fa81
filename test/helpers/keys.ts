import type { KeyRing } from '../../platform/codec';
import { encryptedDataConverter } from '../../platform/codec';

/**
 * A fixed test key ring (never used outside tests), so histories recorded as replay fixtures
 * can be decoded by the replay test in any later run.
 */
export const TEST_KEY_RING: KeyRing = {
  currentKeyId: 'test-2026',
  keys: new Map([['test-2026', Buffer.from('Jm8sR0a6q5oXq1tq6x9ZgWc5mYtqN0o3xJ2k8vB4d1E=', 'base64')]]),
};

export const testDataConverter = encryptedDataConverter(TEST_KEY_RING);
