/**
 * The receipts a fault scenario writes into its terminals: JSON-lines records (the terminal's
 * `jsonl` serial format), spread over several terminals, with identified customers shared
 * between terminals (so client order is checked across terminals and partitions). Pure and
 * deterministic for given options (seeded generator).
 *
 * Input: `count`, the terminals (store/terminal ids), `customers` and `identifiedShare` (the
 * share of receipts with a scanned GA client id drawn uniformly from the customers), `seed`,
 * `startMs` (occurredAt of the first receipt) and `stepMs` (between receipts, in global order).
 * Output: receipts in the order they are to be written, each with its terminal index, its bytes
 * (one line, store and terminal left out: the terminal fills them in) and what the accounting
 * expects (transaction id as the Transaction contract derives it, terminal, index in that
 * terminal's stream, occurredAt, client id).
 * Errors: throws when a generated receipt is not a valid Transaction (a bug here).
 */
import { completeTransaction } from '@pos-ga4/transaction';

import type { ExpectedReceipt } from './accounting.js';

export interface TerminalIdentity {
  readonly storeId: string;
  readonly terminalId: string;
}

export interface PlannedReceipt {
  readonly terminal: number;
  readonly bytes: Buffer;
  readonly expected: ExpectedReceipt;
}

export interface WorkloadOptions {
  readonly count: number;
  readonly terminals: readonly TerminalIdentity[];
  readonly customers: number;
  readonly identifiedShare: number;
  readonly seed: number;
  readonly startMs: number;
  readonly stepMs: number;
}

/** Park–Miller-style LCG in [0, 1); deterministic. */
export function lcg(seed: number): () => number {
  let state = Math.abs(Math.floor(seed)) % 2147483647 || 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

/** A customer's GA client id (`<random>.<first visit>`), as a scanner or cookie carries it. */
export function customerClientId(customer: number): string {
  return `${1_200_000_000 + customer}.1700000000`;
}

export function planReceipts(options: WorkloadOptions): PlannedReceipt[] {
  const random = lcg(options.seed);
  const nextIndex = options.terminals.map(() => 0);
  const out: PlannedReceipt[] = [];
  for (let i = 0; i < options.count; i++) {
    const terminal = Math.floor(random() * options.terminals.length);
    const identity = options.terminals[terminal];
    if (identity === undefined) throw new RangeError('no terminals');
    const index = nextIndex[terminal] ?? 0;
    nextIndex[terminal] = index + 1;
    const lines = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, n) => {
      const quantity = 1 + Math.floor(random() * 3);
      const unitPrice = 99 + Math.floor(random() * 1_900);
      return {
        sku: `SKU-${Math.floor(random() * 5_000)}`,
        name: `Item ${n + 1}`,
        quantity,
        unitPrice,
        lineTotal: quantity * unitPrice,
      };
    });
    const total = lines.reduce((sum, line) => sum + line.lineTotal, 0);
    const identified = random() < options.identifiedShare;
    const customer = Math.floor(random() * options.customers);
    const clientId = identified ? customerClientId(customer) : undefined;
    const occurredAtMs = options.startMs + i * options.stepMs;
    const draft = {
      receiptNumber: String(index + 1),
      kind: 'sale' as const,
      occurredAt: new Date(occurredAtMs).toISOString().replace('Z', '+00:00'),
      currency: 'EUR',
      pricesIncludeTax: true,
      lines,
      subtotal: total,
      tax: Math.floor((total * 19) / 119),
      total,
      identities:
        clientId === undefined ? [] : [{ kind: 'ga-client-id' as const, value: clientId }],
    };
    const completed = completeTransaction({
      ...draft,
      storeId: identity.storeId,
      terminalId: identity.terminalId,
      source: { format: 'jsonl' },
    });
    if (!completed.ok) throw new Error(`workload: invalid receipt: ${completed.rejection.reason}`);
    out.push({
      terminal,
      bytes: Buffer.from(`${JSON.stringify(draft)}\n`, 'utf8'),
      expected: {
        transactionId: completed.transaction.transactionId,
        terminal: `${identity.storeId}/${identity.terminalId}`,
        index,
        occurredAtMs,
        clientId,
      },
    });
  }
  return out;
}
