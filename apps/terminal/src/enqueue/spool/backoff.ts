/**
 * Retry delays for the spool drainer (pure): exponential from `minDelayMs`, doubling per
 * consecutive failure up to `maxDelayMs`, with ±20 % jitter so terminals that lost the same
 * Redis do not all come back in the same millisecond.
 */
export interface RetryPolicy {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { minDelayMs: 250, maxDelayMs: 30_000 };

export function backoffDelay(
  failures: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const base = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** exponent);
  return Math.round(base * (0.8 + 0.4 * random()));
}
