import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { allocateLargestRemainder } from './allocate.js';

/** The textbook method in BigInt, for reference. */
function reference(total: number, weights: readonly bigint[]): number[] {
  const w = weights.some((x) => x > 0n) ? weights : weights.map(() => 1n);
  const sum = w.reduce((a, b) => a + b, 0n);
  const shares = w.map((x) => (BigInt(total) * x) / sum);
  const rests = w.map((x, index) => ({ index, rest: (BigInt(total) * x) % sum }));
  let left = BigInt(total) - shares.reduce((a, b) => a + b, 0n);
  rests.sort((a, b) => (a.rest === b.rest ? a.index - b.index : a.rest > b.rest ? -1 : 1));
  for (const { index } of rests) {
    if (left <= 0n) break;
    shares[index] = (shares[index] ?? 0n) + 1n;
    left--;
  }
  return shares.map(Number);
}

describe('allocateLargestRemainder', () => {
  it('splits exactly, the leftover to the largest remainders (ties: the earlier part)', () => {
    expect(allocateLargestRemainder(100, [1n, 1n, 1n])).toEqual([34, 33, 33]);
    expect(allocateLargestRemainder(45, [320n, 180n])).toEqual([29, 16]);
    expect(allocateLargestRemainder(5, [0n, 0n])).toEqual([3, 2]);
    expect(allocateLargestRemainder(0, [])).toEqual([]);
  });

  it('respects caps, moving what a part cannot hold to the others', () => {
    expect(allocateLargestRemainder(10, [100n, 1n], [4, 100])).toEqual([4, 6]);
    expect(() => allocateLargestRemainder(10, [1n, 1n], [2, 2])).toThrow(RangeError);
  });

  it('agrees with the BigInt method for small and huge amounts and weights', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000_000 }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 25n }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 30 }),
        (total, big, small) => {
          for (const weights of [big, small.map(BigInt)]) {
            const shares = allocateLargestRemainder(total, weights);
            expect(shares).toEqual(reference(total, weights));
            expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
