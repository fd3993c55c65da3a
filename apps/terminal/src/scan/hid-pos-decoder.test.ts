import { Buffer } from 'node:buffer';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  decodeHidPosReport,
  HidPosScanDecoder,
  initialHidPosDecoderState,
} from './hid-pos-decoder.js';

interface ReportSpec {
  readonly data: Uint8Array | string;
  readonly aim?: string;
  readonly more?: boolean;
  readonly id?: number;
  readonly size?: number;
  readonly length?: number;
}

/** A 64-byte Honeywell-style scanned data report. */
function report(spec: ReportSpec): Uint8Array {
  const bytes = new Uint8Array(spec.size ?? 64);
  const data = typeof spec.data === 'string' ? Buffer.from(spec.data, 'latin1') : spec.data;
  bytes[0] = spec.id ?? 0x02;
  bytes[1] = spec.length ?? data.length;
  if (spec.aim !== undefined) bytes.set(Buffer.from(spec.aim, 'latin1'), 2);
  bytes.set(data, 5);
  bytes[bytes.length - 1] = spec.more === true ? 0x01 : 0x00;
  return bytes;
}

const GS = '\u001d';

describe('HID POS decoder', () => {
  it('decodes a single scanned data report with its AIM symbology', () => {
    const decoder = new HidPosScanDecoder();
    expect(decoder.push(report({ data: '4006381333931', aim: ']E0' }))).toEqual([
      { data: '4006381333931', symbology: ']E0' },
    ]);
    expect(decoder.takeWarnings()).toEqual([]);
  });

  it('omits the symbology when the AIM bytes are zero', () => {
    const [scan] = new HidPosScanDecoder().push(report({ data: 'ABC' }));
    expect(scan).toEqual({ data: 'ABC' });
    expect(scan).not.toHaveProperty('symbology');
  });

  it('concatenates continued reports until one without the continuation flag', () => {
    // Shaped like the Access-IS LSR118 manual example: a 60-byte boarding pass in two reports.
    const pass = 'M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 226F001A0025 100';
    expect(pass).toHaveLength(60);
    const decoder = new HidPosScanDecoder();
    expect(decoder.push(report({ data: pass.slice(0, 56), aim: ']L0', more: true }))).toEqual([]);
    expect(decoder.hasPendingScan).toBe(true);
    expect(decoder.push(report({ data: pass.slice(56), aim: ']L0' }))).toEqual([
      { data: pass, symbology: ']L0' },
    ]);
    expect(decoder.hasPendingScan).toBe(false);
  });

  it('keeps GS separators in GS1 data', () => {
    const data = `0109521234543213${GS}10ABC123${GS}17251231`;
    const [scan] = new HidPosScanDecoder().push(report({ data, aim: ']C1' }));
    expect(scan?.data).toBe(data);
    expect(scan?.data.split(GS)).toHaveLength(3);
  });

  it('decodes UTF-8 after concatenation, so a character may span two reports', () => {
    const bytes = Buffer.from('Grüße', 'utf8'); // ü is c3 bc
    const utf8 = new HidPosScanDecoder({ encoding: 'utf8' });
    utf8.push(report({ data: bytes.subarray(0, 3), more: true }));
    expect(utf8.push(report({ data: bytes.subarray(3) }))).toEqual([{ data: 'Grüße' }]);

    const latin1 = new HidPosScanDecoder();
    expect(latin1.push(report({ data: Buffer.from('Grüße', 'latin1') }))).toEqual([
      { data: 'Grüße' },
    ]);
  });

  it('ignores other report ids and clamps a length larger than the report', () => {
    const decoder = new HidPosScanDecoder();
    expect(decoder.push(report({ data: 'X', id: 0x04 }))).toEqual([]);
    expect(decoder.push(report({ data: 'ABC', length: 200 }))[0]?.data).toHaveLength(58);
    expect(decoder.takeWarnings()).toEqual([
      'report with id 4 ignored (expected 2)',
      'data length 200 exceeds the 58 data bytes of the report',
    ]);
  });

  it('supports other layouts through options (no report id, no AIM bytes)', () => {
    // Unitech-style without the id byte: length at 0, data from 1, flags last.
    const bytes = new Uint8Array(63);
    bytes[0] = 4;
    bytes.set(Buffer.from('9876'), 1);
    const decoder = new HidPosScanDecoder({
      reportId: null,
      lengthOffset: 0,
      symbologyOffset: null,
      dataOffset: 1,
    });
    expect(decoder.push(bytes)).toEqual([{ data: '9876' }]);
  });

  it('reports malformed AIM bytes and empty reports as warnings', () => {
    const decoder = new HidPosScanDecoder();
    expect(decoder.push(report({ data: 'A', aim: 'Q1\u0000' }))).toEqual([{ data: 'A' }]);
    expect(decoder.push(report({ data: '' }))).toEqual([]);
    expect(decoder.takeWarnings()).toEqual([
      'symbology bytes 513100 are not an AIM identifier: ignored',
      'report without data ignored',
    ]);
  });

  it('drops a partial scan on reset and caps scan size', () => {
    const decoder = new HidPosScanDecoder({ maxScanBytes: 4 });
    decoder.push(report({ data: 'ABC', more: true }));
    decoder.reset();
    expect(decoder.push(report({ data: 'DEFGHI' }))).toEqual([{ data: 'DEFG' }]);
    expect(decoder.takeWarnings()).toEqual(['scan longer than 4 bytes: rest dropped']);
  });

  it('keeps the step pure', () => {
    const state = initialHidPosDecoderState();
    const a = decodeHidPosReport(state, report({ data: 'AB', more: true }));
    const b = decodeHidPosReport(state, report({ data: 'AB', more: true }));
    expect(a).toEqual(b);
    expect(state.parts).toEqual([]);
  });

  it('rejects invalid options', () => {
    expect(() => new HidPosScanDecoder({ reportId: 300 })).toThrow(TypeError);
    expect(() => new HidPosScanDecoder({ dataOffset: -1 })).toThrow(TypeError);
    expect(() => new HidPosScanDecoder({ continuationMask: 0 })).toThrow(TypeError);
  });

  it('never throws on random report bytes (property)', () => {
    const options = fc.record(
      {
        reportId: fc.option(fc.integer({ min: 0, max: 3 })),
        lengthOffset: fc.nat({ max: 6 }),
        symbologyOffset: fc.option(fc.nat({ max: 6 })),
        dataOffset: fc.nat({ max: 8 }),
        flagsOffset: fc.integer({ min: -3, max: 70 }),
        encoding: fc.constantFrom('latin1' as const, 'utf8' as const),
        maxScanBytes: fc.integer({ min: 1, max: 200 }),
      },
      { requiredKeys: [] },
    );
    const reports = fc.array(fc.uint8Array({ minLength: 0, maxLength: 70 }), { maxLength: 20 });
    fc.assert(
      fc.property(options, reports, (opts, stream) => {
        const decoder = new HidPosScanDecoder(opts);
        for (const bytes of stream) {
          for (const scan of decoder.push(bytes)) expect(typeof scan.data).toBe('string');
        }
      }),
      { numRuns: 300 },
    );
  });
});
