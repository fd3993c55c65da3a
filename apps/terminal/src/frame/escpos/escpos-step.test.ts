/**
 * Unit tests of the pure ESC/POS step functions and the framer wrapper on hand-built byte streams:
 * line endings, command lengths, cut dialects, idle timeout, size cap, code pages, codes, purity,
 * and fast-check fuzzing (no throw, bounded memory, chunking-independent frames).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  createEscposState,
  endEscpos,
  EscposFramer,
  MAX_PARAM_BYTES,
  REJECTED_PREFIX_BYTES,
  splitEscposReceipts,
  stepEscpos,
} from './index.js';
import type { EscposFrame, EscposFramerOptions, EscposReceiptFrame } from './index.js';

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;

/** Builds bytes from strings (Latin-1, one byte per char) and byte arrays. */
function bytes(...parts: readonly (string | readonly number[])[]): Uint8Array {
  return Buffer.concat(
    parts.map((part) =>
      typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part),
    ),
  );
}

function receipts(frames: readonly EscposFrame[]): EscposReceiptFrame[] {
  return frames.filter((frame): frame is EscposReceiptFrame => frame.kind === 'receipt');
}

function texts(input: Uint8Array, options: EscposFramerOptions = {}): string[] {
  return receipts(splitEscposReceipts(input, options)).map((frame) => frame.text);
}

function single(input: Uint8Array, options: EscposFramerOptions = {}): EscposReceiptFrame {
  const frames = splitEscposReceipts(input, options);
  expect(frames).toHaveLength(1);
  const [frame] = frames;
  if (frame?.kind !== 'receipt') throw new Error('expected one receipt');
  return frame;
}

/** Frames of `input` pushed in pieces of the given sizes (cycled), then ended. */
function framePieces(
  input: Uint8Array,
  sizes: readonly number[],
  options: EscposFramerOptions = {},
): EscposFrame[] {
  const framer = new EscposFramer(options);
  const frames: EscposFrame[] = [];
  let at = 0;
  for (let k = 0; at < input.length; k++) {
    const size = sizes.length === 0 ? input.length : Math.max(1, sizes[k % sizes.length] ?? 1);
    frames.push(...framer.push(input.subarray(at, at + size), 0));
    at += size;
  }
  frames.push(...framer.end());
  return frames;
}

describe('line endings', () => {
  it.each([
    ['LF', [0x0a]],
    ['CR', [0x0d]],
    ['CR LF', [0x0d, 0x0a]],
    ['LF CR', [0x0a, 0x0d]],
  ])('%s gives the same text, blank lines included', (_name, eol) => {
    const input = bytes('Line 1', eol, 'Line 2', eol, eol, 'Line 4', eol);
    expect(texts(input)).toEqual(['Line 1\nLine 2\n\nLine 4\n']);
    expect(receipts(framePieces(input, [1]))[0]?.text).toBe('Line 1\nLine 2\n\nLine 4\n');
  });

  it('ends lines on FF and on print-and-feed commands, and a last line without a break', () => {
    expect(texts(bytes('A', [0x0c], 'B'))).toEqual(['A\nB\n']);
    expect(texts(bytes('A', [ESC, 0x64, 3], 'B'))).toEqual(['A\n\n\nB\n']); // ESC d 3: feed 3 lines
    expect(texts(bytes('A', [ESC, 0x64, 0], 'B'))).toEqual(['A\nB\n']);
    expect(texts(bytes('A', [ESC, 0x4a, 0x51], 'B'))).toEqual(['A\nB\n']); // ESC J n: feed dots
    expect(texts(bytes('A', [ESC, 0x64, 255], 'B'))).toEqual(['A\n\n\nB\n']); // blank runs capped at 2
    expect(texts(bytes('\n\n  \nA  \t\n\n\n'))).toEqual(['A\n']); // blank edges and trailing spaces trimmed
    expect(texts(bytes('A\tB\n'))).toEqual(['A\tB\n']);
  });
});

