import { describe, expect, it } from 'vitest';

import { splitAimPrefix, describeAim } from './aim-symbology.js';
import { signAppQr } from './app-qr.js';
import { classifyBarcode, IDENTITY_KINDS, isIdentityClassification } from './classify-barcode.js';
import type { ClassifyBarcodeOptions } from './classify-barcode.js';
import { parseGaClientId } from './ga-client-id.js';
import { GS } from './gs1-element-string.js';
import { matchLoyaltyCard } from './loyalty-card.js';

const KEY = 'E9_W4GeegY3V9serrOkEZXCO1bDPBveDo1CLX4Hl7sE';
const ISSUED_AT = 1764146400;
const appQr = { keys: { k2025: KEY }, now: ISSUED_AT * 1000, maxAgeSeconds: 600 };

describe('GTIN classification', () => {
  it.each([
    ['96385074', 'GTIN-8', true],
    ['96385075', 'GTIN-8', false],
    ['036000291452', 'GTIN-12', true],
    ['036000291453', 'GTIN-12', false],
    ['4006381333931', 'GTIN-13', true],
    ['4006381333932', 'GTIN-13', false],
    ['09521234543213', 'GTIN-14', true],
    ['09521234543218', 'GTIN-14', false],
  ] as const)('%s is %s, valid=%s', (gtin, format, valid) => {
    expect(classifyBarcode(gtin)).toEqual({
      kind: 'gtin',
      gtin,
      gtin14: gtin.padStart(14, '0'),
      format,
      valid,
    });
  });

  it('uses the AIM id: ]E0 EAN-13, ]E4 EAN-8, ]E0 with 6-8 digits is UPC-E', () => {
    expect(classifyBarcode(']E04006381333931')).toMatchObject({
      kind: 'gtin',
      format: 'GTIN-13',
      valid: true,
      symbology: ']E0',
    });
    expect(classifyBarcode(']E496385074')).toMatchObject({ format: 'GTIN-8', valid: true });
    expect(classifyBarcode('04252614', { symbology: ']E0' })).toEqual({
      kind: 'gtin',
      gtin: '042100005264',
      gtin14: '00042100005264',
      format: 'UPC-E',
      valid: true,
      upcE: '04252614',
      symbology: ']E0',
    });
    expect(classifyBarcode(']E00425261')).toMatchObject({ format: 'UPC-E', gtin: '042100005264' });
    expect(classifyBarcode(']E0042526')).toMatchObject({ format: 'UPC-E', gtin: '004252000061' });
  });

  it('without an AIM id, takes 8 digits as UPC-E only when only the UPC-E check digit fits', () => {
    expect(classifyBarcode('04252614')).toMatchObject({ format: 'UPC-E', gtin: '042100005264' });
    expect(classifyBarcode('01234565')).toMatchObject({ format: 'GTIN-8', valid: true });
  });

  it('splits an EAN-13 add-on for ]E3', () => {
    expect(classifyBarcode(']E3400638133393112')).toMatchObject({
      kind: 'gtin',
      gtin: '4006381333931',
      addOn: '12',
      valid: true,
    });
  });

  it('reports EAN/UPC symbologies whose data is not a number', () => {
    expect(classifyBarcode(']E0ABC')).toEqual({
      kind: 'unknown',
      data: 'ABC',
      note: ']E0 data is not an EAN/UPC number',
      symbology: ']E0',
    });
  });
});

describe('GS1 classification', () => {
  const elements = [
    { ai: '01', title: 'GTIN', value: '09521234543213' },
    { ai: '17', title: 'USE BY or EXPIRY', value: '251231' },
    { ai: '10', title: 'BATCH/LOT', value: 'ABC123' },
    { ai: '21', title: 'SERIAL', value: 'S-42' },
  ];
  // (01) and (17) have predefined lengths; (10) is variable, so GS ends it before (21).
  const raw = ['0109521234543213', '17251231', '10ABC123', GS, '21S-42'].join('');

  it.each([']C1', ']d2', ']Q3', ']e0', ']J1'])('parses raw GS-separated data after %s', (aim) => {
    expect(classifyBarcode(aim + raw)).toEqual({
      kind: 'gs1',
      elements,
      gtin: '09521234543213',
      valid: true,
      problems: [],
      form: 'raw',
      symbology: aim,
    });
  });

  it('parses the parenthesised form and raw data with GS but no AIM id', () => {
    expect(classifyBarcode('(01)09521234543213(17)251231(10)ABC123(21)S-42')).toMatchObject({
      kind: 'gs1',
      elements,
      form: 'bracketed',
    });
    expect(classifyBarcode(raw)).toMatchObject({ kind: 'gs1', elements, form: 'raw' });
    expect(classifyBarcode('(01)09521234543213(3103)000750')).toMatchObject({
      elements: [
        { ai: '01', value: '09521234543213' },
        { ai: '3103', value: '000750' },
      ],
    });
  });

  it('takes all-digit data starting with AI 01 as GS1 without an AIM id', () => {
    expect(classifyBarcode('010952123454321317251231')).toMatchObject({
      kind: 'gs1',
      gtin: '09521234543213',
    });
  });

  it('reports invalid GTIN check digits inside GS1 data', () => {
    expect(classifyBarcode(']C10109521234543214')).toMatchObject({
      kind: 'gs1',
      valid: false,
      problems: ['(01) check digit is wrong'],
    });
  });

  it('returns unknown with a note when GS1 symbology data does not parse', () => {
    expect(classifyBarcode(']C1hello')).toEqual({
      kind: 'unknown',
      data: 'hello',
      note: ']C1 data is not a GS1 element string: no known AI at position 0',
      symbology: ']C1',
    });
  });
});

