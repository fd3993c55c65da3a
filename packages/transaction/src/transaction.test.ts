import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import {
  completeTransaction,
  deriveTransactionId,
  isValidGtin,
  lineTotalMatches,
  parseTransaction,
} from './index.js';

const fixture = new URL('../../../fixtures/receipts/demo-day.jsonl', import.meta.url);
const drafts = readFileSync(fixture, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Record<string, unknown>);

function sale(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    storeId: 'berlin-01',
    terminalId: 'till-1',
    receiptNumber: '42',
    kind: 'sale',
    occurredAt: '2026-11-26T10:00:00+01:00',
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: [{ sku: 'A-1', name: 'Pen', quantity: 2, unitPrice: 150, lineTotal: 300 }],
    subtotal: 300,
    tax: 48,
    total: 300,
    source: { format: 'jsonl' },
    ...overrides,
  };
}

function codeOf(draft: Record<string, unknown>): string | undefined {
  const result = completeTransaction(draft);
  return result.ok ? undefined : result.rejection.code;
}

describe('the Transaction contract', () => {
  it('accepts every demo fixture receipt and derives its id', () => {
    expect(drafts.length).toBeGreaterThan(5);
    for (const draft of drafts) {
      const result = completeTransaction({ ...draft, source: { format: 'jsonl' } });
      if (!result.ok)
        throw new Error(`${String(draft['receiptNumber'])}: ${result.rejection.reason}`);
      expect(result.transaction.transactionId).toMatch(/^[A-Za-z0-9-]+_[A-Za-z0-9-]+_\d{8}_/);
      expect(result.transaction.schemaVersion).toBe(1);
    }
  });

  it('fills defaults: shipping, rounding, payments, identities, unit discount', () => {
    const result = completeTransaction(sale());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.transaction).toMatchObject({
      shipping: 0,
      rounding: 0,
      payments: [],
      identities: [],
    });
    expect(result.transaction.lines[0]?.unitDiscount).toBe(0);
  });

  it.each([
    ['lines that do not add up to the subtotal', { subtotal: 301, total: 301 }, 'TOTALS_MISMATCH'],
    ['a total that does not add up (VAT inclusive)', { total: 348 }, 'TOTALS_MISMATCH'],
    [
      'a total that does not add up (tax added)',
      { pricesIncludeTax: false, total: 300 },
      'TOTALS_MISMATCH',
    ],
    [
      'a wrong line total',
      { lines: [{ sku: 'A', name: 'Pen', quantity: 2, unitPrice: 150, lineTotal: 299 }] },
      'LINE_TOTAL_MISMATCH',
    ],
    [
      'payments that do not cover the total',
      { payments: [{ method: 'card', amount: 200 }] },
      'PAYMENTS_MISMATCH',
    ],
    ['an unknown currency', { currency: 'XYZ' }, 'CURRENCY_UNKNOWN'],
    ['a lower-case currency', { currency: 'eur' }, 'SCHEMA_INVALID'],
    ['a decimal amount', { subtotal: 3.0001 }, 'SCHEMA_INVALID'],
    ['a negative amount', { tax: -1 }, 'SCHEMA_INVALID'],
    ['a sale without lines', { lines: [], subtotal: 0, total: 0 }, 'NO_LINES'],
    ['an empty receipt number', { receiptNumber: '' }, 'SCHEMA_INVALID'],
    ['an empty store id', { storeId: '' }, 'SCHEMA_INVALID'],
    ['a time without offset', { occurredAt: '2026-11-26T10:00:00' }, 'SCHEMA_INVALID'],
    ['a wrong transaction id', { transactionId: 'x' }, 'TRANSACTION_ID_MISMATCH'],
    ['refundOf on a sale', { refundOf: 'berlin-01_till-1_20261126_41' }, 'REFUND_OF_INVALID'],
    ['an unknown field', { cashier: 'Anna' }, 'SCHEMA_INVALID'],
    ['a future schema version', { schemaVersion: 2 }, 'SCHEMA_VERSION_UNSUPPORTED'],
    ['included tax above the subtotal', { tax: 301 }, 'TAX_INVALID'],
    [
      'a bad GTIN check digit',
      {
        lines: [
          { gtin: '4006381333932', name: 'Pen', quantity: 2, unitPrice: 150, lineTotal: 300 },
        ],
      },
      'GTIN_INVALID',
    ],
    [
      'a line with neither sku nor gtin',
      { lines: [{ name: 'Pen', quantity: 2, unitPrice: 150, lineTotal: 300 }] },
      'SCHEMA_INVALID',
    ],
    [
      'a quantity with four decimals',
      {
        lines: [{ sku: 'A', name: 'Ham', quantity: 0.1234, unitPrice: 1000, lineTotal: 123 }],
        subtotal: 123,
        total: 123,
        tax: 0,
      },
      'SCHEMA_INVALID',
    ],
  ])('rejects %s', (_name, overrides, code) => {
    expect(codeOf(sale(overrides))).toBe(code);
  });

  it('accepts decimal quantities, discounts, cash rounding and tax-exclusive totals', () => {
    const result = completeTransaction(
      sale({
        pricesIncludeTax: false,
        lines: [
          { sku: 'H', name: 'Ham (kg)', quantity: 0.255, unitPrice: 1899, lineTotal: 484 },
          { sku: 'C', name: 'Cola', quantity: 3, unitPrice: 120, unitDiscount: 20, lineTotal: 300 },
        ],
        subtotal: 784,
        tax: 55,
        shipping: 100,
        rounding: -4,
        total: 935,
        payments: [{ method: 'cash', amount: 935 }],
      }),
    );
    expect(result.ok ? 'ok' : result.rejection.reason).toBe('ok');
  });

  it('accepts a full refund without lines', () => {
    const draft = sale({
      kind: 'refund',
      lines: [],
      subtotal: 300,
      total: 300,
      refundOf: 'berlin-01_till-1_20261126_41',
    });
    expect(codeOf(draft)).toBeUndefined();
  });

  it('rejects a store that differs from the pinned terminal identity', () => {
    const result = completeTransaction(sale(), { storeId: 'paris-02' });
    expect(result.ok ? undefined : result.rejection.code).toBe('IDENTITY_MISMATCH');
  });

  it('fills store and terminal from the context when the record has none', () => {
    const draft = sale();
    delete draft['storeId'];
    const result = completeTransaction(draft, { storeId: 'paris-02', terminalId: 'till-1' });
    expect(result.ok && result.transaction.transactionId).toBe('paris-02_till-1_20261126_42');
  });

  it('parseTransaction requires the derived fields', () => {
    const result = parseTransaction(sale());
    expect(result.ok).toBe(false);
  });

  it('names the field and the problem in the reason', () => {
    const result = completeTransaction(sale({ currency: 'eur' }));
    expect(result.ok ? '' : result.rejection.reason).toMatch(/^currency: .*ISO 4217/);
  });
});

