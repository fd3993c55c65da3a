/**
 * Every stable code pos-ga4 reports, gathered from the packages that define them, so one test
 * keeps `docs/errors.md` and the code in step (fastify's errors-doc check). Each code is written
 * once, in the list of the package that gives it; the types that carry codes (dead-letter
 * reasons, send outcomes, rejections, config errors) are derived from these lists, so a misspelt
 * code does not compile. `VOID_NOT_SENT` (an outcome, not an error) is mapping's, in the worker's
 * list.
 */
import { CONFIG_ERROR_CODES } from '@pos-ga4/config';
import type { ConfigErrorCode } from '@pos-ga4/config';
import { RETRYABLE_REASONS, VALIDATION_CODES } from '@pos-ga4/ga4-mp';
import type { RetryableReason, ValidationCode } from '@pos-ga4/ga4-mp';
import { TERMINAL_ERROR_CODES } from '@pos-ga4/terminal';
import type { TerminalErrorCode } from '@pos-ga4/terminal';
import { REJECTION_CODES } from '@pos-ga4/transaction';
import type { RejectionCode } from '@pos-ga4/transaction';
import { WORKER_ERROR_CODES } from '@pos-ga4/worker';
import type { WorkerErrorCode } from '@pos-ga4/worker';

export const CLI_ERROR_CODES = ['REDIS_UNAVAILABLE'] as const;
export type CliErrorCode = (typeof CLI_ERROR_CODES)[number];

/** Any code of docs/errors.md. */
export type ErrorCode =
  | RejectionCode
  | ConfigErrorCode
  | TerminalErrorCode
  | WorkerErrorCode
  | RetryableReason
  | ValidationCode
  | CliErrorCode;

export function allCodes(): ErrorCode[] {
  return [
    ...REJECTION_CODES,
    ...CONFIG_ERROR_CODES,
    ...TERMINAL_ERROR_CODES,
    ...WORKER_ERROR_CODES,
    ...RETRYABLE_REASONS,
    ...VALIDATION_CODES,
    ...CLI_ERROR_CODES,
  ].sort();
}