describe('AIM identifiers', () => {
  it.each([
    { id: ']E0', name: 'EAN/UPC', gs1: false, eanUpc: true },
    { id: ']E4', name: 'EAN/UPC', gs1: false, eanUpc: true },
    { id: ']C1', name: 'Code 128', gs1: true, eanUpc: false },
    { id: ']C0', name: 'Code 128', gs1: false, eanUpc: false },
    { id: ']Q1', name: 'QR Code', gs1: false, eanUpc: false },
    { id: ']Q3', name: 'QR Code', gs1: true, eanUpc: false },
    { id: ']d2', name: 'Data Matrix', gs1: true, eanUpc: false },
    { id: ']e0', name: 'GS1 DataBar', gs1: true, eanUpc: false },
    { id: ']J1', name: 'DotCode', gs1: true, eanUpc: false },
    { id: ']A0', name: 'Code 39', gs1: false, eanUpc: false },
  ])('$id is $name', (expected) => {
    expect(describeAim(expected.id)).toEqual(expected);
  });

  it('splits a leading AIM id and leaves other data alone', () => {
    expect(splitAimPrefix(']Q1https://example.com')).toEqual({
      aim: ']Q1',
      rest: 'https://example.com',
    });
    expect(splitAimPrefix('4006381333931')).toEqual({ rest: '4006381333931' });
    expect(splitAimPrefix('] 1abc')).toEqual({ rest: '] 1abc' });
    expect(describeAim('E0')).toBeUndefined();
  });

  it('prefers the AIM id in the data over the reported one and ignores invalid ones', () => {
    expect(classifyBarcode(']E496385074', { symbology: ']Q1' }).symbology).toBe(']E4');
    expect(classifyBarcode('96385074', { symbology: 'E4' })).not.toHaveProperty('symbology');
  });
});

describe('GA client ids', () => {
  it.each([
    ['GA1.1.1197596843.1732615200', '1197596843.1732615200'],
    ['GA1.2.1197596843.1732615200', '1197596843.1732615200'],
    ['1197596843.1732615200', '1197596843.1732615200'],
    ['7.1732615200', '7.1732615200'],
  ])('%s → %s', (data, clientId) => {
    expect(parseGaClientId(data)).toBe(clientId);
    expect(classifyBarcode(data)).toEqual({ kind: 'ga-client-id', clientId });
  });

  it.each([
    'GA1.1.1197596843.173261520', // 9-digit seconds
    '1197596843.17326152001', // 11-digit seconds
    '1197596843.0732615200', // leading zero: not unix seconds
    'GA2.1.1197596843.1732615200',
    'GA1.1.1197596843',
    'GS1.1.1732615200.1.1.1732615300.0.0.0', // the GA4 session cookie
    '1197596843-1732615200',
    ' 1197596843.1732615200',
    '12345678901234567890.1732615200', // 20-digit random part
  ])('rejects %s', (data) => {
    expect(parseGaClientId(data)).toBeUndefined();
    expect(classifyBarcode(data).kind).not.toBe('ga-client-id');
  });
});

