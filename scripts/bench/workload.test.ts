import { completeTransaction } from '@pos-ga4/transaction';
import type { Transaction } from '@pos-ga4/transaction';
import { describe, expect, it } from 'vitest';

import { buildWorkload, repeatPurchases } from './workload.js';

function sale(till: string, minute: number, client?: string): Transaction {
  const result = completeTransaction({
    storeId: 'store-1',
    terminalId: till,
    receiptNumber: String(minute),
    kind: 'sale',
    occurredAt: new Date(Date.UTC(2026, 10, 26, 10, minute)).toISOString(),
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: [{ sku: 'A', name: 'A', quantity: 1, unitPrice: 100, lineTotal: 100 }],
    subtotal: 100,
    tax: 16,
    total: 100,
    identities: client === undefined ? [] : [{ kind: 'ga-client-id', value: client }],
    source: { format: 'jsonl' },
  });
  if (!result.ok) throw new Error(result.rejection.reason);
  return result.transaction;
}

describe('repeatPurchases', () => {
  it('counts identified customers, their optimum, and the gaps and tills between their purchases', () => {
    const stats = repeatPurchases([
      sale('till-1', 0, '1.1'),
      sale('till-2', 3, '1.1'),
      sale('till-2', 4, '1.1'),
      sale('till-1', 5),
      sale('till-1', 9, '2.2'),
    ]);
    expect(stats).toMatchObject({
      clients: 2,
      events: 4,
      optimum: 2,
      pairs: 2,
      pairsOnSameTill: 1,
    });
    expect([stats.gapP10Seconds, stats.gapP90Seconds]).toEqual([60, 180]);
  });

  it('gives the bench workload about 20 % identified customers who mostly buy again on another till', () => {
    const stats = repeatPurchases(buildWorkload(5_000, Date.UTC(2026, 10, 26, 12)));
    expect(stats.events / 5_000).toBeGreaterThan(0.17);
    expect(stats.events / 5_000).toBeLessThan(0.23);
    expect(stats.pairs).toBe(stats.events - stats.clients);
    expect(stats.pairsOnSameTill).toBeLessThan(stats.pairs * 0.01);
  });
});
