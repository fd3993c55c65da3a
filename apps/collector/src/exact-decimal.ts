/**
 * Exact sums of the decimal amounts GA4 events carry (`value: 10.77`). Pure.
 *
 * Input: JSON numbers as received. Each is read through its shortest decimal representation
 * (`String(10.77)` is "10.77"), so it becomes exactly 1077 × 10^-2: no binary float drift.
 * Sums and differences are exact (bigint units at a common scale). `toNumber` turns the result
 * back into the JSON number with the same digits: 10.77 − 3.78 is 6.99, never 6.989999999999999.
 * Non-finite input counts as zero.
 */

export interface ExactDecimal {
  /** The amount is `units × 10^-scale`. */
  readonly units: bigint;
  readonly scale: number;
}

export const ZERO: ExactDecimal = { units: 0n, scale: 0 };

const NUMBER_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

export function decimalOf(value: number): ExactDecimal {
  if (!Number.isFinite(value)) return ZERO;
  const match = NUMBER_TEXT.exec(String(value));
  if (!match) return ZERO;
  const [, sign = '', whole = '0', fraction = '', exponent = '0'] = match;
  const units = BigInt(`${sign}${whole}${fraction}`);
  const scale = fraction.length - Number(exponent);
  return scale >= 0 ? { units, scale } : { units: units * 10n ** BigInt(-scale), scale: 0 };
}

function atScale(amount: ExactDecimal, scale: number): bigint {
  return amount.units * 10n ** BigInt(scale - amount.scale);
}

export function addDecimal(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: atScale(a, scale) + atScale(b, scale), scale };
}

export function subtractDecimal(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  return addDecimal(a, { units: -b.units, scale: b.scale });
}

export function isPositive(amount: ExactDecimal): boolean {
  return amount.units > 0n;
}

/** The JSON number with exactly these digits (the nearest double, which prints as them). */
export function toNumber(amount: ExactDecimal): number {
  const negative = amount.units < 0n;
  const digits = (negative ? -amount.units : amount.units)
    .toString()
    .padStart(amount.scale + 1, '0');
  const text =
    amount.scale === 0
      ? digits
      : `${digits.slice(0, -amount.scale)}.${digits.slice(-amount.scale)}`;
  const result = Number(`${negative ? '-' : ''}${text}`);
  return result === 0 ? 0 : result;
}
