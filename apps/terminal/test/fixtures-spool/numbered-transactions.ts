/**
 * Test input for the spool tests: transaction number n of a terminal, valid under the contract,
 * with receipt number `R` + n (6 digits) and the id `<store>_<terminal>_20261126_R<n>`.
 * Errors: throws if the contract refuses the draft (a bug in this helper).
 */
import { completeTransaction } from '@pos-ga4/transaction';
import type { Transaction } from '@pos-ga4/transaction';

export interface NumberedOptions {
  readonly storeId?: string;
  readonly terminalId?: string;
}

export function receiptOf(n: number): string {
  return `R${String(n).padStart(6, '0')}`;
}

export function numberedTransaction(n: number, options: NumberedOptions = {}): Transaction {
  const occurredAt = new Date(Date.UTC(2026, 10, 26, 8, 0, 0) + n * 1000).toISOString();
  const result = completeTransaction({
    storeId: options.storeId ?? 's1',
    terminalId: options.terminalId ?? 't1',
    receiptNumber: receiptOf(n),
    kind: 'sale',
    occurredAt,
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: [{ sku: `SKU-${n}`, name: 'Pen', quantity: 1, unitPrice: 100 + n, lineTotal: 100 + n }],
    subtotal: 100 + n,
    tax: 0,
    total: 100 + n,
    source: { format: 'jsonl' },
  });
  if (!result.ok) throw new Error(`test transaction ${n}: ${result.rejection.reason}`);
  return result.transaction;
}

export function numberedTransactions(
  from: number,
  count: number,
  options: NumberedOptions = {},
): Transaction[] {
  return Array.from({ length: count }, (_, i) => numberedTransaction(from + i, options));
}

/** The receipt number's n back from a transaction or job id. */
export function numberOf(id: string): number {
  return Number(/_R(\d+)$/.exec(id)?.[1] ?? Number.NaN);
}
