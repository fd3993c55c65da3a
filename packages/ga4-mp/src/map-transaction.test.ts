import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { MP_LIMITS, mapTransaction, MAX_OWN_EVENT_PARAMS, validateRequest } from './index.js';
import type { MappableLine, MappableTransaction, MappingOptions, MpItem } from './index.js';

const dir = new URL('../../../fixtures/ga4/mapping/', import.meta.url);
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.input.json'))
  .map((f) => f.replace('.input.json', ''));

interface GoldenInput {
  options: Omit<MappingOptions, 'now'> & { now: string };
  transaction: MappableTransaction;
}

function load(name: string): GoldenInput {
  return JSON.parse(readFileSync(new URL(`${name}.input.json`, dir), 'utf8')) as GoldenInput;
}

describe('golden mappings (fixtures/ga4/mapping)', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(7);
  });

  it.each(cases)('%s maps to the committed event, which the validator accepts', (name) => {
    const input = load(name);
    const result = mapTransaction(input.transaction, {
      ...input.options,
      now: Date.parse(input.options.now),
    });
    if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
    const expectedFile = new URL(`${name}.mp.json`, dir);
    // Goldens are reviewed by hand; UPDATE_GOLDEN=1 rewrites them after a deliberate change.
    if (process.env['UPDATE_GOLDEN'] === '1')
      writeFileSync(expectedFile, `${JSON.stringify(result.event, null, 2)}\n`);
    const expected: unknown = JSON.parse(readFileSync(expectedFile, 'utf8'));
    expect(result.event).toEqual(expected);
    expect(validateRequest({ client_id: '1.2', events: [result.event] })).toEqual([]);
  });
});

const base: MappableTransaction = {
  transactionId: 's_t_20261126_1',
  storeId: 's',
  kind: 'sale',
  occurredAt: '2026-11-26T10:00:00Z',
  currency: 'EUR',
  pricesIncludeTax: false,
  lines: [{ sku: 'A', name: 'A', quantity: 3, unitPrice: 1999, unitDiscount: 0, lineTotal: 5997 }],
  subtotal: 5997,
  tax: 0,
  shipping: 0,
};
const now = Date.parse('2026-11-26T12:00:00Z');

