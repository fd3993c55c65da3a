/**
 * HTTP result → typed send outcome. Pure.
 * - 2xx: `sent`.
 * - 429: `retryable` after `Retry-After` (seconds or HTTP date) when given.
 * - 5xx, 408, timeouts, resets, refused connections: `retryable` (caller backs off with jitter).
 * - any other status: `rejected`. GA4 says a non-2xx means the request itself is wrong: fix it,
 *   never resend it unchanged.
 */
import type { ValidationMessage } from './wire-types.js';

export const RETRYABLE_REASONS = [
  'HTTP_429',
  'HTTP_5XX',
  'HTTP_408',
  'TIMEOUT',
  'NETWORK',
] as const;
export type RetryableReason = (typeof RETRYABLE_REASONS)[number];

/** Why a request was refused for good: resending it unchanged cannot help. */
export const REJECTED_REASONS = ['HTTP_4XX', 'VALIDATION_FAILED'] as const;
export type RejectedReason = (typeof REJECTED_REASONS)[number];

/** The reason of any send that did not go through. */
export type SendFailureReason = RetryableReason | RejectedReason;

export type SendOutcome =
  | { readonly kind: 'sent'; readonly status: number }
  | {
      readonly kind: 'retryable';
      readonly reason: RetryableReason;
      readonly status?: number;
      readonly retryAfterMs?: number;
      readonly message: string;
    }
  | {
      readonly kind: 'rejected';
      readonly reason: RejectedReason;
      readonly status: number;
      readonly message: string;
      /** Debug mode: what /debug/mp/collect said. */
      readonly validationMessages?: readonly ValidationMessage[];
    };

export function parseRetryAfter(header: string | undefined, now: number): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function classifyStatus(
  status: number,
  context: { retryAfter?: string | undefined; now: number; body: string },
): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'sent', status };
  const snippet = context.body.slice(0, 200);
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(context.retryAfter, context.now);
    return {
      kind: 'retryable',
      reason: 'HTTP_429',
      status,
      message: `HTTP 429 ${snippet}`.trim(),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  if (status >= 500)
    return {
      kind: 'retryable',
      reason: 'HTTP_5XX',
      status,
      message: `HTTP ${status} ${snippet}`.trim(),
    };
  if (status === 408) return { kind: 'retryable', reason: 'HTTP_408', status, message: 'HTTP 408' };
  return {
    kind: 'rejected',
    reason: 'HTTP_4XX',
    status,
    message: `HTTP ${status} ${snippet}`.trim(),
  };
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
  'ABORT_ERR',
  'UND_ERR_ABORTED',
]);

/** A thrown transport error → retryable outcome. The message never includes the URL. */
export function classifyError(error: unknown): SendOutcome {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const name = error instanceof Error ? error.name : '';
  if (TIMEOUT_CODES.has(code) || name === 'TimeoutError' || name === 'AbortError') {
    return { kind: 'retryable', reason: 'TIMEOUT', message: `timeout (${code || name})` };
  }
  return {
    kind: 'retryable',
    reason: 'NETWORK',
    message: `network error (${code || name || 'unknown'})`,
  };
}