describe('commands that do not print', () => {
  // Parameters are 'Q' (0x51) wherever the command allows, so a leaked parameter would show.
  const Q = 0x51;
  const silent: readonly (readonly number[])[] = [
    [ESC, 0x21, Q], // ESC !
    [ESC, 0x45, 1], // ESC E 1
    [ESC, 0x2d, Q], // ESC -
    [ESC, 0x61, Q], // ESC a
    [ESC, 0x4d, Q], // ESC M
    [GS, 0x21, Q], // GS !
    [GS, 0x42, Q], // GS B
    [GS, 0x48, Q], // GS H
    [GS, 0x68, Q], // GS h
    [GS, 0x77, Q], // GS w
    [GS, 0x66, Q], // GS f
    [GS, 0x4c, Q, Q], // GS L
    [GS, 0x57, Q, Q], // GS W
    [FS, 0x2e], // FS .
    [FS, 0x26], // FS &
    [FS, 0x43, Q], // FS C
    [ESC, 0x70, 0x30, Q, Q], // ESC p (drawer kick)
    [ESC, 0x32], // ESC 2
    [ESC, 0x33, Q], // ESC 3
    [DLE, 0x04, Q], // DLE EOT
    [GS, 0x72, Q], // GS r
    [GS, 0x61, Q], // GS a
    [ESC, 0x63, 0x33, Q], // ESC c 3
    [ESC, 0x63, 0x34, Q], // ESC c 4
    [ESC, 0x63, 0x35, Q], // ESC c 5
    [ESC, 0x52, Q], // ESC R
    [ESC, 0x47, Q], // ESC G
    [ESC, 0x56, Q], // ESC V
    [ESC, 0x7b, Q], // ESC {
    [ESC, 0x72, Q], // ESC r
    [ESC, 0x20, Q], // ESC SP
    [ESC, 0x24, Q, Q], // ESC $
    [GS, 0x5c, Q, Q], // GS \
    [ESC, 0x74, 0], // ESC t 0
    [ESC, 0x44, Q, Q, 0], // ESC D (tab stops, NUL-terminated)
    [0x07, 0x18, 0x0e, 0x14, 0x12, 0x7f], // BEL, CAN, SO, DC4, DC2, DEL
  ];

  it('consumes each by its length, never leaking parameters into the text', () => {
    const results = silent.map((command) => {
      const frame = single(bytes('A', command, 'B\n'));
      return { command: command.join(' '), text: frame.text, warnings: frame.warnings };
    });
    expect(results).toEqual(
      silent.map((command) => ({ command: command.join(' '), text: 'AB\n', warnings: [] })),
    );
    // ESC @ (initialize) also ends a pending line.
    expect(single(bytes('A', [ESC, 0x40], 'B\n')).text).toBe('A\nB\n');
    const all = single(bytes('A\n', [ESC, 0x40], ...silent, 'B\n'));
    expect(all.text).toBe('A\nB\n');
  });

  it('skips binary payloads by their declared length, including bytes that look like text or cuts', () => {
    const fake = [...Buffer.from('LEAKED'), GS, 0x56, 0x30, ESC, 0x69, 0x0a];
    const n = fake.length;
    const payloads: readonly (readonly number[])[] = [
      [GS, 0x28, 0x4c, n + 2, 0, 0x30, 0x70, ...fake], // GS ( L store graphics
      [GS, 0x38, 0x4c, n + 2, 0, 0, 0, 0x30, 0x70, ...fake], // GS 8 L (32-bit length)
      [GS, 0x76, 0x30, 0, n, 0, 1, 0, ...fake], // GS v 0, x = n bytes, y = 1
      [ESC, 0x2a, 0, n, 0, ...fake], // ESC * 8-dot, n columns
      [ESC, 0x2a, 33, n / 3, 0, ...fake], // ESC * 24-dot, 3 bytes per column
      [GS, 0x28, 0x6b, n + 3, 0, 0x31, 0x51, 0x30, ...fake], // GS ( k with a non-store function
      [GS, 0x2a, 1, 1, ...fake.slice(0, 8)], // GS * x y: 8 bytes
      [ESC, 0x26, 3, 0x41, 0x41, 3, ...fake.slice(0, 9)], // ESC & y c1 c2 x d1..d(y*x)
      [FS, 0x28, 0x41, n, 0, ...fake], // FS ( A
    ];
    expect(fake.length % 3).toBe(0);
    const results = payloads.map((payload) => {
      const frames = splitEscposReceipts(bytes('A', payload, 'B\n'));
      return {
        payload: payload.join(' '),
        kinds: frames.map((frame) => frame.kind),
        text: receipts(frames)[0]?.text,
      };
    });
    expect(results).toEqual(
      payloads.map((payload) => ({ payload: payload.join(' '), kinds: ['receipt'], text: 'AB\n' })),
    );
  });

  it('consumes an unknown command byte with a counted warning and never throws', () => {
    const frame = single(bytes('A', [ESC, 0x01], 'B', [GS, 0xfe], 'C', [FS, 0x7a], 'D\n'));
    expect(frame.text).toBe('ABCD\n');
    expect(frame.warningCount).toBe(3);
    expect(frame.warnings[0]).toBe('unknown command ESC 0x01 at byte 1');
    expect(frame.warnings[1]).toBe('unknown command GS 0xFE at byte 4');
    // A stray prefix before another command does not swallow it.
    expect(single(bytes('A', [ESC, GS, 0x56, 0x30])).cut).toBe('GS V 48');
  });
});

