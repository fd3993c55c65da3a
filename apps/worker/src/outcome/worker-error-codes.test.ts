/** The worker's codes: one list, and types that refuse a code not in it (checked by tsc). */
import { MAPPING_FAILURE_CODES, REJECTED_REASONS } from '@pos-ga4/ga4-mp';
import type { SendOutcome } from '@pos-ga4/ga4-mp';
import type { DeadLetterJobData } from '@pos-ga4/queue-contract';
import { describe, expect, expectTypeOf, it } from 'vitest';

import type { BuildFailureCode } from '../map/build-request.js';
import type { RouteResult } from '../route/property-router.js';
import { RetryableSendError } from '../send/retry-policy.js';

import type { DeadLetterInput } from './dead-letter.js';
import { WORKER_ERROR_CODES } from './worker-error-codes.js';
import type { DeadLetterReason, OutcomeReason, WorkerCode } from './worker-error-codes.js';

describe('worker error codes', () => {
  it('lists each code once, mapping’s and refused requests’ among them', () => {
    expect(new Set(WORKER_ERROR_CODES).size).toBe(WORKER_ERROR_CODES.length);
    expect(WORKER_ERROR_CODES).toEqual(
      expect.arrayContaining([...MAPPING_FAILURE_CODES, ...REJECTED_REASONS]),
    );
  });

  it('gives dead letters the reasons of failed deliveries only', () => {
    expectTypeOf<DeadLetterReason>().toEqualTypeOf<
      | 'JOB_INVALID'
      | 'TOO_OLD'
      | 'CLOCK_SKEW'
      | 'NO_CLIENT_ID'
      | 'UNKNOWN_STORE'
      | 'VALIDATION_FAILED'
      | 'HTTP_4XX'
      | 'RETRIES_EXHAUSTED'
      | 'REFUND_OF_UNSENT'
      | 'REFUND_OF_UNKNOWN'
    >();
    expectTypeOf<OutcomeReason>().toEqualTypeOf<DeadLetterReason | 'VOID_NOT_SENT'>();
    // the list: those 10, a skipped void, and a worker that refuses to start
    expect(WORKER_ERROR_CODES).toHaveLength(12);
    // every failure a producer reports can be dead-lettered as it is
    expectTypeOf<Exclude<BuildFailureCode, 'VOID_NOT_SENT'>>().toExtend<DeadLetterReason>();
    expectTypeOf<Extract<RouteResult, { ok: false }>['code']>().toExtend<DeadLetterReason>();
    expectTypeOf<
      Extract<SendOutcome, { kind: 'rejected' }>['reason']
    >().toExtend<DeadLetterReason>();
    // the queue contract reads any reason back (older workers' letters); writers name theirs
    expectTypeOf<DeadLetterJobData['reason']>().toEqualTypeOf<string>();
    expectTypeOf<DeadLetterJobData<DeadLetterReason>['reason']>().toEqualTypeOf<DeadLetterReason>();
  });

  it('does not compile a misspelt code, or one of another kind', () => {
    // @ts-expect-error -- misspelt: RETRIES_EXHAUSTED
    const misspelt: DeadLetterInput['reason'] = 'RETRY_EXHAUSTED';
    // @ts-expect-error -- a void is completed as skipped, never dead-lettered
    const skipped: DeadLetterReason = 'VOID_NOT_SENT';
    // @ts-expect-error -- a retryable reason is retried; RETRIES_EXHAUSTED dead-letters it
    const retryable: DeadLetterReason = 'HTTP_429';
    // @ts-expect-error -- RetryableSendError takes retryable reasons only
    const error = new RetryableSendError('HTTP_4XX', 'refused');
    // @ts-expect-error -- WorkerCode names listed codes only
    expectTypeOf<WorkerCode<'NO_CLIENT'>>().toBeString();
    expect([misspelt, skipped, retryable, error.code]).toHaveLength(4);
  });
});
