/**
 * A persistent (immutable, structurally shared) list of byte segments: appending never changes
 * what an existing chain holds, so framer states stay pure without copying held bytes each step.
 *
 * Segments live in blocks with spare room. A chain that ends exactly where its block's filled part
 * ends may append in place (writing only bytes no chain can see yet); any other chain (an older
 * state appended to a second time) starts a new block. So a stream of small chunks costs one
 * allocation per block, not per chunk.
 *
 * Inputs: bytes to append (copied, never kept). Outputs: `appendBytes` returns a new chain;
 * `concatBytes` copies a chain (plus an optional tail) into one new `Uint8Array`.
 * Errors: none. Lifecycle: plain values, garbage-collected. Memory: the bytes held plus at most
 * one block's spare room ({@link BLOCK_BYTES}).
 */

/** Spare room of a new block. */
export const BLOCK_BYTES = 4096;

interface Block {
  readonly bytes: Uint8Array;
  /** Bytes written so far (shared by every chain that uses this block). */
  filled: number;
}

export interface ByteChain {
  readonly previous: ByteChain | undefined;
  readonly block: Block;
  /** This segment is `block.bytes[start, end)`. */
  readonly start: number;
  readonly end: number;
  /** Total bytes in this chain. */
  readonly length: number;
}

export function appendBytes(
  chain: ByteChain | undefined,
  bytes: Uint8Array,
): ByteChain | undefined {
  if (bytes.length === 0) return chain;
  const length = (chain?.length ?? 0) + bytes.length;
  if (
    chain !== undefined &&
    chain.block.filled === chain.end &&
    chain.end + bytes.length <= chain.block.bytes.length
  ) {
    chain.block.bytes.set(bytes, chain.end);
    chain.block.filled += bytes.length;
    return {
      previous: chain.previous,
      block: chain.block,
      start: chain.start,
      end: chain.end + bytes.length,
      length,
    };
  }
  const block: Block = {
    bytes: new Uint8Array(Math.max(bytes.length, BLOCK_BYTES)),
    filled: bytes.length,
  };
  block.bytes.set(bytes);
  return { previous: chain, block, start: 0, end: bytes.length, length };
}

/** A fresh copy of the chain's bytes followed by `tail`. */
export function concatBytes(
  chain: ByteChain | undefined,
  tail: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const out = new Uint8Array((chain?.length ?? 0) + tail.length);
  out.set(tail, chain?.length ?? 0);
  for (let link = chain; link !== undefined; link = link.previous) {
    out.set(link.block.bytes.subarray(link.start, link.end), link.length - (link.end - link.start));
  }
  return out;
}
