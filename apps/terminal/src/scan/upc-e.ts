/**
 * UPC-E (zero-suppressed UPC) → UPC-A expansion.
 *
 * Input: UPC-E as 8 digits (number system 0/1, six data digits, check digit), 7 digits (number
 * system + six data digits, no check digit) or 6 digits (data digits only, number system 0).
 * Output: `{ upcA, checkDigitValid }`: the 12-digit UPC-A, whose check digit is computed on the
 * expanded number; `checkDigitValid` compares it with the transmitted one (true when none was
 * transmitted). `undefined` when the input is not a UPC-E shape (wrong length, non-digits,
 * number system other than 0 or 1).
 * Rule, by the LAST data digit d6 (data digits d1..d6):
 *   0-2 → d1 d2 d6 0 0 0 0 d3 d4 d5     3 → d1 d2 d3 0 0 0 0 0 d4 d5
 *   4   → d1 d2 d3 d4 0 0 0 0 0 d5      5-9 → d1 d2 d3 d4 d5 0 0 0 0 d6
 * Sources: keepautomation UPC-E to UPC-A table; Printronix "Six-Digit Zero Expansion" table.
 * Errors: none. Lifecycle: pure.
 */
import { gs1CheckDigit } from './gtin.js';

export interface UpcEExpansion {
  readonly upcA: string;
  readonly checkDigitValid: boolean;
}

function expandDataDigits(d: string): string {
  const last = d.charAt(5);
  if (last === '0' || last === '1' || last === '2')
    return `${d.slice(0, 2)}${last}0000${d.slice(2, 5)}`;
  if (last === '3') return `${d.slice(0, 3)}00000${d.slice(3, 5)}`;
  if (last === '4') return `${d.slice(0, 4)}00000${d.charAt(4)}`;
  return `${d.slice(0, 5)}0000${last}`;
}

export function expandUpcE(upcE: string): UpcEExpansion | undefined {
  if (!/^\d{6,8}$/.test(upcE)) return undefined;
  const numberSystem = upcE.length === 6 ? '0' : upcE.charAt(0);
  if (numberSystem !== '0' && numberSystem !== '1') return undefined;
  const data = upcE.length === 6 ? upcE : upcE.slice(1, 7);
  const payload = numberSystem + expandDataDigits(data);
  const check = String(gs1CheckDigit(payload));
  return {
    upcA: payload + check,
    checkDigitValid: upcE.length !== 8 || upcE.charAt(7) === check,
  };
}
