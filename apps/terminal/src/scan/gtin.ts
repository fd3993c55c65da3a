/**
 * GTIN check digits (GS1 mod-10) and GTIN formats.
 *
 * Inputs: digit strings. Outputs: the check digit, whether a GTIN's last digit is right, its
 * format by length, and the 14-digit form (left-padded with zeros, as in GS1-128 and databases).
 * Rule (GS1 General Specifications): from the rightmost data digit leftwards, weights 3, 1, 3, …;
 * check = (10 − sum mod 10) mod 10. The same rule serves GTIN-8/12/13/14, SSCC and GLN.
 * Errors: none; non-digit input gives `undefined` / `false`. Lifecycle: pure.
 */

import { gs1CheckDigit as mod10CheckDigit } from '@pos-ga4/transaction';

export type GtinFormat = 'GTIN-8' | 'GTIN-12' | 'GTIN-13' | 'GTIN-14';

const FORMATS: Readonly<Record<number, GtinFormat>> = {
  8: 'GTIN-8',
  12: 'GTIN-12',
  13: 'GTIN-13',
  14: 'GTIN-14',
};

/** The GS1 mod-10 check digit for `payload` (the digits before the check digit). */
export function gs1CheckDigit(payload: string): number | undefined {
  return /^\d+$/.test(payload) ? mod10CheckDigit(payload) : undefined;
}

/** True when the last digit of `digits` is the GS1 mod-10 check digit of the others. */
export function hasValidGs1CheckDigit(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  return gs1CheckDigit(digits.slice(0, -1)) === Number(digits.slice(-1));
}

/** `GTIN-8`, `GTIN-12`, `GTIN-13` or `GTIN-14` for an all-digit string of that length. */
export function gtinFormat(digits: string): GtinFormat | undefined {
  return /^\d+$/.test(digits) ? FORMATS[digits.length] : undefined;
}

export function toGtin14(gtin: string): string {
  return gtin.padStart(14, '0');
}