describe('loyalty cards', () => {
  const loyaltyPatterns = [
    { name: 'store-card', pattern: '2\\d{12}' }, // in-store EAN-13 range (check digit not required)
    { name: 'app-member', pattern: /^MEMBER:(?<value>[A-Z0-9]{6,12})$/ },
    { name: 'partner', pattern: /PX-(\d+)/g },
  ];
  const options: ClassifyBarcodeOptions = { loyaltyPatterns };

  it.each([
    ['2123456789012', 'store-card', '2123456789012'],
    ['MEMBER:AB12CD34', 'app-member', 'AB12CD34'],
    ['PX-0042', 'partner', '0042'],
    [']E02123456789012', 'store-card', '2123456789012'],
  ])('%s → %s %s', (data, program, value) => {
    const result = classifyBarcode(data, options);
    expect(result).toMatchObject({ kind: 'loyalty-card', program, value });
    expect(isIdentityClassification(result)).toBe(true);
  });

  it('requires the pattern to match the whole data and keeps no RegExp state', () => {
    expect(classifyBarcode('x2123456789012', options).kind).toBe('unknown');
    expect(classifyBarcode('PX-0042 extra', options).kind).toBe('unknown');
    expect(matchLoyaltyCard('PX-1', loyaltyPatterns)?.value).toBe('1');
    expect(matchLoyaltyCard('PX-1', loyaltyPatterns)?.value).toBe('1');
    expect(classifyBarcode('4006381333931', options).kind).toBe('gtin');
  });

  it('throws a TypeError naming an invalid pattern', () => {
    expect(() => matchLoyaltyCard('x', [{ name: 'broken', pattern: '(' }])).toThrow(
      'loyalty pattern "broken" is not a valid regular expression',
    );
  });
});

describe('app QR codes and identity kinds', () => {
  const code = signAppQr({
    key: KEY,
    kid: 'k2025',
    clientId: '1197596843.1732615200',
    issuedAt: ISSUED_AT,
    userId: 'u-48151623',
  });

  it('classifies a verified app QR, also behind an AIM id', () => {
    const expected = {
      kind: 'app-qr',
      clientId: '1197596843.1732615200',
      userId: 'u-48151623',
      issuedAt: ISSUED_AT,
      kid: 'k2025',
      verified: true,
    };
    expect(classifyBarcode(code, { appQr })).toEqual(expected);
    expect(classifyBarcode(`]Q1${code}`, { appQr })).toEqual({ ...expected, symbology: ']Q1' });
  });

  it.each([
    { name: 'tampered', data: code.replace('1197596843', '1197596844'), reason: 'BAD_SIGNATURE' },
    { name: 'wrong key id', data: code.replace('k2025', 'k2024'), reason: 'UNKNOWN_KEY' },
    { name: 'expired', data: code, now: ISSUED_AT + 601, reason: 'EXPIRED' },
    { name: 'future-dated', data: code, now: ISSUED_AT - 3600, reason: 'NOT_YET_VALID' },
    { name: 'malformed', data: 'POSGA4:1:k2025', reason: 'MALFORMED' },
  ])('reports $name codes as app-qr-invalid', ({ data, now, reason }) => {
    const options = { appQr: { ...appQr, now: (now ?? ISSUED_AT) * 1000 } };
    const result = classifyBarcode(data, options);
    expect(result).toEqual({ kind: 'app-qr-invalid', reason });
    expect(isIdentityClassification(result)).toBe(false);
  });

  it('reports app QR codes as UNKNOWN_KEY when no keys are configured', () => {
    expect(classifyBarcode(code)).toEqual({ kind: 'app-qr-invalid', reason: 'UNKNOWN_KEY' });
  });

  it('exports the identity kinds', () => {
    expect(IDENTITY_KINDS).toEqual(['app-qr', 'ga-client-id', 'loyalty-card']);
    expect(isIdentityClassification(classifyBarcode('GA1.1.1.1732615200'))).toBe(true);
    expect(isIdentityClassification(classifyBarcode('4006381333931'))).toBe(false);
  });
});

describe('URLs and unknown data', () => {
  it('classifies http(s) URLs, also from the wedge fixtures', () => {
    expect(classifyBarcode('https://mnzn.net/sod.ac/d/SD01234567')).toEqual({
      kind: 'url',
      url: 'https://mnzn.net/sod.ac/d/SD01234567',
    });
    expect(classifyBarcode(']Q1https://id.gs1.org/01/09521234543213')).toMatchObject({
      kind: 'url',
      symbology: ']Q1',
    });
  });

  it('returns unknown for anything else', () => {
    expect(classifyBarcode('hello world')).toEqual({ kind: 'unknown', data: 'hello world' });
    expect(classifyBarcode('')).toEqual({ kind: 'unknown', data: '' });
    expect(classifyBarcode('12345')).toEqual({ kind: 'unknown', data: '12345' });
    expect(classifyBarcode('ftp://example.com')).toMatchObject({ kind: 'unknown' });
  });
});
