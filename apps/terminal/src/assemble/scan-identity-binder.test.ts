import { completeTransaction } from '@pos-ga4/transaction';
import type { Transaction } from '@pos-ga4/transaction';
import { describe, expect, it } from 'vitest';

import { classifyBarcode } from '../scan/index.js';
import { ScanIdentityBinder } from './scan-identity-binder.js';

const CUT = Date.UTC(2026, 10, 26, 9, 0, 0);

function sale(receiptNumber: string): Transaction {
  const result = completeTransaction({
    storeId: 's1',
    terminalId: 't1',
    receiptNumber,
    kind: 'sale',
    occurredAt: new Date(CUT).toISOString(),
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: [{ sku: 'A', name: 'Pen', quantity: 1, unitPrice: 100, lineTotal: 100 }],
    subtotal: 100,
    tax: 0,
    total: 100,
    source: { format: 'jsonl' },
  });
  if (!result.ok) throw new Error(result.rejection.reason);
  return result.transaction;
}

describe('ScanIdentityBinder', () => {
  it('adds a scan to its receipt again when a failed hand-over is tried again', () => {
    let now = CUT - 5_000;
    const binder = new ScanIdentityBinder({
      window: { beforeMs: 60_000, afterMs: 1_000 },
      now: () => now,
    });
    const data = 'GA1.1.444555666.1700000000';
    binder.addScan(
      { data, classification: classifyBarcode(data), at: new Date(now).toISOString(), raw: [] },
      't1',
    );
    const receipt = sale('0001');
    binder.addReceipts([receipt], new Date(CUT));
    now = CUT + 2_000;
    const identitiesOf = (t: Transaction | undefined) => t?.identities.map((i) => i.value);
    expect(identitiesOf(binder.apply([receipt])[0])).toEqual(['444555666.1700000000']);
    // the first hand-over failed (Redis away): the retry starts again from the spooled receipt
    expect(identitiesOf(binder.apply([receipt])[0])).toEqual(['444555666.1700000000']);
    expect(identitiesOf(binder.apply([sale('0002')])[0])).toEqual([]);
  });
});
