import { chunkings } from '@pos-ga4/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { endLines, initialLineState, stepLines } from './line-framer.js';
import type { LineFramerFrame } from './line-framer.js';

function frameAll(
  chunks: readonly Uint8Array[],
  maxLineBytes?: number,
): { kind: string; text: string; byteOffset: number }[] {
  let state = initialLineState(maxLineBytes);
  const frames: LineFramerFrame[] = [];
  for (const chunk of chunks) {
    const step = stepLines(state, chunk);
    state = step.state;
    frames.push(...step.frames);
  }
  frames.push(...endLines(state));
  return frames.map((f) => ({
    kind: f.kind,
    text: Buffer.from(f.bytes).toString('latin1'),
    byteOffset: f.byteOffset,
  }));
}

const encode = (text: string): Uint8Array => Buffer.from(text, 'latin1');

describe('line framer', () => {
  it('splits on LF and CR LF, skips blank lines, keeps offsets, flushes the last line', () => {
    const frames = frameAll([encode('{"a":1}\r\n\n  \n{"b":2}\n{"c":3}')]);
    expect(frames).toEqual([
      { kind: 'line', text: '{"a":1}', byteOffset: 0 },
      { kind: 'line', text: '{"b":2}', byteOffset: 13 },
      { kind: 'line', text: '{"c":3}', byteOffset: 21 },
    ]);
  });

  it('rejects an over-long line with a bounded prefix and resynchronises on the next line', () => {
    const frames = frameAll([encode(`ok\n${'x'.repeat(50)}\nnext\n`)], 10);
    expect(frames).toEqual([
      { kind: 'line', text: 'ok', byteOffset: 0 },
      { kind: 'rejected', text: 'x'.repeat(10), byteOffset: 3 },
      { kind: 'line', text: 'next', byteOffset: 54 },
    ]);
  });

  it('gives identical frames under every chunking', () => {
    const bytes = encode(`{"a":1}\r\n${'y'.repeat(40)}\n\n{"b":"\u00e9"}\nlast`);
    const reference = frameAll([bytes], 16);
    for (const chunks of chunkings(bytes, { count: 200 }))
      expect(frameAll(chunks, 16)).toEqual(reference);
  });

  it('never throws and stays bounded on random bytes under random chunkings', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1 }),
        (bytes, sizes) => {
          const chunks: Uint8Array[] = [];
          for (let at = 0, i = 0; at < bytes.length; i++) {
            const size = sizes[i % sizes.length] ?? 1;
            chunks.push(bytes.subarray(at, at + size));
            at += size;
          }
          let state = initialLineState(64);
          for (const chunk of chunks) {
            state = stepLines(state, chunk).state;
            expect(state.pendingBytes).toBeLessThanOrEqual(64);
          }
          expect(frameAll(chunks, 64)).toEqual(frameAll([bytes], 64));
        },
      ),
    );
  });
});
