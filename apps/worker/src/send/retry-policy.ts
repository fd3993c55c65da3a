/**
 * How long to wait before the next attempt. Pure.
 * A `Retry-After` from GA4 (or a proxy) wins; otherwise exponential from `baseMs`, capped at
 * `maxMs`, with jitter in [50 %, 100 %] so that retrying workers do not stampede.
 */
import type { RetryableReason } from '@pos-ga4/ga4-mp';

import { RetryConfigSchema } from '../config.js';

export class RetryableSendError extends Error {
  override readonly name = 'RetryableSendError';
  readonly code: RetryableReason;
  readonly retryAfterMs: number | undefined;

  constructor(code: RetryableReason, message: string, retryAfterMs?: number) {
    super(message);
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}

export interface BackoffSettings {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly random?: () => number;
}

const RETRY_DEFAULTS = RetryConfigSchema.parse({});

/** The config's `retry.baseMs` and `retry.maxMs` defaults. */
export const DEFAULT_BACKOFF: BackoffSettings = {
  baseMs: RETRY_DEFAULTS.baseMs,
  maxMs: RETRY_DEFAULTS.maxMs,
};

export function backoffDelay(
  attemptsMade: number,
  error: unknown,
  settings: BackoffSettings = DEFAULT_BACKOFF,
): number {
  if (error instanceof RetryableSendError && error.retryAfterMs !== undefined)
    return Math.min(error.retryAfterMs, settings.maxMs);
  const base = Math.min(settings.baseMs * 2 ** Math.max(0, attemptsMade - 1), settings.maxMs);
  return Math.round(base * (0.5 + (settings.random ?? Math.random)() * 0.5));
}
