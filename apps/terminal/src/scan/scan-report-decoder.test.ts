import { readFileSync } from 'node:fs';

import { hidPosReports, usKeyboardReports } from '@pos-ga4/testkit';
import { describe, expect, it } from 'vitest';

import { parseHexReports } from './parse-hex-reports.js';
import { ENDED_DURING_SCAN_WARNING, ScanReportDecoder } from './scan-report-decoder.js';
import type { DecodedScan } from './scan-report-decoder.js';

const fixtureDir = new URL('../../../../fixtures/hid/hid-scanner/', import.meta.url);

function fixtureText(name: string): string {
  return readFileSync(new URL(name, fixtureDir), 'utf8');
}

function feedAll(decoder: ScanReportDecoder, reports: readonly Uint8Array[], start = 0) {
  const scans: DecodedScan[] = [];
  reports.forEach((report, i) => scans.push(...decoder.push(report, start + i)));
  return scans;
}

const hex = (report: Uint8Array): string => Buffer.from(report).toString('hex');

describe('ScanReportDecoder, keyboard mode', () => {
  it('decodes the third-party captures and keeps exactly the reports of the scan', () => {
    const expected: Record<string, string> = {
      '1.hex.txt': 'https://mnzn.net/sod.ac/d/SD01234567',
      '2.hex.txt': 'https://github.com/imyelo?tab=overview&from=2018-12-01&to=2018-12-31',
      '3.hex.txt':
        '1234567890-=\\`qwertyuiop[]asdfghjkl;\'zxcvbnm,./ \t!@#$%^&*()_+|~QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>?',
    };
    for (const [file, data] of Object.entries(expected)) {
      const text = fixtureText(file);
      const reports = parseHexReports(text);
      const decoder = new ScanReportDecoder({ mode: 'keyboard' });
      const scans = feedAll(decoder, reports);
      expect(scans.map((s) => [s.data, s.terminator])).toEqual([[data, 'enter']]);
      // from the first report to the Enter press; the trailing release and Down arrow belong to
      // no scan
      const enter = reports.findIndex((r) => r[2] === 0x28);
      expect(scans[0]?.raw).toEqual(reports.slice(0, enter + 1).map(hex));
      expect(decoder.end()).toEqual([]);
    }
  });

  it('ends a scan by silence: the next report is not part of it', () => {
    const decoder = new ScanReportDecoder({
      mode: 'keyboard',
      keyboard: { interScanTimeoutMs: 50 },
    });
    const first = usKeyboardReports('ab');
    const second = usKeyboardReports('c\n');
    expect(feedAll(decoder, first, 0)).toEqual([]);
    expect(decoder.hasPendingScan).toBe(true);
    expect(decoder.idleTimeoutMs).toBe(50);
    const scans = feedAll(decoder, second, 1000);
    expect(scans.map((s) => [s.data, s.terminator, s.endedAt])).toEqual([
      ['ab', 'timeout', 2], // the last key press; releases type nothing
      ['c', 'enter', 1002],
    ]);
    expect(scans[0]?.raw).toEqual(first.map(hex));
    expect(scans[1]?.raw).toEqual(second.slice(0, 3).map(hex));
  });

  it('flushIdle completes a scan after the timeout, not before', () => {
    const decoder = new ScanReportDecoder({ mode: 'keyboard' });
    feedAll(decoder, usKeyboardReports('12'));
    expect(decoder.flushIdle(50)).toEqual([]);
    expect(decoder.flushIdle(103).map((s) => s.data)).toEqual(['12']);
    expect(decoder.hasPendingScan).toBe(false);
  });

  it('end() completes a pending scan with a warning and starts over', () => {
    const decoder = new ScanReportDecoder({ mode: 'keyboard' });
    feedAll(decoder, usKeyboardReports('GA1.1.42'));
    const [scan, ...rest] = decoder.end();
    expect(rest).toEqual([]);
    expect(scan?.data).toBe('GA1.1.42');
    expect(scan?.terminator).toBe('timeout');
    expect(scan?.warnings).toContain(ENDED_DURING_SCAN_WARNING);
    expect(decoder.hasPendingScan).toBe(false);
    expect(feedAll(decoder, usKeyboardReports('x\n')).map((s) => s.data)).toEqual(['x']);
  });

  it('honours layout and terminators', () => {
    const decoder = new ScanReportDecoder({
      mode: 'keyboard',
      keyboard: { terminators: ['tab'] },
    });
    expect(feedAll(decoder, usKeyboardReports('a\nb\t')).map((s) => s.data)).toEqual(['a\nb']);
  });

  it('caps the raw reports kept per scan', () => {
    const decoder = new ScanReportDecoder({ mode: 'keyboard', maxRawBytes: 16 });
    const [scan] = feedAll(decoder, usKeyboardReports('abc\n'));
    expect(scan?.data).toBe('abc');
    expect(scan?.raw).toHaveLength(2);
    expect(scan?.rawTruncated).toBe(true);
  });
});

describe('ScanReportDecoder, HID POS mode', () => {
  it('joins continued reports and keeps the symbology and every report', () => {
    const data = `POSGA4:1:k1:${'1'.repeat(10)}.1764150000:${'u'.repeat(40)}:AAAAAAAAAAAAAAAAAAAAAA`;
    const reports = hidPosReports(data, { symbology: ']Q1' });
    expect(reports.length).toBeGreaterThan(1);
    const decoder = new ScanReportDecoder({ mode: 'pos' });
    const scans = feedAll(decoder, reports, 5000);
    expect(scans).toEqual([
      {
        data,
        symbology: ']Q1',
        endedAt: 5000 + reports.length - 1,
        raw: reports.map(hex),
        warnings: [],
      },
    ]);
    expect(decoder.idleTimeoutMs).toBeUndefined();
    expect(decoder.flushIdle(1e9)).toEqual([]);
  });

  it('end() drops a partial scan with a warning', () => {
    const decoder = new ScanReportDecoder({ mode: 'pos' });
    const [first] = hidPosReports('x'.repeat(100));
    expect(first).toBeDefined();
    if (first === undefined) return;
    expect(decoder.push(first, 0)).toEqual([]);
    expect(decoder.hasPendingScan).toBe(true);
    expect(decoder.end()).toEqual([]);
    expect(decoder.takeWarnings().join('\n')).toMatch(/partial scan dropped/);
  });

  it('rejects invalid options', () => {
    expect(() => new ScanReportDecoder({ mode: 'pos', maxRawBytes: -1 })).toThrow(TypeError);
    expect(
      () => new ScanReportDecoder({ mode: 'keyboard', keyboard: { interScanTimeoutMs: 0 } }),
    ).toThrow(TypeError);
  });
});
