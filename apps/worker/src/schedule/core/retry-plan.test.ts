import { describe, expect, it } from 'vitest';

import { heldItem } from '../../../test/held-items.js';

import type { WorkerConfig } from '../../config.js';

import type { HeldItem } from './held-item.js';
import { planRetry } from './retry-plan.js';

const RETRY: WorkerConfig['retry'] = { baseMs: 100, maxMs: 800, giveUpAfterMs: 3000 };
const NOW = 1_000_000;
/** Jitter at the middle of [50 %, 100 %]: 75 % of the backoff. */
const random = (): number => 0.5;

function item(id: string, fields: Partial<Pick<HeldItem, 'failures' | 'firstFailureAt'>> = {}) {
  return heldItem(id, { ...fields, client: 'x', sequence: 1, orderTs: 1, state: 'inflight' });
}

const overloaded = { reason: 'HTTP_5XX', message: 'HTTP 503' } as const;

describe('planRetry', () => {
  it('counts the failure, keeps it, backs off with jitter and puts the item back to pending', () => {
    const a = item('a');
    expect(planRetry([a], overloaded, { now: NOW, retry: RETRY, random })).toEqual([]);
    expect(a.failures).toBe(1);
    expect(a.firstFailureAt).toBe(NOW);
    expect(a.lastFailure).toBe('HTTP_5XX: HTTP 503');
    expect(a.blockedUntil).toBe(NOW + 75); // 100 × 0.75
    expect(a.state).toBe('pending');
  });

  it('doubles the backoff per failure up to maxMs, and keeps the first failure time', () => {
    const a = item('a', { failures: 1, firstFailureAt: NOW - 500 });
    planRetry([a], { reason: 'TIMEOUT', message: 'no answer' }, { now: NOW, retry: RETRY, random });
    expect(a.failures).toBe(2);
    expect(a.firstFailureAt).toBe(NOW - 500);
    expect(a.lastFailure).toBe('TIMEOUT: no answer');
    expect(a.blockedUntil).toBe(NOW + 150); // 200 × 0.75
    const b = item('b', { failures: 4, firstFailureAt: NOW });
    planRetry([b], overloaded, { now: NOW, retry: RETRY, random });
    expect(b.blockedUntil).toBe(NOW + 600); // min(1600, 800) × 0.75
  });

  it('uses the given random for jitter: 50 % to 100 % of the backoff', () => {
    const low = item('low');
    const high = item('high');
    planRetry([low], overloaded, { now: NOW, retry: RETRY, random: () => 0 });
    planRetry([high], overloaded, { now: NOW, retry: RETRY, random: () => 1 });
    expect(low.blockedUntil).toBe(NOW + 50);
    expect(high.blockedUntil).toBe(NOW + 100);
  });

  it('lets Retry-After win over the backoff, without jitter, capped at maxMs', () => {
    const a = item('a', { failures: 4 });
    const b = item('b');
    planRetry([a], { ...overloaded, retryAfterMs: 300 }, { now: NOW, retry: RETRY, random });
    planRetry([b], { ...overloaded, retryAfterMs: 5000 }, { now: NOW, retry: RETRY, random });
    expect(a.blockedUntil).toBe(NOW + 300);
    expect(b.blockedUntil).toBe(NOW + 800);
  });

  it('updates every item, each by its own failure count', () => {
    const a = item('a');
    const b = item('b', { failures: 2, firstFailureAt: NOW - 10 });
    planRetry([a, b], overloaded, { now: NOW, retry: RETRY, random });
    expect([a.failures, b.failures]).toEqual([1, 3]);
    expect([a.blockedUntil, b.blockedUntil]).toEqual([NOW + 75, NOW + 300]);
    expect([a.state, b.state]).toEqual(['pending', 'pending']);
  });

  it('returns as expired exactly the items failing for giveUpAfterMs or longer', () => {
    const fresh = item('fresh');
    const almost = item('almost', { failures: 3, firstFailureAt: NOW - 2999 });
    const exactly = item('exactly', { failures: 3, firstFailureAt: NOW - 3000 });
    const long = item('long', { failures: 9, firstFailureAt: NOW - 60_000 });
    const expired = planRetry([fresh, almost, exactly, long], overloaded, {
      now: NOW,
      retry: RETRY,
      random,
    });
    expect(expired).toEqual([exactly, long]);
    // expired ones are counted and set back like the rest
    expect(exactly.failures).toBe(4);
    expect(exactly.state).toBe('pending');
  });
});
