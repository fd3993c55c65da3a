/**
 * The ESC/POS framer against real printer-driver output (fixtures/escpos, MIT): every file frames
 * without error, cuts and text come out as expected, and the frames do not depend on chunking.
 */
import { readdirSync, readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { EscposFramer, splitEscposReceipts } from './index.js';
import type {
  EscposEndedBy,
  EscposFrame,
  EscposFramerOptions,
  EscposReceiptFrame,
} from './index.js';

const FIXTURES = new URL('../../../../../fixtures/escpos/', import.meta.url);

function load(file: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(file, FIXTURES)));
}

const FILES = ['escpos-php', 'escpos-buffer'].flatMap((dir) =>
  readdirSync(new URL(`${dir}/`, FIXTURES))
    .filter((name) => name.endsWith('.bin'))
    .sort()
    .map((name) => `${dir}/${name}`),
);

/**
 * Expected receipts per file, hard-coded after reading every file with `xxd`:
 * - `cuts`: cut commands in the file. escpos-php: one `GS V A 3` per file, 14 in `demo.bin`
 *   (13 x `GS V A 3`, 1 x `GS V B 3`, matching its README). escpos-buffer: `GS V 0` (i9),
 *   `GS V B 40` (perto), `ESC w` (tsp-143), `ESC m` (vox, tm-t20_cut, tectoy-q4_cutter); none elsewhere
 *   (`dr800_large_text` has Daruma's `ESC w 1`/`ESC w 0` double height, not cuts).
 * - `endedBy`: the frames. A cut closes a receipt only when something was printed before it:
 *   `tm-t20_cut` and `tectoy-q4_cutter` are `ESC t 2 ESC m` (cut with no text), so no receipt. Files
 *   without a cut but with text, codes or a printed image give one receipt closed by `end`; files with
 *   only commands (drawer kicks, `ESC t 2 CR LF`) give none.
 */
interface Expected {
  readonly cuts: number;
  readonly endedBy: readonly EscposEndedBy[];
  readonly cut?: string;
}

const CUT_ONCE: Expected = { cuts: 1, endedBy: ['cut'], cut: 'GS V 65 3' };
const TRAILING: Expected = { cuts: 0, endedBy: ['end'] };
const NOTHING: Expected = { cuts: 0, endedBy: [] };