describe('mapping rules', () => {
  it('turns minor units into exact decimals (no float drift)', () => {
    const result = mapTransaction(
      {
        ...base,
        subtotal: 5997,
        tax: 1,
        lines: [{ ...base.lines[0], unitPrice: 1999, lineTotal: 5997 } as never],
      },
      { now, currencyExponent: 2 },
    );
    expect(result.ok && result.event.params['value']).toBe(59.97);
    expect(result.ok && JSON.stringify(result.event.params['tax'])).toBe('0.01');
  });

  it('takes the included tax out of value and items on VAT-inclusive receipts (net), or keeps both gross', () => {
    const vat = { ...base, pricesIncludeTax: true, tax: 957 };
    const net = mapTransaction(vat, { now, currencyExponent: 2 });
    const gross = mapTransaction(vat, { now, currencyExponent: 2, prices: 'gross' });
    expect(net.ok && net.event.params['value']).toBe(50.4);
    // 5040 over 3 units: 2 × 16.80 + 1 × 16.80 — divides, one item
    expect(net.ok && net.event.params.items).toMatchObject([{ price: 16.8, quantity: 3 }]);
    expect(gross.ok && gross.event.params['value']).toBe(59.97);
    expect(gross.ok && gross.event.params.items).toMatchObject([{ price: 19.99, quantity: 3 }]);
  });

  it('adds the tax to value and items of tax-exclusive receipts only in gross mode', () => {
    const result = mapTransaction(
      { ...base, tax: 480 },
      { now, currencyExponent: 2, prices: 'gross' },
    );
    expect(result.ok && result.event.params['value']).toBe(64.77);
    // 6477 over 3 units does not divide: 2 × 21.59 + 1 × 21.59 … 21.59 × 3 = 64.77
    expect(result.ok && result.event.params.items).toMatchObject([{ price: 21.59, quantity: 3 }]);
    const net = mapTransaction({ ...base, tax: 480 }, { now, currencyExponent: 2 });
    expect(net.ok && net.event.params['value']).toBe(59.97);
  });

  it('splits a line whose net amount does not divide by its quantity into two items a cent apart', () => {
    // 3 × 1.49 gross = 4.47, 0.71 VAT → 3.76 net = 2 × 1.25 + 1 × 1.26
    const result = mapTransaction(
      {
        ...base,
        pricesIncludeTax: true,
        lines: [
          {
            sku: 'C',
            name: 'Chocolate',
            quantity: 3,
            unitPrice: 149,
            unitDiscount: 0,
            lineTotal: 447,
          },
        ],
        subtotal: 447,
        tax: 71,
      },
      { now, currencyExponent: 2 },
    );
    expect(result.ok && result.event.params['value']).toBe(3.76);
    expect(result.ok && result.event.params.items).toMatchObject([
      { item_id: 'C', price: 1.25, quantity: 2, index: 0 },
      { item_id: 'C', price: 1.26, quantity: 1, index: 0 },
    ]);
  });

  it('allocates the tax by per-line rates when every line has one', () => {
    // 10.70 at 7 % (0.70 VAT) and 11.90 at 19 % (1.90 VAT): by line total it would split 2.60 as 1.23 / 1.37
    const lines = [
      {
        sku: 'F',
        name: 'Food',
        quantity: 1,
        unitPrice: 1070,
        unitDiscount: 0,
        lineTotal: 1070,
        taxRate: 7,
      },
      {
        sku: 'N',
        name: 'Non-food',
        quantity: 1,
        unitPrice: 1190,
        unitDiscount: 0,
        lineTotal: 1190,
        taxRate: 19,
      },
    ];
    const result = mapTransaction(
      { ...base, pricesIncludeTax: true, lines, subtotal: 2260, tax: 260 },
      { now, currencyExponent: 2 },
    );
    expect(result.ok && result.event.params.items).toMatchObject([{ price: 10 }, { price: 10 }]);
    expect(result.ok && result.event.params['value']).toBe(20);
  });

  it('dead-letters events older than the window, or re-dates and flags them', () => {
    const old = { ...base, occurredAt: '2026-11-23T10:00:00Z' }; // 74 h before now
    expect(mapTransaction(old, { now, currencyExponent: 2 })).toMatchObject({
      ok: false,
      code: 'TOO_OLD',
    });
    const redated = mapTransaction(old, { now, currencyExponent: 2, tooOld: 'redate' });
    expect(redated).toMatchObject({ ok: true, flags: ['REDATED'] });
    expect(redated.ok && redated.event.timestamp_micros).toBe(now * 1000);
    expect(redated.ok && redated.event.params['pos_occurred_at']).toBe('2026-11-23T10:00:00Z');
  });

  it('honours a shorter window and caps it at 72 h', () => {
    const fiftyHours = { ...base, occurredAt: '2026-11-24T10:00:00Z' };
    expect(mapTransaction(fiftyHours, { now, currencyExponent: 2, maxAgeHours: 48 })).toMatchObject(
      { code: 'TOO_OLD' },
    );
    const seventyThree = { ...base, occurredAt: '2026-11-23T11:00:00Z' };
    expect(
      mapTransaction(seventyThree, { now, currencyExponent: 2, maxAgeHours: 500 }),
    ).toMatchObject({ code: 'TOO_OLD' });
  });

  it('rejects events more than 15 minutes in the future as clock skew', () => {
    expect(
      mapTransaction({ ...base, occurredAt: '2026-11-26T12:16:00Z' }, { now, currencyExponent: 2 }),
    ).toMatchObject({ code: 'CLOCK_SKEW' });
    expect(
      mapTransaction({ ...base, occurredAt: '2026-11-26T12:14:00Z' }, { now, currencyExponent: 2 })
        .ok,
    ).toBe(true);
  });

  it('puts timestamp_micros in microseconds on the event', () => {
    const result = mapTransaction(base, { now, currencyExponent: 2 });
    expect(result.ok && result.event.timestamp_micros).toBe(Date.parse(base.occurredAt) * 1000);
    expect(result.ok && String(result.event.timestamp_micros).length).toBe(16);
  });

  it('sends nothing for a void', () => {
    expect(mapTransaction({ ...base, kind: 'void' }, { now, currencyExponent: 2 })).toMatchObject({
      ok: false,
      code: 'VOID_NOT_SENT',
    });
  });

  it('never emits an empty transaction_id', () => {
    const result = mapTransaction(base, { now, currencyExponent: 2 });
    expect(result.ok && result.event.params['transaction_id']).toBe('s_t_20261126_1');
  });

  it('folds lines beyond GA4’s 200 items into one pos_other_items item, value unchanged', () => {
    const lines = Array.from({ length: 300 }, (_, n) => ({
      sku: `S-${n}`,
      name: `Line ${n}`,
      quantity: 1,
      unitPrice: 100 + n,
      unitDiscount: 0,
      lineTotal: 100 + n,
    }));
    const subtotal = lines.reduce((sum, l) => sum + l.lineTotal, 0);
    const result = mapTransaction({ ...base, lines, subtotal }, { now, currencyExponent: 2 });
    if (!result.ok) throw new Error(result.reason);
    const items = result.event.params.items ?? [];
    expect(items).toHaveLength(200);
    expect(items[199]).toMatchObject({
      item_id: 'pos_other_items',
      item_name: '101 more lines',
      quantity: 1,
    });
    // lines 199…299 cost 100+199 … 100+299
    expect(items[199]?.price).toBe(((299 + 399) * 101) / 2 / 100);
    expect(result.event.params['pos_items_folded']).toBe(101);
    expect(result.counts.itemsFolded).toBe(101);
    expect(result.flags).toContain('ITEMS_FOLDED');
    expect(result.event.params['value']).toBe(subtotal / 100);
  });

  it('keeps the worst-case receipt sendable: drops optional item params, then folds more lines', () => {
    const euro = (n: number): string => '€'.repeat(n); // 3 bytes each in UTF-8
    const lines = Array.from({ length: 1000 }, (_, n) => ({
      sku: `${euro(58)}${String(n).padStart(6, '0')}`,
      name: euro(150),
      brand: euro(150),
      category: euro(150),
      variant: euro(150),
      quantity: 3,
      unitPrice: 1999,
      unitDiscount: 0,
      lineTotal: 5997,
    }));
    const result = mapTransaction(
      { ...base, pricesIncludeTax: true, lines, subtotal: 5_997_000, tax: 957_000 },
      { now, currencyExponent: 2 },
    );
    if (!result.ok) throw new Error(result.reason);
    const items = result.event.params.items ?? [];
    expect(Buffer.byteLength(JSON.stringify(result.event))).toBeLessThan(120_000);
    expect(items.length).toBeLessThanOrEqual(200);
    expect(result.flags).toEqual(
      expect.arrayContaining(['ITEMS_FOLDED', 'PARAMS_TRIMMED', 'TEXT_TRUNCATED']),
    );
    expect(items[0]).not.toHaveProperty('item_brand');
    expect(items[0]?.item_name).toHaveLength(100);
    const cents = items.reduce(
      (sum, i) => sum + Math.round(Number(i.price) * 100) * Number(i.quantity),
      0,
    );
    expect(cents).toBe(5_997_000 - 957_000);
    expect(result.event.params['value']).toBe(50_400);
  });

  it('folds more lines when even trimmed items do not fit the given budget', () => {
    const lines = Array.from({ length: 150 }, (_, n) => ({
      sku: `S-${n}`,
      name: 'x'.repeat(100),
      quantity: 1,
      unitPrice: 100,
      unitDiscount: 0,
      lineTotal: 100,
    }));
    const result = mapTransaction(
      { ...base, lines, subtotal: 15_000 },
      { now, currencyExponent: 2, maxEventBytes: 8_000 },
    );
    if (!result.ok) throw new Error(result.reason);
    expect(Buffer.byteLength(JSON.stringify(result.event))).toBeLessThan(8_000);
    expect(result.counts.itemsFolded).toBeGreaterThan(0);
    expect(result.event.params['value']).toBe(150);
  });

  it('cuts texts over 100 UTF-16 units instead of rejecting, without splitting an emoji', () => {
    const name = `${'a'.repeat(99)}😀 tail`; // the emoji straddles the limit
    const result = mapTransaction(
      { ...base, coupon: 'C'.repeat(120), lines: [{ ...base.lines[0], name } as never] },
      { now, currencyExponent: 2 },
    );
    if (!result.ok) throw new Error(result.reason);
    expect(result.event.params.items?.[0]?.item_name).toBe('a'.repeat(99));
    expect(result.event.params['coupon']).toBe('C'.repeat(100));
    expect(result.counts.textsTruncated).toBe(2);
    expect(result.flags).toContain('TEXT_TRUNCATED');
  });

  it('sends a refund that names its purchase on the purchase id, its own id in pos_refund_id', () => {
    const result = mapTransaction(
      { ...base, kind: 'refund', transactionId: 's_t_20261126_R1', refundOf: 's_t_20261125_9' },
      { now, currencyExponent: 2 },
    );
    expect(result.ok && result.event.params).toMatchObject({
      transaction_id: 's_t_20261125_9',
      pos_refund_id: 's_t_20261126_R1',
    });
    const alone = mapTransaction({ ...base, kind: 'refund' }, { now, currencyExponent: 2 });
    expect(alone.ok && alone.event.params['transaction_id']).toBe(base.transactionId);
    expect(alone.ok && alone.event.params).not.toHaveProperty('pos_refund_id');
  });
});

