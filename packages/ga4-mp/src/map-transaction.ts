/**
 * Transaction → GA4 `purchase` / `refund` event. Pure: the clock comes in as `options.now`.
 *
 * Input: a transaction in the shape below (structurally the pos-ga4 Transaction; this package
 * has no internal dependencies), the currency's minor-unit exponent, and settings.
 * Output: `{ ok: true, event, flags, counts }`, or `{ ok: false, code, reason }` with code
 *   - `TOO_OLD`: older than the backdating window and the policy is `dead-letter`;
 *   - `CLOCK_SKEW`: more than 15 min in the future;
 *   - `VOID_NOT_SENT`: a voided receipt has no GA4 event (not an error; the job completes).
 *
 * Rules (docs/ga4-mapping.md), each one kept for every valid transaction:
 * - **value = Σ price × quantity, to the minor unit.** `prices: net` (default): items and value
 *   without tax; on VAT-inclusive receipts the receipt's tax is allocated over the lines exactly
 *   (largest remainder, weighted by each line's `taxRate` when every line has one, else by line
 *   total). `prices: gross`: items and value with tax (on tax-exclusive receipts the tax is
 *   allocated onto the lines the same way). A line whose amount does not divide by its quantity
 *   becomes two items of the same article one minor unit apart (2 × 1.25 + 1 × 1.26 = 3.76).
 *   `price` is the discounted unit price and `discount` the unit discount, as GA4 defines them.
 * - **Basket discount** (`discount`, minor units): spread over the lines by line total (largest
 *   remainder, capped at each line) before the tax is allocated, so value = subtotal − discount
 *   (∓ tax by mode); each item's `discount` includes its line's per-unit share.
 * - Line `category2`…`category5`, `coupon` → `item_category2`…`item_category5`, item `coupon`;
 *   `attributes` (transaction, line) → custom event / item parameters of the same names, texts
 *   cut to 100; `payments[]` → `payment_type` (methods sorted, `card+cash`) on purchases. The
 *   names are the contract's business (packages/transaction): pos-ga4's own params win here.
 * - Decimal quantities (0.255 kg) become `quantity: 1` at the line amount, the measured amount
 *   in the custom item parameter `measured_quantity`.
 * - **Refunds net against their purchase**: a refund that knows its purchase (`refundOf`) is sent
 *   with the purchase's `transaction_id`, its own id in `pos_refund_id`; a partial refund carries
 *   only the refunded lines; a full refund (no lines) carries none.
 * - **Every valid sale is sendable**: at most 200 items (the first 199 lines' items and one
 *   `pos_other_items` line holding the rest, `pos_items_folded` = lines folded), and an event
 *   under `maxEventBytes` (optional item parameters are dropped first, then more lines folded).
 * - **Texts over a GA4 limit are cut**, never rejected (text-limits.ts, counted like Google).
 * - Money becomes decimal here and only here, exactly (decimal.ts).
 */
import { allocateLargestRemainder } from './allocate.js';
import { minorToDecimal } from './decimal.js';
import { MP_LIMITS } from './limits.js';
import { truncateText } from './text-limits.js';
import type { MpEvent, MpEventParams, MpItem, ParamValue } from './wire-types.js';

export interface MappableLine {
  readonly sku?: string | undefined;
  readonly gtin?: string | undefined;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly unitDiscount: number;
  readonly lineTotal: number;
  /** VAT rate of the line in percent (19, 7, 5.5), when the receipt prints it. */
  readonly taxRate?: number | undefined;
  readonly brand?: string | undefined;
  readonly category?: string | undefined;
  readonly category2?: string | undefined;
  readonly category3?: string | undefined;
  readonly category4?: string | undefined;
  readonly category5?: string | undefined;
  readonly variant?: string | undefined;
  /** Coupon of this line: item `coupon`. */
  readonly coupon?: string | undefined;
  /** Custom item parameters (name → text or number). */
  readonly attributes?: Readonly<Record<string, string | number>> | undefined;
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
  /** Receipt-level discount off the subtotal, minor units (default 0). */
  readonly discount?: number | undefined;
  readonly tax: number;
  readonly shipping: number;
  readonly coupon?: string | undefined;
  /** Custom event parameters (name → text or number). */
  readonly attributes?: Readonly<Record<string, string | number>> | undefined;
  /** Tenders; their methods become `payment_type` on purchases. */
  readonly payments?: readonly { readonly method: string }[] | undefined;
  /** A refund's purchase (its transactionId), when known. */
  readonly refundOf?: string | undefined;
}

