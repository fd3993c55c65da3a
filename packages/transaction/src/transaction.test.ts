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
