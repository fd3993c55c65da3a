/**
 * The mapping's invariants over generated transactions (fast-check), in both price modes:
 * - value = Σ price × quantity, to the minor unit, for every purchase and every refund with items;
 * - at most 200 items, and an event below the size budget (every valid sale is sendable);
 * - a refund that names its purchase goes on the purchase's transaction_id;
 * - no text over GA4's 100 (UTF-16 units), and no half surrogate pair;
 * - the tax allocated over the lines adds up to the receipt's tax exactly;
 * - a basket discount comes off the value exactly: value = subtotal − discount (∓ tax by mode);
 * - categories, coupons and custom attributes (texts with characters JSON escapes to 6 bytes)
 *   keep every event within GA4's 25 parameters, and the validator accepts it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { lineAmounts, mapTransaction } from './map-transaction.js';
import type { MappableLine, MappableTransaction, PriceMode } from './map-transaction.js';
import { MP_LIMITS } from './limits.js';
import { validateRequest } from './validate-request.js';

const now = Date.parse('2026-11-26T12:00:00Z');

const text = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 160 }),
  fc.string({ unit: fc.constantFrom('😀', 'ß', 'a', ' ', '€'), minLength: 95, maxLength: 130 }),
  // JSON escapes these to 6 (\u0001) or 2 (\") bytes
  fc.string({ unit: fc.constantFrom('\u0001', '"', '\\', 'a'), minLength: 1, maxLength: 120 }),
);

/** Custom parameters as the contract allows them (names starting with x are never reserved). */
const attributes = (maxKeys: number) =>
  fc.option(
    fc.dictionary(
      fc.stringMatching(/^x[a-z0-9_]{0,39}$/),
      fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
      { maxKeys },
    ),
    { nil: undefined },
  );

const line: fc.Arbitrary<MappableLine> = fc
  .record({
    sku: fc.string({ minLength: 1, maxLength: 64 }),
    name: text,
    decimal: fc.boolean(),
    units: fc.integer({ min: 1, max: 20 }),
    thousandths: fc.integer({ min: 1, max: 5_000 }),
    unitPrice: fc.integer({ min: 0, max: 200_000 }),
    discountShare: fc.double({ min: 0, max: 1, noNaN: true }),
    brand: fc.option(text, { nil: undefined }),
    category: fc.option(text, { nil: undefined }),
    category2: fc.option(text, { nil: undefined }),
    category5: fc.option(text, { nil: undefined }),
    coupon: fc.option(text, { nil: undefined }),
    attributes: attributes(10),
  })
  .map((r) => {
    const quantity = r.decimal ? r.thousandths / 1000 : r.units;
    const unitDiscount = Math.floor(r.unitPrice * r.discountShare);
    // the contract: measured_quantity takes the 10th custom slot of a decimal-quantity line
    const custom =
      r.attributes === undefined || !r.decimal
        ? r.attributes
        : Object.fromEntries(Object.entries(r.attributes).slice(0, 9));
    return {
      sku: r.sku,
      name: r.name,
      quantity,
      unitPrice: r.unitPrice,
      unitDiscount,
      lineTotal: Math.round((r.unitPrice - unitDiscount) * quantity),
      brand: r.brand,
      category: r.category,
      category2: r.category2,
      category5: r.category5,
      coupon: r.coupon,
      attributes: custom,
    };
  });

const transaction: fc.Arbitrary<{ t: MappableTransaction; exponent: number; prices: PriceMode }> =
  fc
    .record({
      kind: fc.constantFrom<'sale' | 'refund'>('sale', 'refund'),
      lines: fc.oneof(
        { weight: 8, arbitrary: fc.array(line, { minLength: 1, maxLength: 12 }) },
        { weight: 1, arbitrary: fc.array(line, { minLength: 190, maxLength: 420 }) },
      ),
      rates: fc.option(
        fc.array(fc.constantFrom(0, 5.5, 7, 10, 19, 20), { minLength: 420, maxLength: 420 }),
        {
          nil: undefined,
        },
      ),
      pricesIncludeTax: fc.boolean(),
      taxShare: fc.double({ min: 0, max: 1, noNaN: true }),
      exponent: fc.constantFrom(0, 2, 3),
      prices: fc.constantFrom<PriceMode>('net', 'gross'),
      refundOf: fc.option(fc.constant('s_t_20261125_P-1'), { nil: undefined }),
      coupon: fc.option(text, { nil: undefined }),
      discountShare: fc.oneof(
        fc.constant(0),
        fc.constant(1),
        fc.double({ min: 0, max: 1, noNaN: true }),
      ),
      attributes: attributes(10),
      payments: fc.array(fc.constantFrom('cash', 'card', 'voucher', 'mobile'), { maxLength: 4 }),
    })
    .map((r) => {
      const lines = r.lines.map((l, i) => ({ ...l, taxRate: r.rates?.[i] }));
      const subtotal = lines.reduce((sum, l) => sum + l.lineTotal, 0);
      const discount = Math.floor(subtotal * r.discountShare);
      const tax = Math.floor(
        (subtotal - discount) * r.taxShare * (r.pricesIncludeTax ? 0.3 : 0.25),
      );
      return {
        exponent: r.exponent,
        prices: r.prices,
        t: {
          transactionId: 's_t_20261126_X-1',
          storeId: 's',
          kind: r.kind,
          occurredAt: '2026-11-26T11:00:00Z',
          currency: 'EUR',
          pricesIncludeTax: r.pricesIncludeTax,
          lines,
          subtotal,
          discount,
          tax,
          shipping: 0,
          ...(r.coupon === undefined ? {} : { coupon: r.coupon }),
          ...(r.attributes === undefined ? {} : { attributes: r.attributes }),
          payments: r.payments.map((method) => ({ method })),
          ...(r.kind === 'refund' && r.refundOf !== undefined ? { refundOf: r.refundOf } : {}),
        },
      };
    });

