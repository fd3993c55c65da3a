/**
 * Amounts and quantities as printed → integers, by string arithmetic (never `parseFloat * 100`).
 *
 * Inputs: the captured text (`14.25`, `1.234,56`, `-0,50`, `0,50-`, `−2.00`) and the profile's
 * number format: decimal separator, thousands separator ('' for none) and the currency's minor
 * units. Outputs: signed integer minor units (`1425`), or a quantity in thousandths (`0,255` →
 * 255). A sign may lead (`-`, `+`, `−`) or trail (`-`, as on German receipts).
 * Errors: returned as `{ ok: false, message }`: other characters, misplaced separators, more
 * decimals than the currency has (unless the extra ones are zeros), more than 15 digits, a
 * quantity with more than three decimals. Lifecycle: pure.
 */

export interface NumberFormat {
  readonly decimal: '.' | ',';
  /** '' when amounts are printed without grouping. */
  readonly thousands: string;
  /** Digits after the decimal point of the currency (2 for EUR, 0 for JPY, 3 for KWD). */
  readonly minorUnits: number;
}

export type Parsed =
  { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };

const MAX_DIGITS = 15;

function escape(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function splitSign(text: string): { negative: boolean; body: string } {
  let body = text.trim();
  let negative = false;
  const lead = /^([-+\u2212])\s*/u.exec(body);
  if (lead?.[1] !== undefined) {
    negative = lead[1] !== '+';
    body = body.slice(lead[0].length);
  } else if (body.endsWith('-')) {
    negative = true;
    body = body.slice(0, -1).trimEnd();
  }
  return { negative, body };
}

export function parseAmount(text: string, format: NumberFormat): Parsed {
  const { negative, body } = splitSign(text);
  const d = escape(format.decimal);
  const grouped =
    format.thousands === '' ? '\\d+' : `(?:\\d{1,3}(?:${escape(format.thousands)}\\d{3})+|\\d+)`;
  const match = new RegExp(`^(${grouped})(?:${d}(\\d+))?$`, 'u').exec(body);
  const [, whole, fraction = ''] = match ?? [];
  if (whole === undefined)
    return {
      ok: false,
      message: `"${text}" is not an amount (decimal "${format.decimal}"${format.thousands === '' ? '' : `, thousands "${format.thousands}"`})`,
    };
  if (fraction.length > format.minorUnits && !/^0*$/.test(fraction.slice(format.minorUnits)))
    return {
      ok: false,
      message: `"${text}" has more than ${format.minorUnits} decimals`,
    };
  const digits = (
    (format.thousands === '' ? whole : whole.split(format.thousands).join('')) +
    fraction.slice(0, format.minorUnits).padEnd(format.minorUnits, '0')
  ).replace(/^0+(?=\d)/, '');
  if (digits.length > MAX_DIGITS) return { ok: false, message: `"${text}" is too large` };
  const value = Number.parseInt(digits, 10);
  return { ok: true, value: negative && value !== 0 ? -value : value };
}

/** A quantity in thousandths: `2` → 2000, `0,255` → 255 (with decimal ","). */
export function parseQuantity(text: string, decimal: '.' | ','): Parsed {
  const match = new RegExp(`^(\\d{1,7})(?:${escape(decimal)}(\\d{1,3}))?$`, 'u').exec(text.trim());
  const [, whole, fraction = ''] = match ?? [];
  if (whole === undefined)
    return {
      ok: false,
      message: `"${text}" is not a quantity (digits, decimal "${decimal}", at most 3 decimals)`,
    };
  return {
    ok: true,
    value: Number.parseInt(whole, 10) * 1000 + Number.parseInt(fraction.padEnd(3, '0'), 10),
  };
}
