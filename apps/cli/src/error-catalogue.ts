/**
 * Every stable code pos-ga4 reports, gathered from the packages that define them, so one test
 * keeps `docs/errors.md` and the code in step (fastify's errors-doc check).
 */
import { CONFIG_ERROR_CODES } from '@pos-ga4/config';
import { RETRYABLE_REASONS, VALIDATION_CODES } from '@pos-ga4/ga4-mp';
import { TERMINAL_ERROR_CODES } from '@pos-ga4/terminal';
import { REJECTION_CODES } from '@pos-ga4/transaction';
import { WORKER_ERROR_CODES } from '@pos-ga4/worker';

export const CLI_ERROR_CODES = ['REDIS_UNAVAILABLE'] as const;
/** Outcomes that are not errors but are counted and logged under a code. */
export const OUTCOME_CODES = ['VOID_NOT_SENT'] as const;

export function allCodes(): string[] {
  return [
    ...REJECTION_CODES,
    ...CONFIG_ERROR_CODES,
    ...TERMINAL_ERROR_CODES,
    ...WORKER_ERROR_CODES,
    ...RETRYABLE_REASONS,
    ...VALIDATION_CODES,
    ...CLI_ERROR_CODES,
    ...OUTCOME_CODES,
  ].sort();
}
