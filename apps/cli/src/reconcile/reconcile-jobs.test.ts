import { completeTransaction } from '@pos-ga4/transaction';
import type { Transaction } from '@pos-ga4/transaction';
import { describe, expect, it } from 'vitest';

import { reconcile } from './reconcile-jobs.js';

function tx(receipt: string, overrides: Record<string, unknown> = {}): Transaction {
  const result = completeTransaction({
    storeId: 'berlin-01',
    terminalId: 'till-1',
    receiptNumber: receipt,
    kind: 'sale',
    occurredAt: '2026-11-26T10:00:00+01:00',
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: [{ sku: 'A', name: 'Pen', quantity: 1, unitPrice: 1999, lineTotal: 1999 }],
    subtotal: 1999,
    tax: 319,
    total: 1999,
    source: { format: 'jsonl' },
    ...overrides,
  });
  if (!result.ok) throw new Error(result.rejection.reason);
  return result.transaction;
}

describe('reconcile', () => {
  it('accounts for every receipt to the cent, per store, day and currency', () => {
    const rows = reconcile([
      { transaction: tx('1'), fate: 'delivered' },
      { transaction: tx('2'), fate: 'dead-lettered', reason: 'TOO_OLD' },
      { transaction: tx('3'), fate: 'pending' },
      { transaction: tx('4', { kind: 'void' }), fate: 'skipped' },
      {
        transaction: tx('5', { kind: 'refund', refundOf: tx('1').transactionId }),
        fate: 'delivered',
      },
      { transaction: tx('6', { storeId: 'paris-02' }), fate: 'delivered' },
    ]);
    expect(rows.map((r) => r.storeId)).toEqual(['berlin-01', 'paris-02']);
    expect(rows[0]).toMatchObject({
      day: '2026-11-26',
      captured: {
        sales: { count: 3, total: 5997 },
        refunds: { count: 1, total: 1999 },
        voids: { count: 1, total: 1999 },
      },
      delivered: { purchases: { count: 1, total: 1999 }, refunds: { count: 1, total: 1999 } },
      deadLettered: { TOO_OLD: { count: 1, total: 1999 } },
      pending: { count: 1, total: 1999 },
      skipped: { count: 1, total: 1999 },
      difference: { count: 0, total: 0 },
    });
  });

  it('filters by store and day', () => {
    const jobs = [
      { transaction: tx('1'), fate: 'delivered' as const },
      { transaction: tx('2', { storeId: 'paris-02' }), fate: 'delivered' as const },
    ];
    expect(reconcile(jobs, { storeId: 'paris-02' })).toHaveLength(1);
    expect(reconcile(jobs, { day: '2026-11-27' })).toHaveLength(0);
  });
});
