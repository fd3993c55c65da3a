/**
 * Fault injection for tests and benchmarks. Each request draws once: 5xx, 429 (with
 * Retry-After), 400, timeout (held without answer, then the socket is destroyed), connection reset,
 * or none; `latencyMs` is added to every answer. Seeded, so a run is reproducible. Pure apart
 * from the random source it is given.
 */
import { z } from 'zod';

export const FaultSettingsSchema = z.strictObject({
  errorRate: z.number().min(0).max(1).default(0),
  rateLimitRate: z.number().min(0).max(1).default(0),
  retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
  timeoutRate: z.number().min(0).max(1).default(0),
  /** How long a "timeout" request is held before its socket is destroyed. */
  timeoutHoldMs: z.number().int().min(0).max(600_000).default(30_000),
  resetRate: z.number().min(0).max(1).default(0),
  /** Answered 400: GA4's "fix the request" answer; a sender must never resend it unchanged. */
  badRequestRate: z.number().min(0).max(1).default(0),
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  seed: z.number().int().default(1),
});

export type FaultSettings = z.output<typeof FaultSettingsSchema>;
export type FaultSettingsInput = z.input<typeof FaultSettingsSchema>;
export type Fault = 'none' | 'error' | 'rate-limit' | 'timeout' | 'reset' | 'bad-request';

export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function drawFault(settings: FaultSettings, random: () => number): Fault {
  let roll = random();
  for (const [fault, rate] of [
    ['error', settings.errorRate],
    ['rate-limit', settings.rateLimitRate],
    ['timeout', settings.timeoutRate],
    ['reset', settings.resetRate],
    ['bad-request', settings.badRequestRate],
  ] as const) {
    if (roll < rate) return fault;
    roll -= rate;
  }
  return 'none';
}
