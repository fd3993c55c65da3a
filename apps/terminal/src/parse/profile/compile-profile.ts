/**
 * A validated receipt profile → ready-to-run matchers (RegExps, date parsers, number format).
 *
 * Input: a `ReceiptProfile` (already validated by `ReceiptProfileSchema`). Output: a
 * `CompiledProfile`; item layouts are ordered longest first (a two-line item is tried before a
 * one-line item that would match its first line), otherwise in the order written.
 * Errors: throws a RangeError only if given an unvalidated profile whose pattern does not compile.
 * Lifecycle: compile once per profile, reuse for every receipt; pure.
 */
import type { IdentityKind } from '@pos-ga4/transaction';
import { isCurrencyCode, minorUnitsOf } from '@pos-ga4/transaction';

import type { DateFormatParser } from './date-format.js';
import { compileDateFormat } from './date-format.js';
import type { NumberFormat } from './money-text.js';
import type { ReceiptProfile } from './profile-schema.js';
import { asList } from './profile-schema.js';
import { compileRegex } from './regex-source.js';

export type PaymentMethod = 'cash' | 'card' | 'voucher' | 'mobile' | 'loyalty-points' | 'other';

/** A compiled pattern with where it came from (for reasons: `patterns.total.0`). */
export interface Matcher {
  readonly regex: RegExp;
  readonly path: string;
}

export interface CompiledProfile {
  readonly profile: ReceiptProfile;
  readonly number: NumberFormat;
  readonly dates: readonly DateFormatParser[];
  readonly ignore: readonly Matcher[];
  readonly refund: readonly Matcher[];
  readonly void: readonly Matcher[];
  readonly fields: readonly Matcher[];
  readonly total: readonly Matcher[];
  readonly subtotal: readonly Matcher[];
  readonly tax: readonly Matcher[];
  readonly rounding: readonly Matcher[];
  readonly payments: readonly {
    readonly method: PaymentMethod;
    readonly matchers: readonly Matcher[];
  }[];
  readonly change: readonly Matcher[];
  readonly discount: readonly Matcher[];
  /** Item layouts, longest first: each is one matcher per consecutive line. */
  readonly items: readonly (readonly Matcher[])[];
  readonly codes: readonly {
    readonly kind: IdentityKind;
    readonly on?: 'qr' | 'pdf417' | 'barcode';
    readonly matchers: readonly Matcher[];
  }[];
}

function matchers(
  value: string | readonly string[] | undefined,
  options: { path: string; ignoreCase: boolean },
): Matcher[] {
  const single = typeof value === 'string';
  return asList(value).map((source, index) => {
    const compiled = compileRegex(source, options.ignoreCase);
    const path = single ? options.path : `${options.path}.${index}`;
    if (!compiled.ok) throw new RangeError(`${path}: ${compiled.message}`);
    return { regex: compiled.regex, path };
  });
}

export function compileProfile(profile: ReceiptProfile): CompiledProfile {
  const ignoreCase = profile.ignoreCase;
  const p = profile.patterns;
  const m = (value: string | readonly string[] | undefined, path: string): Matcher[] =>
    matchers(value, { path: `patterns.${path}`, ignoreCase });
  const dates = profile.dates.formats.map((format) => {
    const compiled = compileDateFormat(format, profile.dates.locale);
    if (!compiled.ok) throw new RangeError(`dates.formats: ${compiled.message}`);
    return compiled.parser;
  });
  const items = p.items
    .map((layout, index) => m(layout, `items.${index}`))
    .map((layout, order) => ({ layout, order }))
    .sort((a, b) => b.layout.length - a.layout.length || a.order - b.order)
    .map(({ layout }) => layout);
  return {
    profile,
    number: {
      decimal: profile.money.decimal,
      thousands: profile.money.thousands,
      minorUnits: minorUnitsOfCode(profile.money.currency),
    },
    dates,
    ignore: m(p.ignore, 'ignore'),
    refund: m(p.refund, 'refund'),
    void: m(p.void, 'void'),
    fields: m(p.fields, 'fields'),
    total: m(p.total, 'total'),
    subtotal: m(p.subtotal, 'subtotal'),
    tax: m(p.tax, 'tax'),
    rounding: m(p.rounding, 'rounding'),
    payments: (p.payments ?? []).map((payment, index) => ({
      method: payment.method,
      matchers: m(payment.pattern, `payments.${index}.pattern`),
    })),
    change: m(p.change, 'change'),
    discount: m(p.discount, 'discount'),
    items,
    codes: (p.codes ?? []).map((code, index) => ({
      kind: code.kind,
      ...(code.on === undefined ? {} : { on: code.on }),
      matchers: m(code.pattern, `codes.${index}.pattern`),
    })),
  };
}

function minorUnitsOfCode(code: string): number {
  if (!isCurrencyCode(code)) throw new RangeError(`money.currency: ${code} is not ISO 4217`);
  return minorUnitsOf(code);
}