export type TooOldPolicy = 'dead-letter' | 'redate';
export type SessionMode = 'per-transaction' | 'omit';
/** Whether item prices and value are sent without tax (`net`, Google's advice) or with it. */
export type PriceMode = 'net' | 'gross';

export interface MappingOptions {
  /** Current time, ms since the epoch. */
  readonly now: number;
  /** Digits after the decimal point of the transaction's currency (2 for EUR, 0 for JPY). */
  readonly currencyExponent: number;
  /** `net` (default) or `gross`; see the rules above. */
  readonly prices?: PriceMode;
  /** `affiliation` on every item; defaults to the store id. */
  readonly affiliation?: string | undefined;
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
  /** The event's JSON must stay below this (default `MP_LIMITS.eventBytes`). */
  readonly maxEventBytes?: number;
}

/** The codes a mapping fails with (see the top of this file); docs/errors.md lists them. */
export const MAPPING_FAILURE_CODES = ['TOO_OLD', 'CLOCK_SKEW', 'VOID_NOT_SENT'] as const;
export type MappingFailureCode = (typeof MAPPING_FAILURE_CODES)[number];

/** What the mapping had to change to make the event fit GA4 (each also counted in `counts`). */
export type MappingFlag = 'REDATED' | 'ITEMS_FOLDED' | 'PARAMS_TRIMMED' | 'TEXT_TRUNCATED';

export interface MappingCounts {
  /** Receipt lines folded into the `pos_other_items` item. */
  readonly itemsFolded: number;
  /** Texts cut to a GA4 length limit. */
  readonly textsTruncated: number;
}

export type MapResult =
  | {
      readonly ok: true;
      readonly event: MpEvent;
      readonly flags: readonly MappingFlag[];
      readonly counts: MappingCounts;
    }
  | { readonly ok: false; readonly code: MappingFailureCode; readonly reason: string };

const HOUR_MS = 3_600_000;
/** The item that holds the lines beyond GA4's item limit. */
export const OTHER_ITEMS_ID = 'pos_other_items';
/**
 * Item parameters dropped first when an event is too large (none of them is money), together
 * with the lines' custom `attributes`.
 */
const OPTIONAL_ITEM_PARAMS = [
  'item_brand',
  'item_category',
  'item_category2',
  'item_category3',
  'item_category4',
  'item_category5',
  'item_variant',
  'coupon',
  'affiliation',
  'location_id',
  'discount',
] as const;
/** Line fields → GA4's further category levels. */
const CATEGORY_LEVELS = [
  ['category2', 'item_category2'],
  ['category3', 'item_category3'],
  ['category4', 'item_category4'],
  ['category5', 'item_category5'],
] as const;
/**
 * Most parameters pos-ga4 puts on one event itself (a purchase: transaction_id, value, currency,
 * tax, shipping, coupon, payment_type, session_id, engagement_time_msec, items,
 * pos_items_folded, pos_redated, pos_occurred_at; a refund has pos_refund_id instead of
 * payment_type). With the contract's 10 attributes an event stays within GA4's 25.
 */
export const MAX_OWN_EVENT_PARAMS = 13;

/** A line's amount in the price mode, in minor units, before it becomes items. */
interface LineAmount {
  readonly line: MappableLine;
  readonly index: number;
  readonly amount: number;
  /** The line's share of the basket discount (minor units, as on the receipt). */
  readonly discountShare: number;
}

type AmountBasis = Pick<MappableTransaction, 'lines' | 'tax' | 'pricesIncludeTax' | 'discount'>;

/**
 * The basket discount spread over the lines (largest remainder by line total, never more than
 * a line holds), and each line's amount in the price mode after discount and tax.
 */
