/**
 * Minor units → the decimal number GA4 expects, exactly: the digits are placed by string
 * arithmetic and parsed once, so 1295 with exponent 2 is exactly the JSON number 12.95 (no
 * `1295 / 100` float drift). Pure.
 */
export function minorToDecimal(minor: number, exponent: number): number {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount ${minor} is not a safe integer`);
  if (exponent === 0) return minor;
  const digits = Math.abs(minor)
    .toString()
    .padStart(exponent + 1, '0');
  const text = `${minor < 0 ? '-' : ''}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return Number(text);
}
