/** The hand-written code page tables: shape, `ESC t` numbers and spot checks against the published tables. */
import { describe, expect, it } from 'vitest';

import {
  CP437,
  CP850,
  CP858,
  CP1252,
  codePageForEscT,
  decodeByte,
  SUPPORTED_ESC_T,
} from './index.js';

describe('code pages', () => {
  it('have 256 entries: ASCII printable, controls empty, 128 high-half characters', () => {
    for (const page of [CP437, CP850, CP858, CP1252]) {
      expect(page.chars).toHaveLength(256);
      expect(page.visible).toHaveLength(256);
      for (let byte = 0x20; byte < 0x7f; byte++)
        expect(decodeByte(page, byte)).toBe(String.fromCharCode(byte));
      for (let byte = 0; byte < 0x20; byte++) expect(decodeByte(page, byte)).toBe('');
      const high = Array.from(
        { length: 128 },
        (_, i) => Array.from(decodeByte(page, 0x80 + i)).length,
      );
      expect(new Set(high)).toEqual(new Set([1]));
    }
  });

  it('map ESC t 0, 2, 16 and 19 to CP437, CP850, CP1252 and CP858', () => {
    expect(SUPPORTED_ESC_T).toEqual([0, 2, 16, 19]);
    expect(codePageForEscT(0)).toBe(CP437);
    expect(codePageForEscT(2)).toBe(CP850);
    expect(codePageForEscT(16)).toBe(CP1252);
    expect(codePageForEscT(19)).toBe(CP858);
    expect(codePageForEscT(1)).toBeUndefined();
  });

  it('CP858 is CP850 with the euro sign at 0xD5', () => {
    const differing = CP858.chars.flatMap((char, byte) =>
      char === CP850.chars[byte] ? [] : [byte],
    );
    expect(differing).toEqual([0xd5]);
    expect(decodeByte(CP850, 0xd5)).toBe('ı');
    expect(decodeByte(CP858, 0xd5)).toBe('€');
  });

  it('spot checks against the published tables', () => {
    const check = (page: typeof CP437, pairs: Record<string, string>): void => {
      const decoded = Object.fromEntries(
        Object.keys(pairs).map((hex) => [hex, decodeByte(page, Number.parseInt(hex, 16))]),
      );
      expect({ page: page.name, ...decoded }).toEqual({ page: page.name, ...pairs });
    };
    check(CP437, {
      '80': 'Ç',
      '9B': '¢',
      '9E': '₧',
      B0: '░',
      C4: '─',
      DB: '█',
      E1: 'ß',
      E3: 'π',
      F8: '°',
      FE: '■',
      FF: '\u00a0',
    });
    check(CP850, {
      '9B': 'ø',
      '9E': '×',
      A9: '®',
      B5: 'Á',
      C6: 'ã',
      CF: '¤',
      D0: 'ð',
      E7: 'þ',
      EE: '¯',
      F0: '\u00ad',
      F2: '‗',
    });
    check(CP1252, {
      '80': '€',
      '81': '\ufffd',
      '8A': 'Š',
      '99': '™',
      '9F': 'Ÿ',
      A0: '\u00a0',
      D7: '×',
      FF: 'ÿ',
    });
  });

  it('CP1252 equals Latin-1 from 0xA0 to 0xFF', () => {
    // (Node 20's TextDecoder('windows-1252') decodes as Latin-1 throughout, so it cannot serve as
    // a reference for 0x80-0x9F; those are spot-checked above.)
    for (let byte = 0xa0; byte <= 0xff; byte++) {
      expect(decodeByte(CP1252, byte)).toBe(Buffer.from([byte]).toString('latin1'));
    }
  });

  it('mark whitespace as not visible', () => {
    expect(CP437.visible[0x20]).toBe(false);
    expect(CP437.visible[0xff]).toBe(false); // NBSP
    expect(CP1252.visible[0xa0]).toBe(false);
    expect(CP437.visible[0x41]).toBe(true);
    expect(CP437.visible[0x0a]).toBe(false);
  });
});
