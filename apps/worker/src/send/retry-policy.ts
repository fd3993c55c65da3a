/**
 * How long to wait before the next attempt. Pure.
 * A `Retry-After` from GA4 (or a proxy) wins; otherwise exponential from 1 s, capped at 5 min,
 * with full jitter in [50 %, 100 %] so that retrying workers do not stampede.
 */
export class RetryableSendError extends Error {
  override readonly name = 'RetryableSendError';
  readonly code: string;
  readonly retryAfterMs: number | undefined;

  constructor(code: string, message: string, retryAfterMs?: number) {
    super(message);
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}

export const MAX_BACKOFF_MS = 5 * 60_000;

export function backoffDelay(
  attemptsMade: number,
  error: unknown,
  random: () => number = Math.random,
): number {
  if (error instanceof RetryableSendError && error.retryAfterMs !== undefined)
    return Math.min(error.retryAfterMs, MAX_BACKOFF_MS);
  const base = Math.min(1000 * 2 ** Math.max(0, attemptsMade - 1), MAX_BACKOFF_MS);
  return Math.round(base * (0.5 + random() * 0.5));
}