const EXPECTED: Readonly<Record<string, Expected>> = {
  'escpos-php/barcode.bin': CUT_ONCE,
  'escpos-php/bit-image.bin': CUT_ONCE,
  'escpos-php/character-encodings.bin': CUT_ONCE,
  'escpos-php/character-tables.bin': CUT_ONCE,
  'escpos-php/demo.bin': {
    cuts: 14,
    endedBy: Array<EscposEndedBy>(14).fill('cut'),
    cut: 'GS V 65 3',
  },
  'escpos-php/graphics.bin': CUT_ONCE,
  'escpos-php/margins-and-spacing.bin': CUT_ONCE,
  'escpos-php/pdf417-code.bin': CUT_ONCE,
  'escpos-php/qr-code.bin': CUT_ONCE,
  'escpos-php/receipt-with-logo.bin': CUT_ONCE,
  'escpos-php/text-size.bin': CUT_ONCE,
  'escpos-php/unifont-print-buffer.bin': CUT_ONCE,
  'escpos-buffer/cmp-20_large_text.bin': TRAILING,
  'escpos-buffer/cmp-20_qrcode.bin': TRAILING, // QR printed as an ESC * raster image
  'escpos-buffer/cmp-20_text_line.bin': TRAILING,
  'escpos-buffer/dr800_bold_text.bin': TRAILING,
  'escpos-buffer/dr800_drawer.bin': NOTHING,
  'escpos-buffer/dr800_large_text.bin': TRAILING,
  'escpos-buffer/dr800_qrcode.bin': TRAILING,
  'escpos-buffer/generic-80mm_large_text.bin': TRAILING,
  'escpos-buffer/i7_drawer.bin': NOTHING,
  'escpos-buffer/i9_bold_text.bin': TRAILING,
  'escpos-buffer/i9_cutter.bin': { cuts: 1, endedBy: ['cut'], cut: 'GS V 48' },
  'escpos-buffer/i9_cutter_full.bin': { cuts: 1, endedBy: ['cut'], cut: 'GS V 48' },
  'escpos-buffer/i9_drawer.bin': NOTHING,
  'escpos-buffer/i9_large_text.bin': TRAILING,
  'escpos-buffer/i9_qrcode.bin': TRAILING,
  'escpos-buffer/mp-4200_th_bold_text_font_changed.bin': TRAILING,
  'escpos-buffer/mp-4200_th_bold_text_other_font.bin': TRAILING,
  'escpos-buffer/mp-4200_th_drawer.bin': NOTHING,
  'escpos-buffer/mp-4200_th_drawer_other_font.bin': NOTHING,
  'escpos-buffer/mp-4200_th_large_text.bin': TRAILING,
  'escpos-buffer/mp-4200_th_qrcode.bin': TRAILING,
  'escpos-buffer/mp-4200_th_utf8_text.bin': TRAILING,
  'escpos-buffer/perto_printer_cutter.bin': { cuts: 1, endedBy: ['cut'], cut: 'GS V 66 40' },
  'escpos-buffer/printid_bold_text.bin': TRAILING,
  'escpos-buffer/printid_large_text.bin': TRAILING,
  'escpos-buffer/printid_qrcode.bin': TRAILING, // QR printed as an ESC * raster image
  'escpos-buffer/printid_touch_qrcode.bin': TRAILING,
  'escpos-buffer/tectoy-q4_cutter.bin': { cuts: 1, endedBy: [] },
  'escpos-buffer/tectoy-q4_large_text_font.bin': TRAILING,
  'escpos-buffer/tectoy-q4_qrcode.bin': TRAILING,
  'escpos-buffer/tectoy-q4_text.bin': TRAILING,
  'escpos-buffer/tm-t20_bold_text.bin': TRAILING,
  'escpos-buffer/tm-t20_condensed_text.bin': TRAILING,
  'escpos-buffer/tm-t20_cut.bin': { cuts: 1, endedBy: [] },
  'escpos-buffer/tm-t20_drawer.bin': NOTHING,
  'escpos-buffer/tm-t20_italic_text.bin': TRAILING,
  'escpos-buffer/tm-t20_large_text.bin': TRAILING,
  'escpos-buffer/tm-t20_large_text_font.bin': TRAILING,
  'escpos-buffer/tm-t20_qrcode.bin': TRAILING,
  'escpos-buffer/tm-t20_text.bin': TRAILING,
  'escpos-buffer/tm-t20_underline_text.bin': TRAILING,
  'escpos-buffer/tm-t20_write_empty_line.bin': NOTHING,
  'escpos-buffer/tm-t20_write_line.bin': TRAILING,
  'escpos-buffer/tm-t20_write_text.bin': TRAILING,
  'escpos-buffer/tsp-143_cutter.bin': { cuts: 1, endedBy: ['cut'], cut: 'ESC w' },
  'escpos-buffer/tsp-143_drawer.bin': NOTHING,
  'escpos-buffer/vox_bold_text.bin': TRAILING,
  'escpos-buffer/vox_cutter.bin': { cuts: 1, endedBy: ['cut'], cut: 'ESC m' },
  'escpos-buffer/vox_drawer.bin': NOTHING,
  'escpos-buffer/vox_large_text.bin': TRAILING,
  'escpos-buffer/vox_qrcode.bin': TRAILING,
};

function receipts(frames: readonly EscposFrame[]): EscposReceiptFrame[] {
  return frames.filter((frame): frame is EscposReceiptFrame => frame.kind === 'receipt');
}

