/**
 * Splits a byte buffer into chunks in many ways, for "same frames whatever the chunking" tests:
 * whole, one byte at a time, and `count` seeded random splittings (deterministic per seed).
 */
export function* chunkings(
  bytes: Uint8Array,
  options: { count?: number; seed?: number } = {},
): Generator<Uint8Array[]> {
  yield [bytes];
  yield Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
  let seed = options.seed ?? 42;
  const random = (): number => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let n = 0; n < (options.count ?? 50); n++) {
    const chunks: Uint8Array[] = [];
    let at = 0;
    const maxChunk = 1 + Math.floor(random() * 64);
    while (at < bytes.length) {
      const size = 1 + Math.floor(random() * maxChunk);
      chunks.push(bytes.subarray(at, at + size));
      at += size;
    }
    yield chunks;
  }
}
