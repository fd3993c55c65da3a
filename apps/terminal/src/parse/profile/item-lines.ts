/**
 * Item lines of a receipt: captured groups → a priced item, discounts applied → Transaction lines.
 *
 * Inputs: the groups an item layout captured (`name`, `quantity`, `unitPrice`, `total`, `sku`,
 * `gtin`, `category`), the profile's number format, and later the discounts printed below it.
 * Outputs: lines in the Transaction's shape. Quantities are thousandths internally; money is
 * integer minor units; products go through BigInt. A missing unit price is the total divided by the
 * quantity, a missing total the unit price times the quantity (both rounded half away from zero).
 * Printed values are never corrected: a wrong total stays wrong and the contract rejects it.
 * A discount D on n whole units becomes `unitDiscount` D/n when n divides D; otherwise the line is
 * split in two (n − r units with ⌊D/n⌋ off, r units with one more), so that every line keeps
 * lineTotal = (unitPrice − unitDiscount) × quantity and the lines still add up to the printed
 * amounts. On a weighed quantity the discount is spread over the unit price (rounded).
 * Errors: `{ ok: false, message }` for unreadable numbers, no price, a discount above the line.
 * Lifecycle: pure.
 */
import type { NumberFormat } from './money-text.js';
import { parseAmount, parseQuantity } from './money-text.js';

export interface PricedItem {
  readonly name: string;
  readonly sku?: string;
  readonly gtin?: string;
  readonly category?: string;
  /** Thousandths of a unit. */
  readonly quantity: number;
  /** Signed, as printed. */
  readonly unitPrice: number;
  /** Signed, as printed, before discounts below the item. */
  readonly total: number;
}

export interface DraftLine {
  readonly sku?: string;
  readonly gtin?: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly unitDiscount: number;
  readonly lineTotal: number;
  readonly category?: string;
}

export type ItemResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** a / b rounded half away from zero (b > 0). */
function roundDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  const r = a % b;
  if (2n * (r < 0n ? -r : r) >= b) return a < 0n ? q - 1n : q + 1n;
  return q;
}

export function readItem(
  groups: Readonly<Record<string, string>>,
  options: { readonly number: NumberFormat; readonly itemIdFallback: 'none' | 'name' },
): ItemResult<PricedItem> {
  const name = (groups['name'] ?? '').trim().replace(/\s{2,}/g, ' ');
  if (name === '') return { ok: false, message: 'the item name is empty' };
  let quantity = 1000;
  if (groups['quantity'] !== undefined) {
    const parsed = parseQuantity(groups['quantity'], options.number.decimal);
    if (!parsed.ok) return { ok: false, message: `quantity: ${parsed.message}` };
    quantity = parsed.value;
  }
  const amount = (key: 'unitPrice' | 'total'): ItemResult<number | undefined> => {
    const text = groups[key];
    if (text === undefined) return { ok: true, value: undefined };
    const parsed = parseAmount(text, options.number);
    return parsed.ok ? parsed : { ok: false, message: `${key}: ${parsed.message}` };
  };
  const unit = amount('unitPrice');
  if (!unit.ok) return unit;
  const printedTotal = amount('total');
  if (!printedTotal.ok) return printedTotal;
  if (unit.value === undefined && printedTotal.value === undefined)
    return { ok: false, message: 'the line captured neither total nor unitPrice' };
  if (quantity === 0) return { ok: false, message: 'quantity is 0' };
  const q = BigInt(quantity);
  const unitPrice = unit.value ?? Number(roundDiv(BigInt(printedTotal.value ?? 0) * 1000n, q));
  const total = printedTotal.value ?? Number(roundDiv(BigInt(unitPrice) * q, 1000n));
  const sku =
    groups['sku']?.trim() ??
    (groups['gtin'] === undefined && options.itemIdFallback === 'name'
      ? name.slice(0, 64)
      : undefined);
  const gtin = groups['gtin']?.trim();
  const category = groups['category']?.trim();
  return {
    ok: true,
    value: {
      name,
      ...(sku === undefined ? {} : { sku }),
      ...(gtin === undefined ? {} : { gtin }),
      ...(category === undefined || category === '' ? {} : { category }),
      quantity,
      unitPrice,
      total,
    },
  };
}

/** The item as Transaction lines, after `discount` (≥ 0 minor units) and the refund sign. */
export function finalizeItem(
  item: PricedItem,
  options: { readonly discount: number; readonly sign: 1 | -1 },
): ItemResult<DraftLine[]> {
  const unitPrice = item.unitPrice * options.sign;
  const total = item.total * options.sign;
  const discount = options.discount;
  const base = {
    ...(item.sku === undefined ? {} : { sku: item.sku }),
    ...(item.gtin === undefined ? {} : { gtin: item.gtin }),
    name: item.name,
    ...(item.category === undefined ? {} : { category: item.category }),
  };
  const line = (quantity: number, unitDiscount: number, lineTotal: number): DraftLine => ({
    ...base,
    quantity: quantity / 1000,
    unitPrice,
    unitDiscount,
    lineTotal,
  });
  if (discount === 0) return { ok: true, value: [line(item.quantity, 0, total)] };
  if (discount > total)
    return { ok: false, message: `discount ${discount} exceeds the line total ${total}` };
  const discounted = total - discount;
  if (item.quantity % 1000 !== 0) {
    const effective = Number(roundDiv(BigInt(discounted) * 1000n, BigInt(item.quantity)));
    return { ok: true, value: [line(item.quantity, unitPrice - effective, discounted)] };
  }
  const units = item.quantity / 1000;
  const perUnit = Math.floor(discount / units);
  const rest = discount - perUnit * units;
  if (rest === 0) return { ok: true, value: [line(item.quantity, perUnit, discounted)] };
  const first = line((units - rest) * 1000, perUnit, (unitPrice - perUnit) * (units - rest));
  return {
    ok: true,
    value: [first, line(rest * 1000, perUnit + 1, discounted - first.lineTotal)],
  };
}