function lineShares(
  transaction: AmountBasis,
  prices: PriceMode,
): { amounts: number[]; discountShares: number[] } {
  const { lines, tax } = transaction;
  const discount = transaction.discount ?? 0;
  const totals = lines.map((line) => line.lineTotal);
  const discountShares =
    discount === 0 || lines.length === 0
      ? totals.map(() => 0)
      : allocateLargestRemainder(discount, totals.map(BigInt), totals);
  const discounted = totals.map((total, i) => total - (discountShares[i] ?? 0));
  const moveTax = transaction.pricesIncludeTax === (prices === 'net');
  if (!moveTax || tax === 0 || lines.length === 0) return { amounts: discounted, discountShares };
  const rated = lines.every((line) => line.taxRate !== undefined);
  const weights = lines.map((line, i) => {
    const base = BigInt(discounted[i] ?? 0);
    if (!rated) return base;
    const milli = BigInt(Math.round((line.taxRate ?? 0) * 1000));
    const scaled = base * milli * 1_000_000_000_000n;
    return transaction.pricesIncludeTax ? scaled / (100_000n + milli) : scaled / 100_000n;
  });
  // included tax cannot exceed its (discounted) line; added tax has no such bound
  const shares = allocateLargestRemainder(
    tax,
    weights,
    transaction.pricesIncludeTax ? discounted : undefined,
  );
  const amounts = discounted.map((amount, i) =>
    transaction.pricesIncludeTax ? amount - (shares[i] ?? 0) : amount + (shares[i] ?? 0),
  );
  return { amounts, discountShares };
}

/**
 * Each line's amount (minor units) in the price mode. Σ amounts is the event's value: subtotal
 * less the basket discount, less the allocated tax (net, VAT-inclusive), plus it (gross,
 * tax-exclusive), or neither.
 */
export function lineAmounts(transaction: AmountBasis, prices: PriceMode): number[] {
  return lineShares(transaction, prices).amounts;
}

interface TextBudget {
  truncated: number;
}

function cut(text: string, budget: TextBudget): string {
  const result = truncateText(text, MP_LIMITS.itemParamValueLength);
  if (result.truncated) budget.truncated++;
  return result.text;
}

/**
 * Bytes a text can take in the event's JSON under `key`: at most 6 per UTF-16 unit (a control
 * character is escaped as `\u0001`), the quotes, colon and comma.
 */
function textBytes(key: string, text: string): number {
  return key.length + 6 * text.length + 6;
}

/** Bytes of an item's keys, numbers (price, quantity, index, discount, measured_quantity), braces. */
const ITEM_NUMBER_BYTES = 200;
/** Bytes of a custom parameter's number value at most (a double's longest JSON form). */
const NUMBER_BYTES = 26;

const NO_CUSTOM_PARAMS = { params: [], bytes: 0 } as const;
const NO_CATEGORIES: readonly (readonly [string, string])[] = [];

/** Custom parameters, texts cut to GA4's 100, and an upper bound of their JSON bytes. */
function customParams(
  attributes: Readonly<Record<string, string | number>> | undefined,
  budget: TextBudget,
): { params: readonly (readonly [string, ParamValue])[]; bytes: number } {
  if (attributes === undefined) return NO_CUSTOM_PARAMS;
  let bytes = 0;
  const params = Object.entries(attributes).map(([name, value]): [string, ParamValue] => {
    if (typeof value === 'number') {
      bytes += name.length + NUMBER_BYTES + 4;
      return [name, value];
    }
    const text = cut(value, budget);
    bytes += textBytes(name, text);
    return [name, text];
  });
  return { params, bytes };
}

/** The numbers of one item: its line's position, unit price and units, unit discount. */
interface ItemNumbers {
  readonly index: number;
  readonly price: number;
  readonly quantity: number;
  readonly discount: number | undefined;
}

