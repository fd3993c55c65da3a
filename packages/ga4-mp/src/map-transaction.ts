/**
 * Transaction → GA4 `purchase` / `refund` event. Pure: the clock comes in as `options.now`.
 *
 * Input: a transaction in the shape below (structurally the pos-ga4 Transaction; this package
 * has no internal dependencies), the currency's minor-unit exponent, and settings.
 * Output: `{ ok: true, event, flags }`, or `{ ok: false, code, reason }` with code
 *   - `TOO_OLD`: older than the backdating window and the policy is `dead-letter`;
 *   - `CLOCK_SKEW`: more than 15 min in the future;
 *   - `VOID_NOT_SENT`: a voided receipt has no GA4 event (not an error; the job completes).
 *
 * Rules (docs/ga4-mapping.md):
 * - `value` = Σ line totals (discounted price × quantity) without tax and shipping. On
 *   VAT-inclusive receipts the included tax is taken out; `valueIncludesTax` keeps it in.
 * - Items carry the discounted unit `price` and per-unit `discount` as printed. A decimal
 *   quantity (0.255 kg) becomes `quantity: 1` at the line total, with the measured amount in the
 *   custom item parameter `measured_quantity`, so Σ price × quantity stays exact.
 * - A refund with lines is a partial refund (items sent); without lines, a full refund (no items).
 * - Money becomes decimal here and only here, exactly (see decimal.ts).
 */
import { minorToDecimal } from './decimal.js';
import { MP_LIMITS } from './limits.js';
import type { MpEvent, MpEventParams, MpItem } from './wire-types.js';

export interface MappableLine {
  readonly sku?: string | undefined;
  readonly gtin?: string | undefined;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly unitDiscount: number;
  readonly lineTotal: number;
  readonly brand?: string | undefined;
  readonly category?: string | undefined;
  readonly variant?: string | undefined;
}

export interface MappableTransaction {
  readonly transactionId: string;
  readonly storeId: string;
  readonly kind: 'sale' | 'refund' | 'void';
  readonly occurredAt: string;
  readonly currency: string;
  readonly pricesIncludeTax: boolean;
  readonly lines: readonly MappableLine[];
  readonly subtotal: number;
  readonly tax: number;
  readonly shipping: number;
  readonly coupon?: string | undefined;
}

export type TooOldPolicy = 'dead-letter' | 'redate';
export type SessionMode = 'per-transaction' | 'omit';

export interface MappingOptions {
  /** Current time, ms since the epoch. */
  readonly now: number;
  /** Digits after the decimal point of the transaction's currency (2 for EUR, 0 for JPY). */
  readonly currencyExponent: number;
  readonly valueIncludesTax?: boolean;
  /** `affiliation` on every item; defaults to the store id. */
  readonly affiliation?: string;
  /** Events older than this many hours are `TOO_OLD` (default 71, at most 72). */
  readonly maxAgeHours?: number;
  readonly tooOld?: TooOldPolicy;
  /**
   * `per-transaction` (default): `session_id` = the receipt's unix second and
   * `engagement_time_msec` (default 1), so events reach Realtime and processed reports.
   * `omit`: neither is sent (events may stay Realtime-only).
   */
  readonly session?: SessionMode;
  readonly engagementTimeMsec?: number;
}

export type MappingFailureCode = 'TOO_OLD' | 'CLOCK_SKEW' | 'VOID_NOT_SENT';

export type MapResult =
  | { readonly ok: true; readonly event: MpEvent; readonly flags: readonly 'REDATED'[] }
  | { readonly ok: false; readonly code: MappingFailureCode; readonly reason: string };

const HOUR_MS = 3_600_000;

function mapLine(
  line: MappableLine,
  context: { index: number; exponent: number; storeId: string; affiliation: string },
): MpItem {
  const integral = Number.isInteger(line.quantity);
  const price = integral ? line.unitPrice - line.unitDiscount : line.lineTotal;
  const itemId = line.sku ?? line.gtin;
  const item: MpItem = {
    ...(itemId === undefined ? {} : { item_id: itemId }),
    item_name: line.name,
    price: minorToDecimal(price, context.exponent),
    quantity: integral ? line.quantity : 1,
    index: context.index,
    location_id: context.storeId,
    affiliation: context.affiliation,
  };
  if (line.unitDiscount > 0) {
    item.discount = integral
      ? minorToDecimal(line.unitDiscount, context.exponent)
      : minorToDecimal(Math.round(line.unitDiscount * line.quantity), context.exponent);
  }
  if (!integral) item['measured_quantity'] = line.quantity;
  if (line.brand !== undefined) item.item_brand = line.brand;
  if (line.category !== undefined) item.item_category = line.category;
  if (line.variant !== undefined) item.item_variant = line.variant;
  return item;
}

export function mapTransaction(
  transaction: MappableTransaction,
  options: MappingOptions,
): MapResult {
  if (transaction.kind === 'void') {
    return { ok: false, code: 'VOID_NOT_SENT', reason: 'voided receipts are not sent to GA4' };
  }
  const occurredMs = Date.parse(transaction.occurredAt);
  const maxAgeHours = Math.min(
    options.maxAgeHours ?? MP_LIMITS.defaultBackdateHours,
    MP_LIMITS.maxBackdateHours,
  );
  const flags: 'REDATED'[] = [];
  let eventMs = occurredMs;
  if (occurredMs - options.now > MP_LIMITS.futureToleranceMs) {
    const minutes = Math.round((occurredMs - options.now) / 60_000);
    return {
      ok: false,
      code: 'CLOCK_SKEW',
      reason: `occurredAt is ${minutes} min in the future; check the terminal clock`,
    };
  }
  if (options.now - occurredMs > maxAgeHours * HOUR_MS) {
    const hours = Math.floor((options.now - occurredMs) / HOUR_MS);
    if ((options.tooOld ?? 'dead-letter') === 'dead-letter') {
      return {
        ok: false,
        code: 'TOO_OLD',
        reason: `occurredAt is ${hours} h old; GA4 accepts at most ${maxAgeHours} h`,
      };
    }
    eventMs = options.now;
    flags.push('REDATED');
  }

  const exponent = options.currencyExponent;
  const net = transaction.pricesIncludeTax
    ? transaction.subtotal - transaction.tax
    : transaction.subtotal;
  const value = options.valueIncludesTax === true ? net + transaction.tax : net;
  const params: MpEventParams = {
    transaction_id: transaction.transactionId,
    value: minorToDecimal(value, exponent),
    currency: transaction.currency,
    tax: minorToDecimal(transaction.tax, exponent),
    shipping: minorToDecimal(transaction.shipping, exponent),
  };
  if (transaction.coupon !== undefined) params['coupon'] = transaction.coupon;
  if (transaction.lines.length > 0) {
    const affiliation = options.affiliation ?? transaction.storeId;
    params.items = transaction.lines.map((line, index) =>
      mapLine(line, { index, exponent, storeId: transaction.storeId, affiliation }),
    );
  }
  if ((options.session ?? 'per-transaction') === 'per-transaction') {
    params['session_id'] = Math.floor(occurredMs / 1000);
    params['engagement_time_msec'] = Math.max(1, options.engagementTimeMsec ?? 1);
  }
  if (flags.includes('REDATED')) {
    params['pos_redated'] = 1;
    params['pos_occurred_at'] = transaction.occurredAt;
  }
  return {
    ok: true,
    event: {
      name: transaction.kind === 'sale' ? 'purchase' : 'refund',
      params,
      timestamp_micros: eventMs * 1000,
    },
    flags,
  };
}
