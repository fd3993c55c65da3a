/**
 * The mapping phase of `npm run bench`: the CPU one transaction costs from a parsed Transaction to
 * a locally validated GA4 request (`buildRequest`: identity resolution, mapping, validation), in
 * process, without I/O. Input: the bench workload; output: µs per transaction (median of
 * `rounds` timed passes after a warm-up pass), for the workload as is and for a 250-line receipt
 * (item folding). Pure CPU; not a test, never in CI.
 */
import { performance } from 'node:perf_hooks';

import { completeTransaction } from '@pos-ga4/transaction';
import type { Transaction } from '@pos-ga4/transaction';
import { buildRequest, WorkerConfigSchema } from '@pos-ga4/worker';

import { percentile, round } from './bench-util.js';

export interface MappingResult {
  readonly transactions: number;
  /** Median µs per transaction over the workload (buildRequest: resolve, map, validate). */
  readonly microsPerTransaction: number | undefined;
  /** Median µs for one 250-line receipt. */
  readonly microsPerLargeReceipt: number | undefined;
}

function largeReceipt(now: number): Transaction {
  const lines = Array.from({ length: 250 }, (_, n) => ({
    sku: `SKU-${n}`,
    name: `Item number ${n} with a longer name`,
    quantity: 1 + (n % 3),
    unitPrice: 99 + n,
    lineTotal: (1 + (n % 3)) * (99 + n),
  }));
  const subtotal = lines.reduce((sum, line) => sum + line.lineTotal, 0);
  const result = completeTransaction({
    storeId: 'store-1',
    terminalId: 'till-1',
    receiptNumber: 'large-1',
    kind: 'sale',
    occurredAt: new Date(now - 60_000).toISOString().replace('Z', '+00:00'),
    currency: 'EUR',
    pricesIncludeTax: true,
    lines,
    subtotal,
    tax: Math.floor((subtotal * 19) / 119),
    total: subtotal,
    source: { format: 'jsonl' },
  });
  if (!result.ok) throw new Error(`mapping phase: ${result.rejection.reason}`);
  return result.transaction;
}

function timePasses(rounds: number, pass: () => void, perPass: number): number | undefined {
  pass(); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    pass();
    samples.push(((performance.now() - started) * 1000) / perPass);
  }
  const median = percentile(samples, 50);
  return median === undefined ? undefined : round(median, 2);
}

export function runMapping(
  transactions: readonly Transaction[],
  options: { now: number; rounds?: number },
): MappingResult {
  const config = WorkerConfigSchema.parse({
    ga4: { measurementId: 'G-BENCH', apiSecret: 'bench-secret' },
  });
  const rounds = options.rounds ?? 5;
  let failures = 0;
  const build = (transaction: Transaction): void => {
    if (!buildRequest(transaction, { config, now: options.now }).ok) failures++;
  };
  const microsPerTransaction = timePasses(
    rounds,
    () => {
      for (const transaction of transactions) build(transaction);
    },
    transactions.length,
  );
  const large = largeReceipt(options.now);
  const microsPerLargeReceipt = timePasses(
    rounds,
    () => {
      for (let i = 0; i < 20; i++) build(large);
    },
    20,
  );
  if (failures > 0) throw new Error(`mapping phase: ${failures} transactions did not map`);
  return { transactions: transactions.length, microsPerTransaction, microsPerLargeReceipt };
}
