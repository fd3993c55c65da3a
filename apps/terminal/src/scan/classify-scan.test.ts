import { describe, expect, it } from 'vitest';

import { signAppQr } from './app-qr.js';
import { classifyScan } from './classify-scan.js';
import type { DecodedScan } from './scan-report-decoder.js';

const KEY = 'k'.repeat(32);
const NOW = Date.parse('2026-11-26T10:00:00Z');

function decoded(data: string, extra: Partial<DecodedScan> = {}): DecodedScan {
  return { data, endedAt: NOW, raw: ['00'], warnings: [], ...extra };
}

describe('classifyScan', () => {
  it('time-stamps and classifies, keeping terminator and raw reports', () => {
    const scan = classifyScan(decoded('GA1.1.1197596843.1732615200', { terminator: 'enter' }));
    expect(scan).toEqual({
      data: 'GA1.1.1197596843.1732615200',
      terminator: 'enter',
      classification: { kind: 'ga-client-id', clientId: '1197596843.1732615200' },
      at: '2026-11-26T10:00:00.000Z',
      raw: ['00'],
    });
  });

  it('verifies app QR codes at the scan time, not the processing time', () => {
    const qr = signAppQr({ key: KEY, kid: 'k1', clientId: '123.1732615200', issuedAt: NOW / 1000 });
    const options = { appQr: { keys: { k1: KEY } } };
    expect(classifyScan(decoded(qr), options).classification.kind).toBe('app-qr');
    const late = classifyScan(decoded(qr, { endedAt: NOW + 3_600_000 }), options);
    expect(late.classification).toEqual({ kind: 'app-qr-invalid', reason: 'EXPIRED' });
    expect(classifyScan(decoded(qr)).classification).toEqual({
      kind: 'app-qr-invalid',
      reason: 'UNKNOWN_KEY',
    });
  });

  it('takes the symbology from the HID POS report or the AIM prefix, and keeps warnings', () => {
    const pos = classifyScan(decoded('4006381333931', { symbology: ']E0' }));
    expect(pos.symbology).toBe(']E0');
    expect(pos.classification).toMatchObject({ kind: 'gtin', valid: true, symbology: ']E0' });
    const prefixed = classifyScan(decoded(']E04006381333931', { warnings: ['w'] }));
    expect(prefixed.symbology).toBe(']E0');
    expect(prefixed.data).toBe(']E04006381333931');
    expect(prefixed.warnings).toEqual(['w']);
  });

  it('matches configured loyalty patterns', () => {
    const scan = classifyScan(decoded('2900001234567'), {
      loyaltyPatterns: [{ name: 'store-card', pattern: '29(?<value>\\d{11})' }],
    });
    expect(scan.classification).toEqual({
      kind: 'loyalty-card',
      program: 'store-card',
      value: '00001234567',
    });
  });

  it('rejects a scan time that is not a time', () => {
    expect(() => classifyScan(decoded('x', { endedAt: Number.NaN }))).toThrow(TypeError);
  });
});
