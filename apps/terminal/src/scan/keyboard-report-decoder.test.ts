import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  decodeKeyboardReport,
  flushKeyboardIdle,
  initialKeyboardDecoderState,
  KeyboardScanDecoder,
} from './keyboard-report-decoder.js';
import type { KeyboardDecoderOptions, KeyboardScan } from './keyboard-report-decoder.js';
import { DE_LAYOUT } from './layouts/de.js';
import { parseHexReports } from './parse-hex-reports.js';

const fixtureDir = new URL('../../../../fixtures/hid/hid-scanner/', import.meta.url);

function fixture(name: string): Uint8Array[] {
  return parseHexReports(readFileSync(new URL(name, fixtureDir), 'utf8'));
}

/** A boot report: modifier byte, reserved 0, up to six usages. */
function r(modifiers: number, ...usages: number[]): Uint8Array {
  const report = new Uint8Array(8);
  report[0] = modifiers;
  report.set(usages.slice(0, 6), 2);
  return report;
}

const UP = r(0);
const ENTER = 0x28;
const SHIFT_L = 0x02;
const SHIFT_R = 0x20;
const ALTGR = 0x40;
const A = 0x04;
const B = 0x05;
const C = 0x06;

/** Each usage as a press report then a release report. */
function typed(usages: readonly number[], modifiers = 0): Uint8Array[] {
  return usages.flatMap((usage) => [r(modifiers, usage), UP]);
}

/** Left Alt held while keypad digits are typed, then released. */
function altCode(keypadUsages: readonly number[]): Uint8Array[] {
  const ALT = 0x04;
  return [r(ALT), ...keypadUsages.flatMap((usage) => [r(ALT, usage), r(ALT)]), UP];
}

interface FeedResult {
  readonly scans: KeyboardScan[];
  readonly strays: string[];
  readonly decoder: KeyboardScanDecoder;
}

/** Feeds reports 1 ms apart starting at `start`. */
function feed(
  reports: readonly Uint8Array[],
  options: KeyboardDecoderOptions = {},
  start = 0,
): FeedResult {
  const decoder = new KeyboardScanDecoder(options);
  const scans: KeyboardScan[] = [];
  reports.forEach((report, i) => scans.push(...decoder.push(report, start + i)));
  return { scans, strays: [...decoder.takeWarnings()], decoder };
}

const expected = {
  '1.hex.txt': 'https://mnzn.net/sod.ac/d/SD01234567',
  '2.hex.txt': 'https://github.com/imyelo?tab=overview&from=2018-12-01&to=2018-12-31',
  '3.hex.txt':
    "1234567890-=\\`qwertyuiop[]asdfghjkl;'zxcvbnm,./ \t" +
    '!@#$%^&*()_+|~QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>?',
} as const;

describe('keyboard decoder on the imyelo/hid-scanner captures', () => {
  it.each(Object.entries(expected))('%s decodes exactly to the README string', (name, data) => {
    const reports = fixture(name);
    const { scans, strays } = feed(reports);
    expect(scans).toEqual([
      { data, terminator: 'enter', startedAt: 0, endedAt: reports.length - 4, warnings: [] },
    ]);
    // The captures end with Enter, then a Down-arrow press: tolerated, reported outside the scan.
    expect(strays).toEqual(['non-printing key 0x51 (Down) outside a scan ignored']);
  });

  it('has the report counts the README names', () => {
    expect(fixture('1.hex.txt')).toHaveLength(76);
    expect(fixture('2.hex.txt')).toHaveLength(140);
    expect(fixture('3.hex.txt')).toHaveLength(196);
  });

  it('splits 3.hex.txt at its Tab when Tab is configured as a terminator', () => {
    const { scans } = feed(fixture('3.hex.txt'), { terminators: ['enter', 'tab'] });
    expect(scans.map((s) => [s.data, s.terminator])).toEqual([
      ["1234567890-=\\`qwertyuiop[]asdfghjkl;'zxcvbnm,./ ", 'tab'],
      ['!@#$%^&*()_+|~QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>?', 'enter'],
    ]);
  });

  it('types Enter as a newline when Enter is not a terminator, and ends by timeout', () => {
    const decoder = new KeyboardScanDecoder({ terminators: [] });
    const reports = fixture('1.hex.txt');
    const scans = reports.flatMap((report, i) => decoder.push(report, i));
    expect(scans).toEqual([]);
    const [scan] = decoder.flushIdle(reports.length + 100);
    expect(scan?.data).toBe(`${expected['1.hex.txt']}\n`);
    expect(scan?.terminator).toBe('timeout');
    expect(scan?.warnings).toEqual(['non-printing key 0x51 (Down) ignored']);
  });
});

