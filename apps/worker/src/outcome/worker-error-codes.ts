/** Reason codes of dead letters and job outcomes (docs/errors.md lists them all). */
export const WORKER_ERROR_CODES = [
  'JOB_INVALID',
  'TOO_OLD',
  'CLOCK_SKEW',
  'NO_CLIENT_ID',
  'UNKNOWN_STORE',
  'VALIDATION_FAILED',
  'HTTP_4XX',
  'RETRIES_EXHAUSTED',
  'REFUND_OF_UNSENT',
  'REFUND_OF_UNKNOWN',
  'PARTITIONS_MISMATCH',
] as const;
export type WorkerErrorCode = (typeof WORKER_ERROR_CODES)[number];
