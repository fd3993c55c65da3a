import { describe, expect, it } from 'vitest';

import { backoffDelay, DEFAULT_BACKOFF, resolveBackoff } from './reconnect-backoff.js';

describe('backoffDelay', () => {
  it('grows exponentially and is capped', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffDelay(n, DEFAULT_BACKOFF))).toEqual([
      250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000,
    ]);
    const backoff = resolveBackoff({ initialMs: 100, factor: 3, maxMs: 1000 });
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, backoff))).toEqual([100, 300, 900, 1000]);
  });

  it('rejects invalid options', () => {
    expect(() => resolveBackoff({ initialMs: -1 })).toThrow(TypeError);
    expect(() => resolveBackoff({ factor: 0.5 })).toThrow(TypeError);
    expect(() => resolveBackoff({ initialMs: 500, maxMs: 100 })).toThrow(TypeError);
  });
});