describe('cuts', () => {
  it.each([
    [[GS, 0x56, 0], 'GS V 0'],
    [[GS, 0x56, 1], 'GS V 1'],
    [[GS, 0x56, 48], 'GS V 48'],
    [[GS, 0x56, 49], 'GS V 49'],
    [[GS, 0x56, 65, 3], 'GS V 65 3'],
    [[GS, 0x56, 66, 0x59], 'GS V 66 89'],
    [[GS, 0x56, 97, 1], 'GS V 97 1'],
    [[GS, 0x56, 98, 1], 'GS V 98 1'],
    [[GS, 0x56, 103, 1], 'GS V 103 1'],
    [[GS, 0x56, 104, 1], 'GS V 104 1'],
    [[ESC, 0x69], 'ESC i'],
    [[ESC, 0x6d], 'ESC m'],
    [[ESC, 0x77], 'ESC w'],
  ])('%j ends a receipt as %s, consumed whole, under any chunking', (cut, label) => {
    const input = bytes('X\n', cut, 'Y\n');
    const expected = [
      { text: 'X\n', endedBy: 'cut', cut: label, byteOffset: 0, rawLength: 2 + cut.length },
      { text: 'Y\n', endedBy: 'end', cut: undefined, byteOffset: 2 + cut.length, rawLength: 2 },
    ];
    for (const sizes of [[], [1], [2], [3], [1, 2], [2, 1, 4]]) {
      const frames = receipts(framePieces(input, sizes));
      const got = frames.map((f) => ({
        text: f.text,
        endedBy: f.endedBy,
        cut: f.cut,
        byteOffset: f.byteOffset,
        rawLength: f.raw.length,
      }));
      expect(got).toEqual(expected);
    }
  });

  it('treats ESC d n as a cut only in Star line mode', () => {
    const input = bytes('X\n', [ESC, 0x64, 2], 'Y\n');
    expect(texts(input)).toEqual(['X\n\n\nY\n']); // LF, then two fed lines
    const star = receipts(splitEscposReceipts(input, { star: true }));
    expect(star.map((f) => [f.text, f.cut])).toEqual([
      ['X\n', 'ESC d 2'],
      ['Y\n', undefined],
    ]);
    // Star ESC i n1 n2 is character expansion, not a cut; Star ESC E / ESC F take no parameter.
    expect(
      texts(bytes('X', [ESC, 0x69, 1, 1], 'Y', [ESC, 0x45], 'Z', [ESC, 0x46], '\n'), {
        star: true,
      }),
    ).toEqual(['XYZ\n']);
  });

  it('reads Daruma ESC w 0/1, bare ESC E and bare ESC p by looking one byte ahead', () => {
    expect(texts(bytes([ESC, 0x77, 0x31], 'Big', [ESC, 0x77, 0x30], '\n'))).toEqual(['Big\n']);
    expect(single(bytes('X\n', [ESC, 0x77])).cut).toBe('ESC w'); // at the end of the stream
    expect(
      receipts(splitEscposReceipts(bytes('X\n', [ESC, 0x77, ESC, 0x40], 'Y\n'))).map((f) => f.cut),
    ).toEqual(['ESC w', undefined]);
    expect(texts(bytes([ESC, 0x45], 'Bold', [ESC, 0x46], '\n'))).toEqual(['Bold\n']);
    expect(texts(bytes([ESC, 0x45, 0x31], 'Bold', [ESC, 0x45, 0x30], '\n'))).toEqual(['Bold\n']);
    expect(texts(bytes('X\n', [ESC, 0x70], 'Y\n'))).toEqual(['X\nY\n']);
  });

  it('emits no empty receipts; bytes after a cut start the next receipt', () => {
    const drawer = [ESC, 0x70, 0x30, 0x3c, 0x78];
    expect(
      splitEscposReceipts(bytes([ESC, 0x40, ESC, 0x74, 2, GS, 0x56, 0x30], drawer, ' \r\n')),
    ).toEqual([]);
    const input = bytes(
      [ESC, 0x40],
      'One\n',
      [GS, 0x56, 0x30],
      drawer,
      [GS, 0x56, 0x30],
      drawer,
      [ESC, 0x40],
      'Two\n',
      [GS, 0x56, 0x30],
      drawer,
    );
    const frames = receipts(splitEscposReceipts(input));
    expect(frames.map((f) => f.text)).toEqual(['One\n', 'Two\n']);
    // The control-only section (drawer kick + cut) is attached to nothing...
    expect(frames[1]?.byteOffset).toBe(2 + 4 + 3 + 5 + 3);
    // ...the drawer kick after it belongs to the next receipt; the trailing one to nothing.
    expect(Array.from(frames[1]?.raw ?? [])).toEqual([
      ...drawer,
      ESC,
      0x40,
      ...Buffer.from('Two\n'),
      GS,
      0x56,
      0x30,
    ]);
  });
});

