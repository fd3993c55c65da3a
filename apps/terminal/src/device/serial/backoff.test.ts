import { describe, expect, it } from 'vitest';

import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles from the initial delay and stays at the cap', () => {
    const settings = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2 };
    expect([0, 1, 2, 3, 4, 5, 50, 5000].map((n) => backoffDelay(n, settings))).toEqual([
      100, 200, 400, 800, 1000, 1000, 1000, 1000,
    ]);
  });

  it('is constant with factor 1', () => {
    expect(backoffDelay(7, { initialDelayMs: 250, maxDelayMs: 1000, factor: 1 })).toBe(250);
  });
});
