/** The persistent byte chain: appends never change earlier chains, even when blocks are shared. */
import { describe, expect, it } from 'vitest';

import { appendBytes, BLOCK_BYTES, concatBytes } from './byte-chain.js';

describe('byte chain', () => {
  it('appends without changing earlier chains, also when two chains grow from one', () => {
    const base = appendBytes(undefined, Uint8Array.of(1, 2));
    const a = appendBytes(base, Uint8Array.of(3));
    const b = appendBytes(base, Uint8Array.of(4, 5));
    const a2 = appendBytes(a, Uint8Array.of(6));
    expect(Array.from(concatBytes(base))).toEqual([1, 2]);
    expect(Array.from(concatBytes(a))).toEqual([1, 2, 3]);
    expect(Array.from(concatBytes(b))).toEqual([1, 2, 4, 5]);
    expect(Array.from(concatBytes(a2, Uint8Array.of(7)))).toEqual([1, 2, 3, 6, 7]);
    expect(a2?.length).toBe(4);
  });

  it('spans blocks and copies input bytes', () => {
    const input = new Uint8Array(BLOCK_BYTES + 10).map((_, i) => i % 251);
    let chain = appendBytes(undefined, input.subarray(0, 7));
    chain = appendBytes(chain, input.subarray(7));
    input.fill(0);
    const out = concatBytes(chain);
    expect(out).toHaveLength(BLOCK_BYTES + 10);
    expect(out.every((byte, i) => byte === i % 251)).toBe(true);
    expect(concatBytes(undefined)).toHaveLength(0);
  });
});
