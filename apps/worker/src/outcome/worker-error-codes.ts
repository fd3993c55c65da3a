/**
 * Reason codes of dead letters and job outcomes (docs/errors.md lists them all): the worker's own,
 * and those @pos-ga4/ga4-mp gives (mapping's `TOO_OLD`, `CLOCK_SKEW`, `VOID_NOT_SENT`; a refused
 * request's `HTTP_4XX`, `VALIDATION_FAILED`), each written once, where it is given. Every type of a
 * code below is derived from this list, so a misspelt code does not compile.
 */
import { MAPPING_FAILURE_CODES, REJECTED_REASONS } from '@pos-ga4/ga4-mp';

export const WORKER_ERROR_CODES = [
  'JOB_INVALID',
  'NO_CLIENT_ID',
  'UNKNOWN_STORE',
  'RETRIES_EXHAUSTED',
  'REFUND_OF_UNSENT',
  'REFUND_OF_UNKNOWN',
  'PARTITIONS_MISMATCH',
  ...MAPPING_FAILURE_CODES,
  ...REJECTED_REASONS,
] as const;
export type WorkerErrorCode = (typeof WORKER_ERROR_CODES)[number];

/** `C`, checked to be worker codes: `WorkerCode<'NO_CLIENT_ID'>` (a misspelt one does not compile). */
export type WorkerCode<C extends WorkerErrorCode> = C;

/**
 * Why a job is failed into the dead-letter queue (`JOB_INVALID`: failed without a letter, its data
 * holds no transaction). Not `VOID_NOT_SENT` (completed as skipped) nor `PARTITIONS_MISMATCH` (a
 * worker that refuses to start).
 */
export type DeadLetterReason = Exclude<
  WorkerErrorCode,
  WorkerCode<'VOID_NOT_SENT' | 'PARTITIONS_MISMATCH'>
>;

/** The reason of a job's outcome: a dead letter's, or a skipped void's. */
export type OutcomeReason = DeadLetterReason | WorkerCode<'VOID_NOT_SENT'>;