/** A decimal amount back to minor units (exact for what minorToDecimal produced). */
const minor = (amount: unknown, exponent: number): number =>
  Math.round(Number(amount) * 10 ** exponent);

function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(texts);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(texts);
  return [];
}

describe('mapping invariants (property-based)', () => {
  it('value = Σ price × quantity = subtotal − discount (∓ tax) to the minor unit; ≤ 200 items; within the size budget; texts ≤ 100; ≤ 25 params; valid', () => {
    fc.assert(
      fc.property(transaction, ({ t, exponent, prices }) => {
        const result = mapTransaction(t, { now, currencyExponent: exponent, prices });
        if (!result.ok) throw new Error(result.reason);
        const { params } = result.event;
        const items = params.items ?? [];
        const sum = items.reduce(
          (acc, item) => acc + minor(item.price, exponent) * Number(item.quantity),
          0,
        );
        expect(sum).toBe(minor(params['value'], exponent));
        // the basket discount comes off exactly; tax moves out (net) or in (gross) by mode
        const taxMove =
          t.pricesIncludeTax === (prices === 'net') ? (t.pricesIncludeTax ? -t.tax : t.tax) : 0;
        expect(minor(params['value'], exponent)).toBe(t.subtotal - (t.discount ?? 0) + taxMove);
        expect(Object.keys(params).length).toBeLessThanOrEqual(MP_LIMITS.paramsPerEvent);
        expect(validateRequest({ client_id: '1.2', events: [result.event] })).toEqual([]);
        const methods = [...new Set((t.payments ?? []).map((p) => p.method))].sort().join('+');
        expect(params['payment_type']).toBe(
          t.kind === 'sale' && methods !== '' ? methods : undefined,
        );
        expect(items.length).toBeLessThanOrEqual(MP_LIMITS.itemsPerEvent);
        expect(
          items.every((item) => Number.isInteger(item.quantity) && Number(item.quantity) > 0),
        ).toBe(true);
        expect(Buffer.byteLength(JSON.stringify(result.event))).toBeLessThan(MP_LIMITS.eventBytes);
        for (const s of texts(result.event)) {
          expect(s.length).toBeLessThanOrEqual(MP_LIMITS.itemParamValueLength);
          expect(/[\uD800-\uDBFF]$/.test(s)).toBe(false);
        }
        // folded lines are counted, and only when there were more lines than fit
        const folded = Number(params['pos_items_folded'] ?? 0);
        expect(result.counts.itemsFolded).toBe(folded);
        expect(t.lines.length > 100 || folded === 0).toBe(true);
        const expectedId =
          t.kind === 'refund' && t.refundOf !== undefined ? t.refundOf : t.transactionId;
        expect(params['transaction_id']).toBe(expectedId);
      }),
      { numRuns: 300 },
    );
    // a few hundred generated receipts, some of 400 lines: seconds on a busy machine
  }, 60_000);

  it('allocates exactly the receipt tax and basket discount over the lines, never more than a line holds', () => {
    fc.assert(
      fc.property(transaction, ({ t }) => {
        const net = lineAmounts(t, 'net');
        const gross = lineAmounts(t, 'gross');
        const sumNet = net.reduce((a, b) => a + b, 0);
        const sumGross = gross.reduce((a, b) => a + b, 0);
        expect(sumGross - sumNet).toBe(t.tax);
        // the receipt's own mode: the lines after the basket discount, to the minor unit
        expect(t.pricesIncludeTax ? sumGross : sumNet).toBe(t.subtotal - (t.discount ?? 0));
        expect(net.every((amount) => amount >= 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
