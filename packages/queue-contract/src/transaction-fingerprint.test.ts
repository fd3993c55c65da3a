import { completeTransaction } from '@pos-ga4/transaction';
import type { Transaction } from '@pos-ga4/transaction';
import { describe, expect, it } from 'vitest';

import { fingerprintKey, partitionOf, transactionFingerprint } from './index.js';

function transaction(overrides: Record<string, unknown> = {}): Transaction {
  const result = completeTransaction({
    storeId: 's1',
    terminalId: 't1',
    receiptNumber: '0001',
    kind: 'sale',
    occurredAt: '2026-11-26T10:00:00+01:00',
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: [{ sku: 'A', name: 'Pen', quantity: 1, unitPrice: 100, lineTotal: 100 }],
    subtotal: 100,
    tax: 16,
    total: 100,
    source: { format: 'jsonl', captureRef: 'day.jsonl@0+200' },
    ...overrides,
  });
  if (!result.ok) throw new Error(result.rejection.reason);
  return result.transaction;
}

describe('transaction fingerprints', () => {
  it('are equal for re-sends of one receipt: another capture, scans joined or not, key order', () => {
    const first = transaction();
    const fingerprint = transactionFingerprint(first);
    expect(fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(
      transactionFingerprint(transaction({ source: { format: 'escpos', captureRef: 'x@9+9' } })),
    ).toBe(fingerprint);
    expect(
      transactionFingerprint(
        transaction({ identities: [{ kind: 'loyalty-card', value: '4711' }] }),
      ),
    ).toBe(fingerprint);
    const reordered = Object.fromEntries(Object.entries(first).reverse()) as Transaction;
    expect(transactionFingerprint(reordered)).toBe(fingerprint);
    // the same instant written with another offset (a terminal whose zone setting changed)
    expect(transactionFingerprint({ ...first, occurredAt: '2026-11-26T09:00:00Z' })).toBe(
      fingerprint,
    );
  });

  it('stay what they were before the basket discount existed, and see a discount', () => {
    const current = transaction();
    const { discount: _discount, ...before } = current; // as spooled by an older version
    expect(current.discount).toBe(0);
    expect(transactionFingerprint(before as Transaction)).toBe(transactionFingerprint(current));
    const discounted = transaction({ discount: 10, total: 90, tax: 14 });
    expect(transactionFingerprint(discounted)).not.toBe(
      transactionFingerprint(transaction({ total: 100, tax: 14 })),
    );
  });

  it('differ for another receipt under the same id', () => {
    const fingerprint = transactionFingerprint(transaction());
    const other = transaction({
      occurredAt: '2026-11-26T17:45:00+01:00',
      lines: [{ sku: 'B', name: 'Ink', quantity: 2, unitPrice: 50, lineTotal: 100 }],
    });
    expect(other.transactionId).toBe(transaction().transactionId);
    expect(transactionFingerprint(other)).not.toBe(fingerprint);
    expect(
      transactionFingerprint(transaction({ occurredAt: '2026-11-26T10:00:01+01:00' })),
    ).not.toBe(fingerprint);
  });

  it("are kept under the partition's hash tag", () => {
    const t = transaction();
    const partition = partitionOf(t, 8);
    expect(fingerprintKey('pos-ga4', partition, t.transactionId)).toBe(
      `pos-ga4:fp:{tx-${partition}}:s1_t1_20261126_0001`,
    );
  });
});