describe('more from the receipt: categories, coupons, basket discounts, custom params', () => {
  const line = (overrides: Partial<MappableLine>): MappableLine => ({
    sku: 'A',
    name: 'A',
    quantity: 1,
    unitPrice: 1000,
    unitDiscount: 0,
    lineTotal: 1000,
    ...overrides,
  });
  const map = (t: Partial<MappableTransaction>, options: Partial<MappingOptions> = {}) => {
    const result = mapTransaction({ ...base, ...t }, { now, currencyExponent: 2, ...options });
    if (!result.ok) throw new Error(result.reason);
    return result;
  };
  const cents = (items: readonly MpItem[]): number =>
    items.reduce((sum, i) => sum + Math.round(Number(i.price) * 100) * Number(i.quantity), 0);

  it('sends category levels 2-5 and the line coupon as item params, cut to 100', () => {
    const { event, counts } = map({
      lines: [
        line({
          category: 'Food',
          category2: 'Dairy',
          category3: 'Cheese',
          category4: 'Hard cheese',
          category5: 'x'.repeat(120),
          coupon: 'CHEESE10',
        }),
      ],
      subtotal: 1000,
    });
    expect(event.params.items?.[0]).toMatchObject({
      item_category: 'Food',
      item_category2: 'Dairy',
      item_category3: 'Cheese',
      item_category4: 'Hard cheese',
      item_category5: 'x'.repeat(100),
      coupon: 'CHEESE10',
    });
    expect(counts.textsTruncated).toBe(1);
  });

  it('spreads a basket discount over the lines by line total before the tax (net, VAT-inclusive)', () => {
    // 10 % off 30.00 + 10.00 = 40.00 → 36.00 paid, 19 % VAT included: 5.75
    const lines = [line({ sku: 'A', quantity: 3, lineTotal: 3000 }), line({ sku: 'B' })];
    const { event } = map({
      pricesIncludeTax: true,
      lines,
      subtotal: 4000,
      discount: 400,
      tax: 575,
    });
    // discount 300 / 100; tax over 2700 / 900 → 431 / 144; net 2269 / 756
    expect(event.params['value']).toBe(30.25); // 40.00 − 4.00 − 5.75
    const items = event.params.items ?? [];
    expect(cents(items)).toBe(3025);
    expect(items).toMatchObject([
      { item_id: 'A', price: 7.56, quantity: 2, discount: 0.84 },
      { item_id: 'A', price: 7.57, quantity: 1, discount: 0.84 },
      { item_id: 'B', price: 7.56, quantity: 1, discount: 0.84 },
    ]);
    const gross = map(
      { pricesIncludeTax: true, lines, subtotal: 4000, discount: 400, tax: 575 },
      { prices: 'gross' },
    ).event;
    expect(gross.params['value']).toBe(36);
    expect(gross.params.items).toMatchObject([
      { item_id: 'A', price: 9, quantity: 3, discount: 1 },
      { item_id: 'B', price: 9, quantity: 1, discount: 1 },
    ]);
  });

  it('adds the basket share to the line discount per unit, and caps it at the line', () => {
    const lines = [
      line({ sku: 'A', quantity: 2, unitPrice: 500, unitDiscount: 100, lineTotal: 800 }),
      line({ sku: 'F', name: 'Free', unitPrice: 0, lineTotal: 0 }),
      line({ sku: 'W', quantity: 0.5, unitPrice: 400, lineTotal: 200 }),
    ];
    const { event } = map({ lines, subtotal: 1000, discount: 1000 });
    expect(event.params['value']).toBe(0);
    expect(event.params.items).toMatchObject([
      { item_id: 'A', price: 0, quantity: 2, discount: 5 },
      { item_id: 'F', price: 0, quantity: 1 },
      { item_id: 'W', price: 0, quantity: 1, discount: 2, measured_quantity: 0.5 },
    ]);
    expect(event.params.items?.[1]).not.toHaveProperty('discount');
  });

  it('takes the basket discount off a full refund without lines', () => {
    const refund = { kind: 'refund' as const, lines: [], subtotal: 4000, discount: 400 };
    expect(map({ ...refund, pricesIncludeTax: true, tax: 575 }).event.params['value']).toBe(30.25);
    expect(
      map({ ...refund, pricesIncludeTax: true, tax: 575 }, { prices: 'gross' }).event.params[
        'value'
      ],
    ).toBe(36);
    expect(map({ ...refund, tax: 360 }, { prices: 'gross' }).event.params['value']).toBe(39.6);
  });

  it('sends attributes as custom event and item params, texts cut to 100, numbers as they are', () => {
    const { event } = map({
      attributes: { cashier_shift: 'late', basket_size: 3, note: 'n'.repeat(150) },
      lines: [line({ attributes: { shelf: 'B-12', weight_g: 250.5 } })],
      subtotal: 1000,
    });
    expect(event.params).toMatchObject({ cashier_shift: 'late', basket_size: 3 });
    expect(event.params['note']).toBe('n'.repeat(100));
    expect(event.params.items?.[0]).toMatchObject({ shelf: 'B-12', weight_g: 250.5 });
  });

  it('never lets an attribute overwrite a parameter pos-ga4 sets', () => {
    const { event } = map({
      attributes: { value: 1, transaction_id: 'x' },
      lines: [line({ attributes: { price: 1 } })],
      subtotal: 1000,
    });
    expect(event.params).toMatchObject({ value: 10, transaction_id: base.transactionId });
    expect(event.params.items?.[0]?.price).toBe(10);
  });

  it('derives payment_type from the tenders (each once, sorted), on purchases only', () => {
    const payments = [{ method: 'cash' }, { method: 'card' }, { method: 'cash' }];
    expect(map({ payments }).event.params['payment_type']).toBe('card+cash');
    expect(map({ payments: [{ method: 'card' }] }).event.params['payment_type']).toBe('card');
    expect(map({ payments: [] }).event.params).not.toHaveProperty('payment_type');
    expect(map({ payments, kind: 'refund' }).event.params).not.toHaveProperty('payment_type');
  });

  it('stays within 25 params with every own param and 10 attributes, purchase and refund', () => {
    const lines = Array.from({ length: 250 }, (_, n) => line({ sku: `S-${n}` }));
    const attributes = Object.fromEntries(Array.from({ length: 10 }, (_, n) => [`custom_${n}`, n]));
    const maximal = {
      lines,
      subtotal: 250_000,
      coupon: 'C',
      payments: [{ method: 'card' }],
      occurredAt: '2026-11-22T10:00:00Z',
    };
    for (const kind of ['sale', 'refund'] as const) {
      const t = { ...maximal, kind, ...(kind === 'refund' ? { refundOf: 's_t_20261121_1' } : {}) };
      const own = map(t, { tooOld: 'redate' }).event;
      expect(Object.keys(own.params)).toHaveLength(MAX_OWN_EVENT_PARAMS);
      const full = map({ ...t, attributes }, { tooOld: 'redate' }).event;
      expect(Object.keys(full.params).length).toBeLessThanOrEqual(MP_LIMITS.paramsPerEvent);
      expect(validateRequest({ client_id: '1.2', events: [full] })).toEqual([]);
    }
    expect(MAX_OWN_EVENT_PARAMS + 10).toBeLessThanOrEqual(MP_LIMITS.paramsPerEvent);
  });

  it('measures events whose texts JSON escapes to 6 bytes a character, and trims them to fit', () => {
    const control = (c: string): string => c.repeat(100);
    const lines = Array.from({ length: 45 }, (_, n) =>
      line({
        sku: `S-${n}`,
        name: control('\u0001'),
        brand: control('\u0002'),
        category: control('\u0003'),
        category2: control('\u0004'),
        variant: control('\u0005'),
        coupon: control('\u0006'),
        attributes: { shelf: control('\u0007') },
      }),
    );
    const result = map({ lines, subtotal: 45_000 }, { affiliation: control('\u0008') });
    expect(Buffer.byteLength(JSON.stringify(result.event))).toBeLessThan(MP_LIMITS.eventBytes);
    expect(result.flags).toContain('PARAMS_TRIMMED');
    expect(result.event.params.items?.[0]).not.toHaveProperty('shelf');
    expect(result.event.params.items?.[0]).not.toHaveProperty('item_category2');
    expect(result.event.params['value']).toBe(450);
  });
});
