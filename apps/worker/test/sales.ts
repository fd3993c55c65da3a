/**
 * Small builders for the worker's integration tests: one valid receipt of a till at a given time
 * (anonymous, for a scanned GA client id or a loyalty card; a sale or a refund), and a bounded
 * wait for a condition.
 */
import { completeTransaction } from '@pos-ga4/transaction';
import type { Transaction } from '@pos-ga4/transaction';

export interface Till {
  readonly storeId: string;
  readonly terminalId: string;
}

export interface Receipt {
  readonly at: number;
  /** A scanned GA client id. */
  readonly client?: string;
  /** A loyalty card number. */
  readonly card?: string;
  readonly kind?: 'sale' | 'refund';
  readonly refundOf?: string;
  /** Gross line prices (one unit each, 19 % VAT included); default one line of 2.50. */
  readonly lines?: readonly number[];
}

/** One valid receipt of a till (`receipt` is its number). */
export function sale(till: Till, receipt: number | string, when: Receipt): Transaction {
  const prices = when.lines ?? [250];
  const subtotal = prices.reduce((a, b) => a + b, 0);
  const result = completeTransaction({
    ...till,
    receiptNumber: String(receipt),
    kind: when.kind ?? 'sale',
    occurredAt: new Date(when.at).toISOString(),
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: prices.map((price, i) => ({
      sku: when.lines === undefined ? `SKU-${receipt}` : `SKU-${i}`,
      name: when.lines === undefined ? 'Item' : `Item ${i}`,
      quantity: 1,
      unitPrice: price,
      lineTotal: price,
    })),
    subtotal,
    tax: when.lines === undefined ? 40 : Math.round((subtotal * 19) / 119),
    total: subtotal,
    identities: [
      ...(when.card === undefined ? [] : [{ kind: 'loyalty-card' as const, value: when.card }]),
      ...(when.client === undefined ? [] : [{ kind: 'ga-client-id' as const, value: when.client }]),
    ],
    ...(when.refundOf === undefined ? {} : { refundOf: when.refundOf }),
    source: { format: 'jsonl' },
  });
  if (!result.ok) throw new Error(result.rejection.reason);
  return result.transaction;
}

export async function until(
  condition: () => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