describe('texts longer than GA4 keeps', () => {
  it('accepts a 101-character name and 51 emoji (the mapping cuts them; the sale is kept)', () => {
    for (const name of ['x'.repeat(101), '🎄'.repeat(51), 'n'.repeat(1000)]) {
      const line = { sku: 'A-1', name, brand: name, quantity: 2, unitPrice: 150, lineTotal: 300 };
      expect(codeOf(sale({ lines: [line], coupon: name }))).toBeUndefined();
    }
    expect(codeOf(sale({ coupon: 'c'.repeat(1001) }))).toBe('SCHEMA_INVALID');
  });
});

describe('more from the receipt: basket discount, categories, line coupons, attributes', () => {
  const reasonOf = (draft: Record<string, unknown>): string => {
    const result = completeTransaction(draft);
    return result.ok ? 'ok' : `${result.rejection.code} ${result.rejection.reason}`;
  };
  const line = { sku: 'A-1', name: 'Pen', quantity: 2, unitPrice: 150, lineTotal: 300 };

  it('takes a basket discount off the total (VAT inclusive and added), 0 by default', () => {
    expect(reasonOf(sale({ discount: 30, tax: 43, total: 270 }))).toBe('ok');
    expect(reasonOf(sale({ pricesIncludeTax: false, discount: 30, tax: 51, total: 321 }))).toBe(
      'ok',
    );
    const plain = completeTransaction(sale());
    expect(plain.ok && plain.transaction.discount).toBe(0);
  });

  it.each([
    [
      'a total that ignores the discount',
      { discount: 30 },
      'TOTALS_MISMATCH total: total 300 differs from 270 (subtotal - discount + shipping + rounding)',
    ],
    [
      'a discount above the subtotal',
      { discount: 301, total: 0, tax: 0 },
      'TOTALS_MISMATCH discount: discount 301 exceeds the subtotal 300',
    ],
    [
      'included tax above the discounted subtotal',
      { discount: 260, tax: 41, total: 40 },
      'TAX_INVALID tax: included tax exceeds the subtotal less the discount',
    ],
  ])('rejects %s', (_name, overrides, reason) => {
    expect(reasonOf(sale(overrides))).toBe(reason);
  });

  it('accepts category levels 2-5, a line coupon and custom attributes (texts or numbers)', () => {
    const result = completeTransaction(
      sale({
        attributes: { cashier_shift: 'late', basket_size: 3, Promo_Slot: 'x'.repeat(1000) },
        lines: [
          {
            ...line,
            category: 'Office',
            category2: 'Writing',
            category3: 'Pens',
            category4: 'Gel pens',
            category5: 'Blue',
            coupon: 'PENS10',
            attributes: { shelf: 'B-12', weight_g: 12.5 },
          },
        ],
      }),
    );
    expect(result.ok ? 'ok' : result.rejection.reason).toBe('ok');
    expect(result.ok && result.transaction.lines[0]).toMatchObject({
      category5: 'Blue',
      coupon: 'PENS10',
      attributes: { shelf: 'B-12', weight_g: 12.5 },
    });
  });

  const ten = Object.fromEntries(Array.from({ length: 10 }, (_, n) => [`a${n}`, n]));
  it.each([
    [
      'an 11th attribute',
      { attributes: { ...ten, a10: 10 } },
      /^attributes: 11 attributes; at most 10 \(GA4 keeps 25 parameters per event/,
    ],
    [
      'a name GA4 does not accept',
      { attributes: { '1st': 'x' } },
      /^attributes\.1st: "1st" is not a GA4 parameter name/,
    ],
    [
      'a name of 41 characters',
      { attributes: { ['a'.repeat(41)]: 1 } },
      /is not a GA4 parameter name/,
    ],
    [
      'a reserved prefix, in any case',
      { attributes: { Google_tag: 'x' } },
      /^attributes\.Google_tag: "Google_tag" starts with google_, a prefix GA4 reserves/,
    ],
    [
      'a parameter pos-ga4 sets',
      { attributes: { value: 1 } },
      /^attributes\.value: "value" is an event parameter pos-ga4 sets itself .*choose another name/,
    ],
    [
      'payment_type, which pos-ga4 derives',
      { attributes: { payment_type: 'card' } },
      /pos-ga4 sets itself/,
    ],
    [
      'a pos_ name',
      { attributes: { pos_lane: 3 } },
      /^attributes\.pos_lane: .*pos-ga4 sets itself/,
    ],
    [
      'an empty text',
      { attributes: { note: '' } },
      /^attributes\.note: must be a text \(1-1000 characters\) or a finite number/,
    ],
    ['a boolean', { attributes: { member: true } }, /^attributes\.member: must be a text/],
    [
      'a GA4 item parameter on a line',
      { lines: [{ ...line, attributes: { item_category2: 'x' } }] },
      /^lines\.0\.attributes\.item_category2: .*an item parameter pos-ga4 sets itself/,
    ],
    [
      'measured_quantity on a line',
      { lines: [{ ...line, attributes: { measured_quantity: 1 } }] },
      /pos-ga4 sets itself/,
    ],
    [
      '11 attributes on a line',
      { lines: [{ ...line, attributes: { ...ten, a10: 1 } }] },
      /^lines\.0\.attributes: 11 attributes; at most 10 \(GA4 keeps 10 custom parameters per item\)/,
    ],
    [
      '10 attributes on a line with a decimal quantity',
      {
        lines: [
          { sku: 'H', name: 'Ham', quantity: 0.5, unitPrice: 600, lineTotal: 300, attributes: ten },
        ],
      },
      /^lines\.0\.attributes: at most 9 attributes on a line with a decimal quantity: measured_quantity/,
    ],
  ])('rejects %s with a message naming the attribute', (_name, overrides, reason) => {
    const result = completeTransaction(sale(overrides));
    expect(result.ok ? undefined : result.rejection.code).toBe('SCHEMA_INVALID');
    expect(result.ok ? 'ok' : result.rejection.reason).toMatch(reason);
  });

  it('accepts 10 attributes on a line and 9 on a decimal-quantity line', () => {
    const nine = Object.fromEntries(Object.entries(ten).slice(0, 9));
    expect(reasonOf(sale({ attributes: ten, lines: [{ ...line, attributes: ten }] }))).toBe('ok');
    const weighed = { sku: 'H', name: 'Ham', quantity: 0.5, unitPrice: 600, lineTotal: 300 };
    expect(reasonOf(sale({ lines: [{ ...weighed, attributes: nine }] }))).toBe('ok');
  });
});

describe('the business date is the store-zone date of occurredAt', () => {
  const idIn = (occurredAt: string, timeZone: string): string | false => {
    const result = completeTransaction(sale({ occurredAt }), { timeZone });
    return result.ok && result.transaction.transactionId;
  };

  it('gives one id for one instant, whatever offset the record was written with', () => {
    const ids = [
      '2026-11-26T00:30:00+01:00',
      '2026-11-25T23:30:00Z',
      '2026-11-25T18:30:00-05:00',
      '2026-11-26T08:30:00+09:00',
    ].map((occurredAt) => idIn(occurredAt, 'Europe/Berlin'));
    expect(new Set(ids)).toEqual(new Set(['berlin-01_till-1_20261126_42']));
  });

  it("uses the store's zone, not the record's offset, for the date", () => {
    expect(idIn('2026-11-26T00:30:00+01:00', 'America/New_York')).toBe(
      'berlin-01_till-1_20261125_42',
    );
    expect(idIn('2026-11-25T23:30:00Z', 'Asia/Tokyo')).toBe('berlin-01_till-1_20261126_42');
  });

  it('rewrites occurredAt to the same instant in the store zone', () => {
    const result = completeTransaction(sale({ occurredAt: '2026-11-25T23:30:00.5Z' }), {
      timeZone: 'Europe/Berlin',
    });
    expect(result.ok && result.transaction.occurredAt).toBe('2026-11-26T00:30:00.5+01:00');
  });

  it('keeps both instants of the repeated hour at DST end on the same business date', () => {
    // 02:30 happens twice in Berlin on 2026-10-25 (+02:00, then +01:00)
    expect(idIn('2026-10-25T00:30:00Z', 'Europe/Berlin')).toBe('berlin-01_till-1_20261025_42');
    expect(idIn('2026-10-25T01:30:00Z', 'Europe/Berlin')).toBe('berlin-01_till-1_20261025_42');
    // the last second before local midnight vs the first one after, across a DST change at 24:00
    expect(idIn('2026-09-06T03:59:59Z', 'America/Santiago')).toBe('berlin-01_till-1_20260905_42');
    expect(idIn('2026-09-06T04:00:00Z', 'America/Santiago')).toBe('berlin-01_till-1_20260906_42');
  });

  it('accepts a given transactionId only when it was derived from the store-zone date', () => {
    const utcDay = sale({
      occurredAt: '2026-11-25T23:30:00Z',
      transactionId: 'berlin-01_till-1_20261125_42',
    });
    const result = completeTransaction(utcDay, { timeZone: 'Europe/Berlin' });
    expect(result.ok ? undefined : result.rejection.code).toBe('TRANSACTION_ID_MISMATCH');
  });

  it('leaves occurredAt as written without a zone, and leaves malformed text to the schema', () => {
    const asWritten = completeTransaction(sale({ occurredAt: '2026-11-25T23:30:00Z' }));
    expect(asWritten.ok && asWritten.transaction.transactionId).toBe(
      'berlin-01_till-1_20261125_42',
    );
    const malformed = completeTransaction(sale({ occurredAt: '2026-11-26 00:30' }), {
      timeZone: 'Europe/Berlin',
    });
    expect(malformed.ok ? undefined : malformed.rejection.code).toBe('SCHEMA_INVALID');
  });
});

describe('deriveTransactionId', () => {
  const base = { storeId: 's1', terminalId: 't1', occurredAt: '2026-01-02T23:59:00-08:00' };

  it('uses the local business date and keeps readable receipts readable', () => {
    expect(deriveTransactionId({ ...base, receiptNumber: 'R-7' })).toBe('s1_t1_20260102_R-7');
  });

  it('encodes other characters injectively and never emits a colon', () => {
    const a = deriveTransactionId({ ...base, receiptNumber: '12/3' });
    const b = deriveTransactionId({ ...base, receiptNumber: '12.2F3' });
    expect(a).toBe('s1_t1_20260102_12.2F3');
    expect(b).toBe('s1_t1_20260102_12.2E2F3');
    expect(deriveTransactionId({ ...base, receiptNumber: 'a:b' })).not.toContain(':');
  });

  it('is never all digits and at most 100 characters', () => {
    const long = deriveTransactionId({
      storeId: 'abcdefghijklmnopqrstuvwx',
      terminalId: 'abcdefghijklmnopqrstuvwx',
      occurredAt: base.occurredAt,
      receiptNumber: '~'.repeat(32),
    });
    expect(long.length).toBeLessThanOrEqual(100);
    expect(long).toMatch(/_h[0-9a-f]{20}$/);
    expect(deriveTransactionId({ ...base, receiptNumber: '123' })).not.toMatch(/^\d+$/);
  });
});

describe('money helpers', () => {
  it('accepts either rounding of the exact line total, nothing further', () => {
    const line = { quantity: 0.255, unitPrice: 1899, unitDiscount: 0 };
    // exact: 484.245
    expect(lineTotalMatches({ ...line, lineTotal: 484 })).toBe(true);
    expect(lineTotalMatches({ ...line, lineTotal: 485 })).toBe(true);
    expect(lineTotalMatches({ ...line, lineTotal: 483 })).toBe(false);
    expect(lineTotalMatches({ ...line, lineTotal: 486 })).toBe(false);
  });

  it('checks GTIN check digits', () => {
    expect(isValidGtin('4006381333931')).toBe(true);
    expect(isValidGtin('012345678905')).toBe(true);
    expect(isValidGtin('96385074')).toBe(true);
    expect(isValidGtin('4006381333932')).toBe(false);
    expect(isValidGtin('40063813339')).toBe(false);
  });
});