/** A line's texts, cut to GA4's limits once (both items of a split line share them). */
interface LineTexts {
  readonly id: string | undefined;
  readonly name: string;
  readonly location: string;
  readonly affiliation: string;
  readonly brand: string | undefined;
  readonly category: string | undefined;
  /** `item_category2`…`item_category5` that the line has. */
  readonly categories: readonly (readonly [string, string])[];
  readonly variant: string | undefined;
  readonly coupon: string | undefined;
  readonly custom: readonly (readonly [string, ParamValue])[];
  /** An upper bound of one item's JSON bytes. */
  readonly bytes: number;
}

function item(texts: LineTexts, { index, price, quantity, discount }: ItemNumbers): MpItem {
  // one literal, optional keys assigned after: no spreads on the hot path
  const out: MpItem =
    texts.id === undefined
      ? { item_name: texts.name, price, quantity, index }
      : { item_id: texts.id, item_name: texts.name, price, quantity, index };
  out.location_id = texts.location;
  out.affiliation = texts.affiliation;
  if (texts.brand !== undefined) out.item_brand = texts.brand;
  if (texts.category !== undefined) out.item_category = texts.category;
  for (const [key, text] of texts.categories) out[key] = text;
  if (texts.variant !== undefined) out.item_variant = texts.variant;
  if (texts.coupon !== undefined) out.coupon = texts.coupon;
  if (discount !== undefined) out.discount = discount;
  // the contract keeps custom names off GA4's and pos-ga4's own item parameters
  for (const [name, value] of texts.custom) if (!(name in out)) out[name] = value;
  return out;
}

function lineTexts(
  line: MappableLine,
  context: { storeId: string; affiliation: string; texts: TextBudget },
): LineTexts {
  const budget = context.texts;
  const itemId = line.sku ?? line.gtin;
  let categories = NO_CATEGORIES;
  for (const [field, key] of CATEGORY_LEVELS) {
    const text = line[field];
    if (text === undefined) continue;
    if (categories === NO_CATEGORIES) categories = [];
    (categories as [string, string][]).push([key, cut(text, budget)]);
  }
  const custom = customParams(line.attributes, budget);
  const id = itemId === undefined ? undefined : cut(itemId, budget);
  const name = cut(line.name, budget);
  const location = cut(context.storeId, budget);
  const affiliation = cut(context.affiliation, budget);
  const brand = line.brand === undefined ? undefined : cut(line.brand, budget);
  const category = line.category === undefined ? undefined : cut(line.category, budget);
  const variant = line.variant === undefined ? undefined : cut(line.variant, budget);
  const coupon = line.coupon === undefined ? undefined : cut(line.coupon, budget);
  let bytes = ITEM_NUMBER_BYTES + custom.bytes;
  bytes += textBytes('item_id', id ?? '') + textBytes('item_name', name);
  bytes += textBytes('location_id', location) + textBytes('affiliation', affiliation);
  bytes += textBytes('item_brand', brand ?? '') + textBytes('item_category', category ?? '');
  for (const [key, text] of categories) bytes += textBytes(key, text);
  bytes += textBytes('item_variant', variant ?? '') + textBytes('coupon', coupon ?? '');
  // one literal: no spreads on the hot path
  return {
    id,
    name,
    location,
    affiliation,
    brand,
    category,
    categories,
    variant,
    coupon,
    custom: custom.params,
    bytes,
  };
}

/** One line → one item, or two when its amount does not divide by its (whole) quantity. */
function itemsOfLine(
  { line, index, amount, discountShare }: LineAmount,
  texts: LineTexts,
  exponent: number,
): MpItem[] {
  // the discount in the same basis as the amount (net of VAT when the amount is): the line
  // after the basket discount, on the receipt, is `basis`
  const basis = line.lineTotal - discountShare;
  const scale = (minor: number, units: number): number =>
    basis === 0 || amount === basis
      ? Math.round(minor / units)
      : Math.round((minor * amount) / (basis * units));
  const discounted = line.unitDiscount > 0 || discountShare > 0;
  if (!Number.isInteger(line.quantity)) {
    const lineDiscount = Math.round(line.unitDiscount * line.quantity) + discountShare;
    const discount = discounted ? minorToDecimal(scale(lineDiscount, 1), exponent) : undefined;
    const price = minorToDecimal(amount, exponent);
    const measured = item(texts, { index, price, quantity: 1, discount });
    measured['measured_quantity'] = line.quantity;
    return [measured];
  }
  const quantity = line.quantity;
  const unit = Math.floor(amount / quantity);
  const over = amount - unit * quantity; // units that cost one minor unit more
  // per unit: the line's own unit discount and its share of the basket discount
  const discount = discounted
    ? minorToDecimal(scale(line.unitDiscount * quantity + discountShare, quantity), exponent)
    : undefined;
  const price = minorToDecimal(unit, exponent);
  return over === 0
    ? [item(texts, { index, price, quantity, discount })]
    : [
        item(texts, { index, price, quantity: quantity - over, discount }),
        item(texts, { index, price: minorToDecimal(unit + 1, exponent), quantity: over, discount }),
      ];
}