describe('keyboard decoder on generated report streams', () => {
  it('types a key only when it is newly down (rollover, then one key released)', () => {
    const { scans } = feed([
      r(0, A),
      r(0, A, B), // b newly down while a is held
      r(0, B), // a released: nothing
      r(0, B, C), // c newly down
      r(0, A, B, C), // a is newly down again
      UP,
      r(0, B, C), // both newly down in one report: slot order
      UP,
      r(0, ENTER),
      UP,
    ]);
    expect(scans.map((s) => s.data)).toEqual(['abcabc']);
  });

  it('does not repeat a character for repeated identical reports', () => {
    const { scans } = feed([r(0, A), r(0, A), r(0, A), UP, UP, r(0, A), r(0, A), UP, r(0, ENTER)]);
    expect(scans.map((s) => s.data)).toEqual(['aa']);
  });

  it('treats right Shift like left Shift and ignores modifier-only reports', () => {
    const { scans } = feed([
      r(SHIFT_R),
      r(SHIFT_R, A),
      r(SHIFT_R),
      r(SHIFT_L, 0x1e),
      r(SHIFT_L | SHIFT_R, 0x38),
      r(0),
      r(0, A),
      UP,
      r(0, ENTER),
    ]);
    expect(scans.map((s) => s.data)).toEqual(['A!?a']);
  });

  it('types keypad digits and / * - + . and ends on keypad Enter; Shift does not change them', () => {
    const keypad = [0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60, 0x61, 0x62];
    const { scans } = feed([
      ...typed(keypad),
      ...typed([0x54, 0x55, 0x56, 0x57, 0x63], SHIFT_L),
      r(0, 0x58),
      UP,
    ]);
    expect(scans).toEqual([
      { data: '1234567890/*-+.', terminator: 'enter', startedAt: 0, endedAt: 30, warnings: [] },
    ]);
  });

  it('decodes the German layout: QWERTZ, umlauts, Shift and AltGr levels, dead keys', () => {
    const de = { layout: DE_LAYOUT };
    const cases: [Uint8Array[], string][] = [
      [typed([0x1c, 0x1d]), 'zy'],
      [typed([0x1c, 0x1d], SHIFT_L), 'ZY'],
      [typed([0x2d, 0x33, 0x34, 0x2f]), 'ßöäü'],
      [typed([0x33, 0x34, 0x2f], SHIFT_R), 'ÖÄÜ'],
      [typed([0x1f, 0x20, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2d, 0x30, 0x31], SHIFT_L), '"§&/()=?*\''],
      [typed([0x30, 0x31, 0x36, 0x37, 0x38, 0x64]), '+#,.-<'],
      [typed([0x36, 0x37, 0x38, 0x64], SHIFT_L), ';:_>'],
      [typed([0x14, 0x08, 0x24, 0x25, 0x26, 0x27, 0x2d, 0x30, 0x64, 0x10], ALTGR), '@€{[]}\\~|µ'],
      [typed([0x63, 0x56]), ',-'],
      [[...typed([0x35, 0x08]), ...typed([0x2e, 0x08]), ...typed([0x2e, 0x04], SHIFT_L)], 'êéÀ'],
      [[...typed([0x35, 0x2c]), ...typed([0x35, 0x14]), ...typed([0x35, 0x35])], '^^q^^'],
      [
        [
          ...typed([0x10, 0x04, 0x1b]),
          ...typed([0x14], ALTGR),
          ...typed([0x05, 0x08, 0x0c, 0x16, 0x13, 0x0c, 0x08, 0x0f, 0x37, 0x07, 0x08]),
        ],
        'max@beispiel.de',
      ],
    ];
    for (const [reports, data] of cases) {
      const { scans } = feed([...reports, r(0, ENTER), UP], de);
      expect(scans.map((s) => s.data)).toEqual([data]);
    }
  });

  it('completes a scan by inter-scan timeout (scanner without terminator)', () => {
    const decoder = new KeyboardScanDecoder({ interScanTimeoutMs: 50 });
    expect(decoder.push(r(0, 0x1e), 1000)).toEqual([]);
    expect(decoder.push(UP, 1002)).toEqual([]);
    expect(decoder.push(r(0, 0x1f), 1004)).toEqual([]);
    expect(decoder.push(UP, 1006)).toEqual([]);
    expect(decoder.hasPendingScan).toBe(true);
    expect(decoder.flushIdle(1053)).toEqual([]); // 49 ms after the last key
    expect(decoder.flushIdle(1054)).toEqual([
      { data: '12', terminator: 'timeout', startedAt: 1000, endedAt: 1004, warnings: [] },
    ]);
    expect(decoder.hasPendingScan).toBe(false);
    expect(decoder.flushIdle(5000)).toEqual([]);

    // Without flushIdle, the next scan's first key closes the idle one.
    decoder.push(r(0, 0x20), 6000);
    decoder.push(UP, 6001);
    const closed = decoder.push(r(0, 0x21), 6100);
    expect(closed).toEqual([
      { data: '3', terminator: 'timeout', startedAt: 6000, endedAt: 6000, warnings: [] },
    ]);
  });

  it('types C0 controls for Ctrl+key and Windows Alt codes (GS survives the wedge)', () => {
    const { scans } = feed([
      ...typed([0x1e]),
      r(0x10, 0x30), // right Ctrl + ] = GS
      UP,
      ...altCode([0x62, 0x62, 0x5a, 0x61]), // Alt + keypad 0 0 2 9 = GS
      ...altCode([0x62, 0x5a, 0x5b, 0x5b]), // Alt+0233 = é (windows-1252)
      r(0x01, 0x09), // Ctrl+f = ACK: control characters are data too
      r(0, ENTER),
    ]);
    expect(scans.map((s) => s.data)).toEqual(['1\u001d\u001dé\u0006']);
  });

  it('records unknown usages and ignored keys as warnings without throwing', () => {
    const { scans } = feed([
      ...typed([A, 0x87, 0x29, B]),
      r(0x08, C), // GUI+c
      r(0x01, 0x1e), // Ctrl+1 has no control character
      r(0, ENTER),
    ]);
    expect(scans).toHaveLength(1);
    expect(scans[0]?.data).toBe('ab');
    expect(scans[0]?.warnings).toEqual([
      'unknown usage 0x87 on layout us ignored',
      'non-printing key 0x29 (Escape) ignored',
      'GUI+0x06 ignored',
      'Ctrl+0x1e (modifiers 0x01) ignored',
    ]);
  });

  it('ignores ErrorRollOver reports without losing the keys already down', () => {
    const { scans } = feed([r(0, A), r(0, 1, 1, 1, 1, 1, 1), r(0, A), UP, r(0, ENTER)]);
    expect(scans[0]?.data).toBe('a');
    expect(scans[0]?.warnings).toEqual(['rollover error report (phantom state) ignored']);
  });

  it('strips a configured report id and ignores other report ids', () => {
    const withId = (id: number, report: Uint8Array) => Uint8Array.of(id, ...report);
    const { scans, strays } = feed(
      [withId(2, r(0, A)), withId(2, UP), withId(3, r(0, B)), withId(2, r(0, ENTER))],
      { reportId: 2 },
    );
    expect(scans[0]?.data).toBe('a');
    expect(scans[0]?.warnings).toEqual(['report with id 3 ignored']);
    expect(strays).toEqual([]);
  });

  it('drops characters beyond maxScanLength with one warning', () => {
    const { scans } = feed([...typed([A, B, C, A]), r(0, ENTER)], { maxScanLength: 2 });
    expect(scans[0]?.data).toBe('ab');
    expect(scans[0]?.warnings).toEqual(['scan longer than 2 characters: the rest was dropped']);
  });

  it('drops empty scans and reports stray terminators', () => {
    const { scans, strays } = feed([r(0, ENTER), UP, r(0, ENTER)]);
    expect(scans).toEqual([]);
    expect(strays).toEqual(['enter with no scan data ignored', 'enter with no scan data ignored']);
  });

  it('keeps the step pure: the same state and report give the same result', () => {
    const state = decodeKeyboardReport(initialKeyboardDecoderState(), r(0, A), 0).state;
    const first = decodeKeyboardReport(state, r(0, ENTER), 1);
    const second = decodeKeyboardReport(state, r(0, ENTER), 1);
    expect(first).toEqual(second);
    expect(first.scans.map((s) => s.data)).toEqual(['a']);
    expect(state.pending?.data).toBe('a');
    expect(flushKeyboardIdle(state, 1000).scans.map((s) => s.terminator)).toEqual(['timeout']);
  });

  it('rejects invalid options with a TypeError', () => {
    expect(() => new KeyboardScanDecoder({ interScanTimeoutMs: 0 })).toThrow(TypeError);
    expect(() => new KeyboardScanDecoder({ maxScanLength: 1.5 })).toThrow(TypeError);
    expect(() => new KeyboardScanDecoder({ reportId: 256 })).toThrow(TypeError);
  });

  it('never throws on random report bytes (property)', () => {
    const options = fc.record(
      {
        layout: fc.constantFrom(DE_LAYOUT),
        terminators: fc.subarray(['enter', 'tab'] as const),
        reportId: fc.integer({ min: 0, max: 255 }),
        maxScanLength: fc.integer({ min: 1, max: 64 }),
      },
      { requiredKeys: [] },
    );
    const reports = fc.array(
      fc.tuple(fc.uint8Array({ minLength: 0, maxLength: 12 }), fc.nat({ max: 500 })),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(options, reports, (opts, stream) => {
        const decoder = new KeyboardScanDecoder(opts);
        let now = 0;
        for (const [report, gap] of stream) {
          now += gap;
          for (const scan of decoder.push(report, now)) {
            expect(scan.data.length).toBeGreaterThan(0);
            expect(scan.endedAt).toBeGreaterThanOrEqual(scan.startedAt);
          }
        }
        decoder.flushIdle(now + 1_000_000);
        expect(decoder.hasPendingScan).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
