/*
 * Exit codes are part of the CLI's contract: scripts branch on them. Kept apart from errors.ts,
 * which imports every error class to map them, so that `bga status` answered by the API can
 * exit without loading those modules.
 */
export const EXIT = {
  OK: 0,
  UNEXPECTED: 1,
  INVALID_INPUT: 2,
  ALREADY_SUBMITTED: 3,
  NOT_FOUND: 4,
  UNREACHABLE: 5,
  REPLAY_CHECK_FAILED: 6,
  USAGE: 64,
} as const;