interface ItemPlan {
  readonly items: MpItem[];
  /** Items of each line, in line order (a line has one or two). */
  readonly perLine: readonly { readonly amount: number; readonly items: MpItem[] }[];
  /** Custom item parameter names in use (dropped with the optional ones when too large). */
  readonly customNames: ReadonlySet<string>;
  /** An upper bound of the items' JSON bytes. */
  readonly bytes: number;
}

/** The first `keepLines` lines' items, and the rest folded into one item. */
function foldAfter(
  plan: ItemPlan,
  keepLines: number,
  context: { exponent: number; storeId: string },
): { items: MpItem[]; folded: number } {
  const kept = plan.perLine.slice(0, keepLines);
  const rest = plan.perLine.slice(keepLines);
  if (rest.length === 0) return { items: plan.items, folded: 0 };
  const restAmount = rest.reduce((sum, line) => sum + line.amount, 0);
  return {
    items: [
      ...kept.flatMap((line) => line.items),
      {
        item_id: OTHER_ITEMS_ID,
        item_name: `${rest.length} more lines`,
        price: minorToDecimal(restAmount, context.exponent),
        quantity: 1,
        index: keepLines,
        location_id: context.storeId.slice(0, MP_LIMITS.itemParamValueLength),
      },
    ],
    folded: rest.length,
  };
}

function eventBytes(event: MpEvent): number {
  return Buffer.byteLength(JSON.stringify(event));
}

/**
 * An upper bound of the event's JSON without its items' contents: the event-level texts (ids,
 * coupon, dates, at most 100 UTF-16 units each), numbers and keys, and the fold item.
 */
const EVENT_BYTES = 6_000;

/**
 * Fits the items into GA4's limits: ≤ `MP_LIMITS.itemsPerEvent` items, and an event below
 * `maxBytes`. Lines are kept whole (both items of a split line, or neither); the amount of the
 * lines that do not fit goes into one `pos_other_items` item, so Σ price × quantity is unchanged.
 */
function fitItems(
  plan: ItemPlan,
  event: MpEvent,
  context: { exponent: number; storeId: string; maxBytes: number; eventBytes: number },
): { folded: number; trimmed: boolean } {
  const limit = MP_LIMITS.itemsPerEvent;
  // the most lines whose items leave room for the fold item
  let keep = plan.perLine.length;
  let count = plan.items.length;
  if (count > limit)
    while (keep > 0 && count + 1 > limit) {
      keep--;
      count -= plan.perLine[keep]?.items.length ?? 0;
    }
  let fitted = foldAfter(plan, keep, context);
  event.params.items = fitted.items;
  let trimmed = false;
  // most events are far below the limit: measure only those that could reach it
  if (plan.bytes + context.eventBytes < context.maxBytes) return { folded: fitted.folded, trimmed };
  if (eventBytes(event) >= context.maxBytes) {
    for (const item of plan.items) {
      for (const param of OPTIONAL_ITEM_PARAMS) Reflect.deleteProperty(item, param);
      for (const name of plan.customNames) Reflect.deleteProperty(item, name);
    }
    trimmed = true;
  }
  while (eventBytes(event) >= context.maxBytes && keep > 0) {
    keep = Math.floor(keep * 0.8);
    fitted = foldAfter(plan, keep, context);
    event.params.items = fitted.items;
  }
  return { folded: fitted.folded, trimmed };
}

