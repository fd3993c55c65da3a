/**
 * The retry plan for a request GA4 (or the network) answered with a retryable failure. Pure.
 * The failed request's items and every later request of the same client wait: each gets its
 * failure counted and a backoff (`retry.baseMs` doubling to `retry.maxMs`, jittered; a
 * `Retry-After` wins), and goes back to pending. Nothing else waits. Items that have been failing
 * for `retry.giveUpAfterMs` are returned as expired: they go to the dead-letter queue
 * (`RETRIES_EXHAUSTED`, their attempts already counted).
 */
import type { RetryableReason } from '@pos-ga4/ga4-mp';

import type { WorkerConfig } from '../../config.js';
import { backoffDelay, RetryableSendError } from '../../send/retry-policy.js';

import type { HeldItem } from './held-item.js';

export interface RetryableOutcome {
  readonly reason: RetryableReason;
  readonly message: string;
  readonly retryAfterMs?: number | undefined;
}

export function planRetry(
  items: readonly HeldItem[],
  outcome: RetryableOutcome,
  context: {
    readonly now: number;
    readonly retry: WorkerConfig['retry'];
    readonly random?: () => number;
  },
): HeldItem[] {
  const { now, retry } = context;
  const error = new RetryableSendError(outcome.reason, outcome.message, outcome.retryAfterMs);
  for (const item of items) {
    item.failures++;
    item.firstFailureAt ??= now;
    item.lastFailure = `${outcome.reason}: ${outcome.message}`;
    item.blockedUntil =
      now +
      backoffDelay(item.failures, error, {
        baseMs: retry.baseMs,
        maxMs: retry.maxMs,
        ...(context.random === undefined ? {} : { random: context.random }),
      });
    item.state = 'pending';
  }
  return items.filter((item) => now - (item.firstFailureAt ?? now) >= retry.giveUpAfterMs);
}