function only(frames: readonly EscposFrame[]): EscposReceiptFrame {
  const found = receipts(frames);
  expect(found).toHaveLength(1);
  const [first] = found;
  if (first === undefined) throw new Error('no receipt');
  return first;
}

/** Cut commands that end a receipt: `GS V m [n]`, `ESC i`, `ESC m`, bare `ESC w`. */
function cutBytes(cut: string): number[] {
  const [prefix, command, ...rest] = cut.split(' ');
  const head = prefix === 'GS' ? [0x1d] : [0x1b];
  return [...head, (command ?? '').charCodeAt(0), ...rest.map(Number)];
}

/** Control characters other than LF and TAB (C0, DEL, C1), and U+FFFD, found in `text`. */
function controlOrReplacement(text: string): string[] {
  return Array.from(text).filter((char) => {
    const code = char.charCodeAt(0);
    const control =
      (code < 0x20 && char !== '\n' && char !== '\t') || (code >= 0x7f && code <= 0x9f);
    return control || char === '\ufffd';
  });
}

/** Seeded (mulberry32) random chunkings: 1-byte chunks, then `count` random splits. */
function* chunkings(bytes: Uint8Array, count: number): Generator<Uint8Array[]> {
  yield Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
  let seed = 0x5eed;
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let n = 0; n < count; n++) {
    const chunks: Uint8Array[] = [];
    const maxChunk = 1 + Math.floor(random() * (random() < 0.5 ? 64 : 1024));
    for (let at = 0; at < bytes.length;) {
      const size = 1 + Math.floor(random() * maxChunk);
      chunks.push(bytes.subarray(at, at + size));
      at += size;
    }
    yield chunks;
  }
}

function frameChunks(
  chunks: readonly Uint8Array[],
  options: EscposFramerOptions = {},
): EscposFrame[] {
  const framer = new EscposFramer(options);
  const frames: EscposFrame[] = [];
  for (const chunk of chunks) frames.push(...framer.push(chunk, 0));
  frames.push(...framer.end());
  return frames;
}

/** Frames without their raw bytes, as JSON (raw is compared with `Buffer.equals`, which is faster). */
function withoutRaw(frames: readonly EscposFrame[]): string {
  return JSON.stringify(frames.map((frame) => ({ ...frame, raw: frame.raw.length })));
}

function sameFrames(a: readonly EscposFrame[], b: readonly EscposFrame[]): boolean {
  return (
    withoutRaw(a) === withoutRaw(b) &&
    a.every((frame, i) => Buffer.from(frame.raw).equals(b[i]?.raw ?? new Uint8Array(0)))
  );
}

