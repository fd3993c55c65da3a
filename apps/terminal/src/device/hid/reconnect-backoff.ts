/**
 * Delays between attempts to find and open a HID device again: exponential, capped.
 *
 * Input: `attempt` (0 for the first retry after a loss or failure) and `BackoffOptions`
 * `{ initialMs = 250, factor = 2, maxMs = 10000 }`.
 * Output: `initialMs * factor^attempt`, at most `maxMs` (so a scanner that is replugged is found
 * within `maxMs`, and an absent one costs one enumeration per `maxMs`). No jitter: one terminal
 * has one scanner, nothing to de-synchronise.
 * Errors: `resolveBackoff` throws `TypeError` for invalid options. Lifecycle: pure.
 */
export interface BackoffOptions {
  readonly initialMs?: number;
  readonly factor?: number;
  readonly maxMs?: number;
}

export interface Backoff {
  readonly initialMs: number;
  readonly factor: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 250, factor: 2, maxMs: 10_000 };

export function resolveBackoff(options: BackoffOptions = {}): Backoff {
  const backoff = { ...DEFAULT_BACKOFF, ...options };
  if (!Number.isFinite(backoff.initialMs) || backoff.initialMs < 0) {
    throw new TypeError('"initialMs" must be a non-negative number');
  }
  if (!Number.isFinite(backoff.factor) || backoff.factor < 1) {
    throw new TypeError('"factor" must be a number of at least 1');
  }
  if (!Number.isFinite(backoff.maxMs) || backoff.maxMs < backoff.initialMs) {
    throw new TypeError('"maxMs" must be a number of at least "initialMs"');
  }
  return backoff;
}

export function backoffDelay(attempt: number, backoff: Backoff): number {
  const exponent = Math.max(0, Math.floor(attempt));
  return Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** exponent);
}