describe('idle timeout', () => {
  it('closes a receipt without a cut after idleMs, not before', () => {
    const framer = new EscposFramer({ idleMs: 1000 });
    expect(framer.push(bytes('Hello\n'), 10_000)).toEqual([]);
    expect(framer.push(bytes('World'), 10_500)).toEqual([]);
    expect(framer.flushIdle(11_000)).toEqual([]);
    expect(framer.flushIdle(11_499)).toEqual([]);
    const frames = framer.flushIdle(11_500);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({
      kind: 'receipt',
      text: 'Hello\nWorld\n',
      endedBy: 'idle',
      byteOffset: 0,
    });
    expect(frames[0]).not.toHaveProperty('cut');
    expect(framer.flushIdle(20_000)).toEqual([]);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('closes the open receipt when a chunk arrives after a gap of idleMs', () => {
    const framer = new EscposFramer({ idleMs: 1000 });
    expect(framer.push(bytes('A\n'), 0)).toEqual([]);
    const frames = framer.push(bytes('B\n'), 1000);
    expect(receipts(frames).map((f) => [f.text, f.endedBy, f.byteOffset])).toEqual([
      ['A\n', 'idle', 0],
    ]);
    expect(receipts(framer.end()).map((f) => [f.text, f.endedBy, f.byteOffset])).toEqual([
      ['B\n', 'end', 2],
    ]);
  });

  it('drops control-only bytes at idle, and resolves a pending bare ESC w as a cut', () => {
    const framer = new EscposFramer({ idleMs: 100 });
    framer.push(bytes([ESC, 0x40, ESC, 0x70, 0x30, 0x3c, 0x78]), 0);
    expect(framer.flushIdle(100)).toEqual([]);
    expect(framer.bufferedBytes).toBe(0);
    framer.push(bytes('X\n', [ESC, 0x77]), 200);
    const frames = framer.flushIdle(300);
    expect(receipts(frames).map((f) => [f.text, f.endedBy, f.cut, f.byteOffset])).toEqual([
      ['X\n', 'cut', 'ESC w', 7],
    ]);
  });

  it('rejects invalid options', () => {
    expect(() => createEscposState({ idleMs: 0 })).toThrow(RangeError);
    expect(() => createEscposState({ maxReceiptBytes: 10 })).toThrow(RangeError);
    expect(() => createEscposState({ defaultCodePage: 7 })).toThrow(RangeError);
    expect(createEscposState({ idleMs: Number.POSITIVE_INFINITY }).options.idleMs).toBe(
      Number.POSITIVE_INFINITY,
    );
  });
});

describe('receipt size cap', () => {
  it('rejects an oversized receipt with a bounded prefix and resynchronises at the next cut', () => {
    const input = bytes('Head\n', 'A'.repeat(3000), '\n', [GS, 0x56, 0x30], 'next\n', [
      GS,
      0x56,
      0x30,
    ]);
    for (const sizes of [[], [1], [7, 300]]) {
      const framer = new EscposFramer({ maxReceiptBytes: 1024 });
      const frames: EscposFrame[] = [];
      let at = 0;
      for (let k = 0; at < input.length; k++) {
        const size = sizes.length === 0 ? input.length : (sizes[k % sizes.length] ?? 1);
        frames.push(...framer.push(input.subarray(at, at + size), 0));
        expect(framer.bufferedBytes).toBeLessThanOrEqual(1024 + MAX_PARAM_BYTES);
        at += size;
      }
      frames.push(...framer.end());
      expect(frames).toHaveLength(2);
      const [rejected, next] = frames;
      expect(rejected).toMatchObject({
        kind: 'rejected',
        code: 'RECEIPT_TOO_LARGE',
        byteOffset: 0,
        byteLength: 5 + 3001 + 3,
        endedBy: 'cut',
      });
      expect(Buffer.from(rejected?.raw ?? []).equals(input.subarray(0, 1024))).toBe(true);
      expect(next).toMatchObject({
        kind: 'receipt',
        text: 'next\n',
        byteOffset: 5 + 3001 + 3,
        cut: 'GS V 48',
      });
    }
  });

  it('keeps memory bounded with the default cap on a long stream without a cut', () => {
    const framer = new EscposFramer();
    const line = bytes('0123456789'.repeat(10), '\n');
    const chunk = Buffer.concat(Array<Uint8Array>(40).fill(line)); // ~4 KB
    let max = 0;
    for (let k = 0; k < 100; k++) {
      expect(framer.push(chunk, k)).toEqual([]);
      max = Math.max(max, framer.bufferedBytes);
    }
    expect(max).toBeLessThanOrEqual(256 * 1024);
    const frames = framer.end();
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({
      kind: 'rejected',
      byteLength: 100 * chunk.length,
      endedBy: 'end',
    });
    expect(frames[0]?.raw.length).toBe(REJECTED_PREFIX_BYTES);
  });

  it('does not buffer a huge declared graphics payload', () => {
    const framer = new EscposFramer({ maxReceiptBytes: 4096 });
    framer.push(bytes('Logo:\n', [GS, 0x38, 0x4c, 0xff, 0xff, 0xff, 0x7f, 0x30, 0x70]), 0);
    const zeros = new Uint8Array(64 * 1024);
    for (let k = 0; k < 16; k++) {
      framer.push(zeros, 0);
      expect(framer.bufferedBytes).toBeLessThanOrEqual(4096 + MAX_PARAM_BYTES);
    }
    expect(framer.end().map((frame) => frame.kind)).toEqual(['rejected']);
  });
});

describe('code pages', () => {
  it('decodes through the ESC t table in effect, CP437 by default, never as UTF-8', () => {
    expect(texts(bytes([0x9c, 0x80, 0xe1], '\n'))).toEqual(['£Çß\n']);
    expect(texts(bytes([ESC, 0x74, 2, 0xd5, 0x9b], '\n'))).toEqual(['ıø\n']); // CP850
    expect(texts(bytes([ESC, 0x74, 19, 0xd5], '\n'))).toEqual(['€\n']); // CP858
    expect(texts(bytes([ESC, 0x74, 16, 0x80, 0xe9], '\n'))).toEqual(['€é\n']); // CP1252
    expect(texts(bytes('Caf', [0xc3, 0xa9], '\n'))).toEqual(['Caf├⌐\n']);
  });

  it('resets to the default code page at ESC @', () => {
    expect(texts(bytes([ESC, 0x74, 16, 0x80, ESC, 0x40, 0x80], '\n'))).toEqual(['€\nÇ\n']);
    expect(
      texts(bytes([0x80, ESC, 0x74, 0, 0x80, ESC, 0x40, 0x80], '\n'), { defaultCodePage: 16 }),
    ).toEqual(['€Ç\n€\n']);
  });

  it('keeps the current table and warns on an unsupported ESC t', () => {
    const frame = single(bytes([ESC, 0x74, 2, ESC, 0x74, 99, 0xd5], '\n'));
    expect(frame.text).toBe('ı\n');
    expect(frame.warnings).toEqual(['ESC t 99: code page not supported, still decoding as CP850']);
  });

  it('decodes UTF-8 only when configured, across chunk boundaries', () => {
    const input = bytes(
      'Caf',
      [0xc3, 0xa9],
      ' ',
      [0xe2, 0x82, 0xac],
      ' ',
      [0xf0, 0x9f, 0x98, 0x80],
      ' ',
      [0xff],
      '\n',
    );
    for (const sizes of [[], [1], [2]]) {
      expect(receipts(framePieces(input, sizes, { encoding: 'utf8' }))[0]?.text).toBe(
        'Café € 😀 \ufffd\n',
      );
    }
  });
});

describe('codes', () => {
  it('keeps QR and PDF417 store data and GS k barcodes (function A and B) as metadata', () => {
    const qr = Buffer.from('https://example.com/r/42');
    const input = bytes(
      'Sale\n',
      [GS, 0x28, 0x6b, qr.length + 3, 0, 0x31, 0x50, 0x30, ...qr],
      [GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30],
      [GS, 0x28, 0x6b, 8, 0, 0x30, 0x50, 0x30, ...Buffer.from('PDF42')],
      [GS, 0x6b, 4, ...Buffer.from('ABC-1'), 0],
      [GS, 0x6b, 73, 6, ...Buffer.from('{B1234')],
      [GS, 0x56, 0x41, 3],
    );
    const frame = single(input);
    expect(frame.text).toBe('Sale\n');
    expect(frame.codes).toEqual([
      { kind: 'qr', data: 'https://example.com/r/42' },
      { kind: 'pdf417', data: 'PDF42' },
      { kind: 'barcode', symbology: 'CODE39', data: 'ABC-1' },
      { kind: 'barcode', symbology: 'CODE128', data: '{B1234' },
    ]);
    expect(receipts(framePieces(input, [1]))[0]?.codes).toEqual(frame.codes);
  });

  it('emits a receipt that holds only a code', () => {
    const frame = single(bytes([GS, 0x6b, 2, ...Buffer.from('4006381333931'), 0, GS, 0x56, 0x30]));
    expect(frame).toMatchObject({
      text: '',
      codes: [{ kind: 'barcode', symbology: 'JAN13 (EAN13)', data: '4006381333931' }],
    });
  });
});

describe('the pure step function', () => {
  it('never mutates a state: two continuations of one state stay independent', () => {
    const start = stepEscpos(createEscposState(), bytes('Shared '), 0).state;
    const a = stepEscpos(start, bytes('A\n'), 0).state;
    const b = stepEscpos(start, bytes('B\n'), 0).state;
    const textOf = (state: typeof start): string | undefined =>
      receipts(endEscpos(state).frames)[0]?.text;
    expect(textOf(a)).toBe('Shared A\n');
    expect(textOf(b)).toBe('Shared B\n');
    expect(textOf(start)).toBe('Shared\n');
    expect(Buffer.from(receipts(endEscpos(b).frames)[0]?.raw ?? []).toString('latin1')).toBe(
      'Shared B\n',
    );
  });
});

describe('fuzzing', () => {
  /** Bytes biased towards command prefixes and command letters, to reach deep parser states. */
  const commandish = fc.oneof(
    fc.integer({ min: 0, max: 255 }),
    fc.constantFrom(
      ESC,
      GS,
      FS,
      DLE,
      0x0a,
      0x0d,
      0x0c,
      0x00,
      0x01,
      0x02,
      0x03,
      0x30,
      0x31,
      0x41,
      0x42,
      0x45,
      0x4c,
      0x50,
    ),
    fc.constantFrom(
      0x56,
      0x6b,
      0x28,
      0x76,
      0x2a,
      0x26,
      0x38,
      0x69,
      0x6d,
      0x77,
      0x64,
      0x70,
      0x74,
      0x81,
      0x51,
      0x0b,
      0x44,
    ),
  );
  const streams = fc.oneof(
    fc.uint8Array({ maxLength: 3000 }),
    fc.array(commandish, { maxLength: 3000 }).map((a) => Uint8Array.from(a)),
  );
  const optionSets = fc.record({
    star: fc.boolean(),
    encoding: fc.constantFrom('codepage' as const, 'utf8' as const),
    maxReceiptBytes: fc.integer({ min: 64, max: 2048 }),
  });

  /** Frames as comparable plain data. */
  const plain = (frames: readonly EscposFrame[]): string =>
    JSON.stringify(
      frames.map((frame) => ({ ...frame, raw: Buffer.from(frame.raw).toString('hex') })),
    );

  /** Checks the frame contract against the input; returns a description of the first violation. */
  function violation(
    input: Uint8Array,
    frames: readonly EscposFrame[],
    maxReceiptBytes: number,
  ): string | undefined {
    let end = 0;
    for (const frame of frames) {
      if (frame.byteOffset < end) return `frame at ${frame.byteOffset} overlaps the previous one`;
      if (frame.kind === 'receipt') {
        if (frame.raw.length > maxReceiptBytes) return `receipt of ${frame.raw.length} bytes`;
        const slice = input.subarray(frame.byteOffset, frame.byteOffset + frame.raw.length);
        if (!Buffer.from(frame.raw).equals(slice))
          return `receipt at ${frame.byteOffset}: raw is not the stream slice`;
        end = frame.byteOffset + frame.raw.length;
      } else {
        // >= rather than >: a bare `ESC w` cut is only known from the byte after it, which was
        // already counted towards the receipt when it went over the cap.
        if (frame.byteLength < maxReceiptBytes) return `rejected ${frame.byteLength} bytes`;
        if (frame.raw.length > Math.min(REJECTED_PREFIX_BYTES, maxReceiptBytes))
          return 'rejected prefix too long';
        end = frame.byteOffset + frame.byteLength;
      }
    }
    return end <= input.length ? undefined : 'frames beyond the input';
  }

  it('never throws, keeps memory bounded and gives the same frames under any chunking', () => {
    const property = fc.property(
      streams,
      fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 20 }),
      optionSets,
      (input, sizes, options) => {
        const whole = splitEscposReceipts(input, options);
        const framer = new EscposFramer(options);
        const frames: EscposFrame[] = [];
        let at = 0;
        for (let k = 0; at < input.length; k++) {
          const size = sizes[k % sizes.length] ?? 1;
          frames.push(...framer.push(input.subarray(at, at + size), k));
          if (framer.bufferedBytes > options.maxReceiptBytes + MAX_PARAM_BYTES) return false;
          at += size;
        }
        frames.push(...framer.end());
        return (
          plain(frames) === plain(whole) &&
          violation(input, frames, options.maxReceiptBytes) === undefined
        );
      },
    );
    const report = fc.defaultReportMessage(fc.check(property, { numRuns: 300, seed: 20260126 }));
    expect(report).toBeUndefined();
  });

  it('never throws with idle flushes at random times', () => {
    const property = fc.property(
      streams,
      fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 30 }),
      (input, gaps) => {
        const framer = new EscposFramer({ idleMs: 1000, maxReceiptBytes: 512 });
        const frames: EscposFrame[] = [];
        let now = 0;
        for (let k = 0, at = 0; at < input.length; k++, at += 50) {
          now += gaps[k % gaps.length] ?? 0;
          frames.push(...framer.push(input.subarray(at, at + 50), now));
          frames.push(...framer.flushIdle(now + (gaps[(k + 1) % gaps.length] ?? 0)));
          if (framer.bufferedBytes > 512 + MAX_PARAM_BYTES) return false;
        }
        frames.push(...framer.end());
        return framer.bufferedBytes === 0 && violation(input, frames, 512) === undefined;
      },
    );
    const report = fc.defaultReportMessage(fc.check(property, { numRuns: 200, seed: 7 }));
    expect(report).toBeUndefined();
  });
});
