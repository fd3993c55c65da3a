/**
 * Small builders for the worker's integration tests: one valid sale of a till at a given time
 * (anonymous, or for a scanned GA client id), and a bounded wait for a condition.
 */
import { completeTransaction } from '@pos-ga4/transaction';
import type { Transaction } from '@pos-ga4/transaction';

export interface Till {
  readonly storeId: string;
  readonly terminalId: string;
}

export function sale(
  till: Till,
  receipt: number,
  when: { readonly at: number; readonly client?: string },
): Transaction {
  const { at, client } = when;
  const result = completeTransaction({
    ...till,
    receiptNumber: String(receipt),
    kind: 'sale',
    occurredAt: new Date(at).toISOString(),
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: [{ sku: `SKU-${receipt}`, name: 'Item', quantity: 1, unitPrice: 250, lineTotal: 250 }],
    subtotal: 250,
    tax: 40,
    total: 250,
    identities: client === undefined ? [] : [{ kind: 'ga-client-id', value: client }],
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
