import { describe, expect, it } from 'vitest';

import { gs1CheckDigit, gtinFormat, hasValidGs1CheckDigit, toGtin14 } from './gtin.js';
import { expandUpcE } from './upc-e.js';

describe('GS1 mod-10 check digits', () => {
  it.each([
    ['96385074', 'GTIN-8'],
    ['036000291452', 'GTIN-12'],
    ['4006381333931', 'GTIN-13'],
    ['09521234543213', 'GTIN-14'],
    ['10614141000415', 'GTIN-14'],
  ] as const)('accepts %s (%s)', (gtin, format) => {
    expect(hasValidGs1CheckDigit(gtin)).toBe(true);
    expect(gtinFormat(gtin)).toBe(format);
    expect(gs1CheckDigit(gtin.slice(0, -1))).toBe(Number(gtin.slice(-1)));
  });

  it.each(['96385075', '036000291453', '4006381333932', '09521234543210', '4006381333913'])(
    'rejects %s (wrong or transposed check digit)',
    (gtin) => {
      expect(hasValidGs1CheckDigit(gtin)).toBe(false);
    },
  );

  it('handles non-digit input and pads to 14 digits', () => {
    expect(gs1CheckDigit('12a4')).toBeUndefined();
    expect(hasValidGs1CheckDigit('4')).toBe(false);
    expect(gtinFormat('1234567890')).toBeUndefined();
    expect(toGtin14('96385074')).toBe('00000096385074');
  });
});

describe('UPC-E expansion by the last data digit', () => {
  // Expected values worked by hand from the expansion table, check digits by GS1 mod-10.
  it.each([
    ['0425261', '042100005264', true], // last digit 1: d1 d2 d6 0000 d3 d4 d5
    ['04252614', '042100005264', true],
    ['425261', '042100005264', true], // 6-digit form: number system 0
    ['1234560', '123000004561', true], // last digit 0, number system 1
    ['01234531', '012300000451', true], // last digit 3: d1 d2 d3 00000 d4 d5
    ['01234543', '012340000053', true], // last digit 4: d1 d2 d3 d4 00000 d5
    ['01234565', '012345000065', true], // last digit 5-9: d1..d5 0000 d6
    ['04252615', '042100005264', false], // transmitted check digit is wrong
  ] as const)('%s → %s', (upcE, upcA, checkDigitValid) => {
    expect(expandUpcE(upcE)).toEqual({ upcA, checkDigitValid });
    expect(hasValidGs1CheckDigit(upcA)).toBe(true);
  });

  it.each(['12345', '123456789', '2425261', '04252a14'])('refuses %s', (upcE) => {
    expect(expandUpcE(upcE)).toBeUndefined();
  });
});