/** `payment_type` of a purchase: its tender methods, each once, sorted (`card+cash`). */
function paymentTypeOf(transaction: MappableTransaction): string | undefined {
  if (transaction.kind !== 'sale' || transaction.payments === undefined) return undefined;
  const methods = [...new Set(transaction.payments.map((payment) => payment.method))].sort();
  return methods.length === 0 ? undefined : methods.join('+');
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
  const flags: MappingFlag[] = [];
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
  const prices = options.prices ?? 'net';
  const texts: TextBudget = { truncated: 0 };
  const { tax, subtotal, pricesIncludeTax } = transaction;
  const discount = transaction.discount ?? 0;
  const withTax = prices === 'gross';
  // without lines (a full refund) the value is the receipt's own amount in the price mode
  const { amounts, discountShares } = lineShares(transaction, prices);
  const value =
    transaction.lines.length > 0
      ? amounts.reduce((sum, amount) => sum + amount, 0)
      : subtotal - discount + (withTax === pricesIncludeTax ? 0 : withTax ? tax : -tax);
  const refundLinked = transaction.kind === 'refund' && transaction.refundOf !== undefined;
  const params: MpEventParams = {
    transaction_id: refundLinked ? (transaction.refundOf ?? '') : transaction.transactionId,
    value: minorToDecimal(value, exponent),
    currency: transaction.currency,
    tax: minorToDecimal(tax, exponent),
    shipping: minorToDecimal(transaction.shipping, exponent),
  };
  if (refundLinked) params['pos_refund_id'] = transaction.transactionId;
  if (transaction.coupon !== undefined) params['coupon'] = cut(transaction.coupon, texts);
  const paymentType = paymentTypeOf(transaction);
  if (paymentType !== undefined) params['payment_type'] = paymentType;
  if ((options.session ?? 'per-transaction') === 'per-transaction') {
    params['session_id'] = Math.floor(occurredMs / 1000);
    params['engagement_time_msec'] = Math.max(1, options.engagementTimeMsec ?? 1);
  }
  const event: MpEvent = {
    name: transaction.kind === 'sale' ? 'purchase' : 'refund',
    params,
    timestamp_micros: eventMs * 1000,
  };
  const custom = customParams(transaction.attributes, texts);
  let itemsFolded = 0;
  if (transaction.lines.length > 0) {
    const affiliation = options.affiliation ?? transaction.storeId;
    const context = { storeId: transaction.storeId, affiliation, texts };
    const customNames = new Set<string>();
    let bytes = 0;
    const perLine = transaction.lines.map((line, index) => {
      const amount = amounts[index] ?? 0;
      const discountShare = discountShares[index] ?? 0;
      const lineText = lineTexts(line, context);
      for (const [name] of lineText.custom) customNames.add(name);
      const items = itemsOfLine({ line, index, amount, discountShare }, lineText, exponent);
      bytes += lineText.bytes * items.length;
      return { amount, items };
    });
    const plan = { items: perLine.flatMap((line) => line.items), perLine, customNames, bytes };
    params.items = plan.items;
    const fitted = fitItems(plan, event, {
      exponent,
      storeId: transaction.storeId,
      maxBytes: options.maxEventBytes ?? MP_LIMITS.eventBytes,
      eventBytes: EVENT_BYTES + custom.bytes,
    });
    itemsFolded = fitted.folded;
    if (fitted.folded > 0) {
      params['pos_items_folded'] = fitted.folded;
      flags.push('ITEMS_FOLDED');
    }
    if (fitted.trimmed) flags.push('PARAMS_TRIMMED');
  }
  if (flags.includes('REDATED')) {
    params['pos_redated'] = 1;
    params['pos_occurred_at'] = transaction.occurredAt;
  }
  // the contract keeps custom names off the parameters pos-ga4 sets
  for (const [name, value] of custom.params) if (params[name] === undefined) params[name] = value;
  if (texts.truncated > 0) flags.push('TEXT_TRUNCATED');
  return {
    ok: true,
    event,
    flags,
    counts: { itemsFolded, textsTruncated: texts.truncated },
  };
}