describe('ESC/POS framer on third-party printer output', () => {
  it('has an expectation for every fixture file', () => {
    expect(FILES).toHaveLength(63);
    expect([...FILES].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(FILES)(
    '%s frames without error, one receipt per cut that follows printed content',
    (file) => {
      const bytes = load(file);
      const expected = EXPECTED[file];
      if (expected === undefined) throw new Error(`no expectation for ${file}`);
      const frames = splitEscposReceipts(bytes);
      expect(frames.every((frame) => frame.kind === 'receipt')).toBe(true);
      const found = receipts(frames);
      expect(found.map((frame) => frame.endedBy)).toEqual(expected.endedBy);
      expect(found.filter((frame) => frame.endedBy === 'cut').length).toBeLessThanOrEqual(
        expected.cuts,
      );
      // raw is an exact, in-order slice of the stream; a cut receipt's raw ends with its cut command.
      const checks = found.map((frame, i) => {
        const previous = found[i - 1];
        const previousEnd = previous === undefined ? 0 : previous.byteOffset + previous.raw.length;
        const slice = bytes.subarray(frame.byteOffset, frame.byteOffset + frame.raw.length);
        const cut = frame.cut === undefined ? [] : cutBytes(frame.cut);
        return {
          inOrder: frame.byteOffset >= previousEnd,
          isSlice: Buffer.from(frame.raw).equals(slice),
          endsWithCut: cut.length === 0 || Buffer.from(cut).equals(frame.raw.subarray(-cut.length)),
          linesEndInLf: frame.text === '' || frame.text.endsWith('\n'),
        };
      });
      expect(checks).toEqual(
        found.map(() => ({ inOrder: true, isSlice: true, endsWithCut: true, linesEndInLf: true })),
      );
      expect(found.at(-1)?.cut).toBe(expected.cut);
    },
  );

  it('demo.bin: 14 jobs, 13 full-feed cuts and one partial-feed cut, two image-only jobs', () => {
    const found = receipts(splitEscposReceipts(load('escpos-php/demo.bin')));
    expect(found).toHaveLength(14);
    expect(found.filter((frame) => frame.cut === 'GS V 65 3')).toHaveLength(13);
    expect(found.filter((frame) => frame.cut === 'GS V 66 3')).toHaveLength(1);
    const imageOnly = found.filter((frame) => frame.text === '' && frame.codes.length === 0);
    expect(imageOnly).toHaveLength(2);
    expect(imageOnly.every((frame) => frame.graphics > 0)).toBe(true);
    expect(found[0]?.text).toBe('Hello world\n');
  });

  it('receipt-with-logo.bin: the sales receipt text, without the raster logo or the drawer kick', () => {
    const bytes = load('escpos-php/receipt-with-logo.bin');
    const receipt = only(splitEscposReceipts(bytes));
    const { text } = receipt;
    for (const expected of [
      'ExampleMart Ltd.',
      'Shop No. 42.',
      'SALES INVOICE',
      'Subtotal',
      '12.95',
      'A local tax',
      '1.30',
      'Total',
      '14.25',
      'Monday 6th of April 2015 02:56:25 PM',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toMatch(/^Example item #1 +4\.00$/m);
    expect(text).toMatch(/^Another thing +3\.50$/m);
    expect(text).toMatch(/^Something else +1\.00$/m);
    expect(text).toMatch(/^A final item +4\.45$/m);
    expect(text).toMatch(/^Subtotal +12\.95$/m);
    expect(text.startsWith('ExampleMart Ltd.\n')).toBe(true);
    expect(controlOrReplacement(text)).toEqual([]);
    expect(text.length).toBeLessThan(800); // the ~9 KB logo is skipped, not decoded
    expect(receipt.graphics).toBe(1);
    expect(receipt.warnings).toEqual([]);
    expect(receipt.cut).toBe('GS V 65 3');
    // The drawer kick after the cut (ESC p 0 60 120) is not part of this receipt...
    expect(receipt.raw.length).toBe(bytes.length - 5);
    expect(Array.from(bytes.subarray(-5))).toEqual([0x1b, 0x70, 0x30, 0x3c, 0x78]);
    // ...it starts the next receipt when one follows in the same stream.
    const twice = splitEscposReceipts(Buffer.concat([bytes, bytes]));
    expect(receipts(twice)).toHaveLength(2);
    expect(twice[1]?.byteOffset).toBe(bytes.length - 5);
    expect(Array.from(twice[1]?.raw.subarray(0, 7) ?? [])).toEqual([
      0x1b, 0x70, 0x30, 0x3c, 0x78, 0x1b, 0x40,
    ]);
  });

  it('character-encodings.bin: decodes CP437, CP850 and CP1252 text, warns on tables it lacks', () => {
    const receipt = only(splitEscposReceipts(load('escpos-php/character-encodings.bin')));
    const { text } = receipt;
    // Danish starts in CP437 (0x91 æ), then ESC t 2 (CP850: 0x9B ø, 0x86 å).
    expect(text).toContain(
      'Quizdeltagerne spiste jordbær med fløde, mens cirkusklovnen Wolther spillede på xylofon.',
    );
    expect(text).toContain('Falsches Üben von Xylophonmusik quält jeden größeren Zwerg.');
    // ESC t 0 (CP437): ü ó í ñ.
    expect(text).toContain(
      'El pingüino Wenceslao hizo kilómetros bajo exhaustiva lluvia y frío, añoraba a su querido cachorro.',
    );
    // ESC t 16 (CP1252): œ é ç â ô ï ÿ ê ü ë à î è ä ö ù û æ, and Í Ú Ó ó É Á.
    expect(text).toContain(
      "Le cœur déçu mais l'âme plutôt naïve, Louÿs rêva de crapaüter en canoë au delà des îles, près du mälström où brûlent les novæ.",
    );
    expect(text).toContain("D'fhuascail Íosa, Úrmhac na hÓighe Beannaithe, pór Éava agus Ádhaimh.");
    // ESC t 0 then ESC t 2 within one line (CP850: ý þ ð).
    expect(text).toContain('Kæmi ný öxi hér ykist þjófum nú bæði víl og ádrepa.');
    // CP850 0xD5 is the dotless ı.
    expect(text).toContain('Pijamalı hasta');
    expect(text).toContain('The quick brown fox jumps over the lazy dog.');
    // Greek (ESC t 14), Hungarian (18), Latvian (33), Russian (17), ... are not decoded: one warning each.
    expect(receipt.warnings).toHaveLength(10);
    expect(receipt.warnings[0]).toMatch(
      /^ESC t 14: code page not supported, still decoding as CP850/,
    );
  });

  it('character-tables.bin: the high halves of CP437, CP850, CP1252 and CP858 print as those tables', () => {
    const { text } = only(splitEscposReceipts(load('escpos-php/character-tables.bin')));
    const section = (title: string): string => {
      const start = text.indexOf(`${title}\n`);
      expect(start).toBeGreaterThanOrEqual(0);
      return text.slice(start, text.indexOf('\nTable ', start + 1));
    };
    const cp437 = section('Table 0: CP437');
    expect(cp437).toContain('8 ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒ\n');
    expect(cp437).toContain('A áíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐\n');
    expect(cp437).toContain('E αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■');
    const cp850 = section('Table 2: CP850');
    expect(cp850).toContain('8 ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒ\n');
    expect(cp850).toContain('C └┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀\n');
    const cp1252 = section('Table 16: CP1252');
    expect(cp1252).toContain('8 €\ufffd‚ƒ„…†‡ˆ‰Š‹Œ\ufffdŽ\ufffd\ufffd‘’“”•–—˜™š›œ\ufffdžŸ\n');
    expect(cp1252).toContain('E àáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþ');
    // escpos-php prints no table for 19 (CP858) but selects it; the next section (21, CP874, which
    // is not decoded here) therefore still prints through CP858: 0xD5 is the euro sign.
    expect(section('Table 21: CP874')).toContain('C └┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈ€ÍÎÏ┘┌█▄¦Ì▀\n');
  });

  it('mp-4200_th_utf8_text.bin: UTF-8 bytes are decoded as UTF-8 only when configured', () => {
    const bytes = load('escpos-buffer/mp-4200_th_utf8_text.bin');
    expect(only(splitEscposReceipts(bytes)).text).toBe('A├º├¬nts\n'); // CP850, as the printer would
    expect(only(splitEscposReceipts(bytes, { encoding: 'utf8' })).text).toBe('Açênts\n');
  });

  it('escpos-buffer: dialect text comes out clean (bold, large, condensed, italic, underline)', () => {
    const texts = new Map<string, string>();
    for (const file of FILES.filter((name) => name.startsWith('escpos-buffer/'))) {
      for (const frame of receipts(splitEscposReceipts(load(file)))) texts.set(file, frame.text);
    }
    const expectedText = (file: string): string | undefined => {
      if (file.includes('bold_text'))
        return file.includes('font_changed') ? 'Bold text\nBold text\n' : 'Bold text\n';
      if (file.includes('large_text') && !file.includes('tm-t20_large_text_font'))
        return 'Large Text\n';
      if (file.includes('cutter')) return 'Cut below\n';
      if (file.includes('qrcode')) return '';
      return texts.get(file);
    };
    const entries = [...texts.entries()];
    expect(entries.map(([file, text]) => [file, text])).toEqual(
      entries.map(([file]) => [file, expectedText(file)]),
    );
    expect(entries.flatMap(([, text]) => controlOrReplacement(text))).toEqual([]);
    expect(texts.get('escpos-buffer/tm-t20_condensed_text.bin')).toBe('Condensed Text\n');
    expect(texts.get('escpos-buffer/tm-t20_italic_text.bin')).toBe('Italic Text\n');
    expect(texts.get('escpos-buffer/tm-t20_underline_text.bin')).toBe('Underline Text\n');
    expect(texts.get('escpos-buffer/tm-t20_write_line.bin')).toBe('Simple Line\n');
    // escpos-buffer sends ESC d 255 as UTF-8 (1B 64 C3 BF): 195 feeds, then 0xBF prints (CP850 ┐).
    expect(texts.get('escpos-buffer/tm-t20_large_text_font.bin')).toBe('Large Text\n\n\n┐\n');
  });

  it('keeps QR, PDF417 and barcode payloads as codes', () => {
    const qr = only(splitEscposReceipts(load('escpos-php/qr-code.bin'))).codes;
    expect(qr.every((code) => code.kind === 'qr')).toBe(true);
    expect(qr.map((code) => code.data)).toContain('Testing 123');
    expect(qr.map((code) => code.data)).toContain('0123456789012345678901234567890123456789');
    expect(qr.map((code) => code.data)).toContain('abcdefghijklmnopqrstuvwxyzabcdefghijklmn');
    expect(qr.map((code) => code.data)).toContain('\u0000'.repeat(40));

    const pdf417 = only(splitEscposReceipts(load('escpos-php/pdf417-code.bin'))).codes;
    expect(pdf417.length).toBeGreaterThan(0);
    expect(pdf417.every((code) => code.kind === 'pdf417' && code.data === 'Testing 123')).toBe(
      true,
    );

    const barcodes = only(splitEscposReceipts(load('escpos-php/barcode.bin'))).codes;
    expect(barcodes.every((code) => code.kind === 'barcode')).toBe(true);
    expect(barcodes[0]).toEqual({ kind: 'barcode', symbology: 'CODE39', data: 'ABC' });
    expect(barcodes).toContainEqual({
      kind: 'barcode',
      symbology: 'JAN13 (EAN13)',
      data: '012345678901',
    });
    expect(barcodes).toContainEqual({ kind: 'barcode', symbology: 'UPC-E', data: '123456' });
    expect(barcodes).toContainEqual({ kind: 'barcode', symbology: 'ITF', data: '0123456789' });
    expect(barcodes).toContainEqual({
      kind: 'barcode',
      symbology: 'CODE128',
      data: '{B012ABCDabcd',
    });

    const url = 'https://github.com/grandchef/escpos-buffer';
    for (const file of [
      'tm-t20',
      'i9',
      'printid_touch',
      'tectoy-q4',
      'dr800',
      'mp-4200_th',
      'vox',
    ]) {
      const codes = only(splitEscposReceipts(load(`escpos-buffer/${file}_qrcode.bin`))).codes;
      expect({ file, codes }).toEqual({ file, codes: [{ kind: 'qr', data: url }] });
    }
  });

  it.each(FILES)('%s: the same frames under 1-byte and 200 random chunkings', (file) => {
    const bytes = load(file);
    const whole = frameChunks([bytes]);
    const mismatches: number[] = [];
    let compared = 0;
    for (const chunks of chunkings(bytes, 200)) {
      if (!sameFrames(frameChunks(chunks), whole)) mismatches.push(compared);
      compared += 1;
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBe(201);
  });
});
