/**
 * The benchmark workload: N valid sale transactions (~4 items on average) over 1,200 terminals in
 * 300 stores (4 tills each), occurredAt spread over the last hour in receipt order per terminal;
 * 20 % carry a scanned GA client id drawn Zipf-like (Zipf–Mandelbrot, s = 1.1, q = 50) from
 * 20,000 loyalty customers, so there are repeat buyers (at N = 50,000 the busiest buys ~40
 * times) without one customer buying every few seconds. Deterministic for a given N and `now`
 * (seeded mulberry32). Pure.
 */
import { completeTransaction } from '@pos-ga4/transaction';
import type { Transaction } from '@pos-ga4/transaction';

import { percentile } from './bench-util.js';

export const STORES = 300;
export const TERMINALS = 1_200;
export const CUSTOMERS = 20_000;
const IDENTIFIED_SHARE = 0.2;
const ZIPF_S = 1.1;
const ZIPF_Q = 50;

/**
 * mulberry32: 32-bit state, integer arithmetic only. (An earlier `(a * x + c) % m` in doubles
 * lost precision past 2^53 and cycled through about 100 customers.)
 */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Cumulative Zipf–Mandelbrot weights 1/(k + q)^s over ranks 1…n, for inverse-CDF draws. */
function zipfCdf(n: number): Float64Array {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 1; k <= n; k++) {
    sum += 1 / (k + ZIPF_Q) ** ZIPF_S;
    cdf[k - 1] = sum;
  }
  for (let k = 0; k < n; k++) cdf[k] = (cdf[k] ?? 0) / sum;
  return cdf;
}

function drawRank(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cdf[mid] ?? 1) < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function buildWorkload(count: number, now: number): Transaction[] {
  const random = seededRandom(20_240_601);
  const cdf = zipfCdf(CUSTOMERS);
  const receiptOf = new Map<number, number>();
  const out: Transaction[] = [];
  const start = now - 3_600_000 + 60_000;
  const step = (3_600_000 - 120_000) / Math.max(1, count);
  for (let i = 0; i < count; i++) {
    const terminal = Math.floor(random() * TERMINALS);
    const receipt = (receiptOf.get(terminal) ?? 0) + 1;
    receiptOf.set(terminal, receipt);
    const itemCount = 1 + Math.floor(random() * 7); // 1…7, mean 4
    const lines = Array.from({ length: itemCount }, (_, n) => {
      const quantity = 1 + Math.floor(random() * 3);
      const unitPrice = 99 + Math.floor(random() * 2_000);
      return {
        sku: `SKU-${Math.floor(random() * 10_000)}-${n}`,
        name: `Item ${n}`,
        quantity,
        unitPrice,
        lineTotal: quantity * unitPrice,
      };
    });
    const subtotal = lines.reduce((sum, line) => sum + line.lineTotal, 0);
    const identified = random() < IDENTIFIED_SHARE;
    const customer = drawRank(cdf, random());
    const result = completeTransaction({
      storeId: `store-${terminal % STORES}`,
      terminalId: `till-${Math.floor(terminal / STORES)}`,
      receiptNumber: String(receipt),
      kind: 'sale',
      occurredAt: new Date(start + i * step).toISOString().replace('Z', '+00:00'),
      currency: 'EUR',
      pricesIncludeTax: true,
      lines,
      subtotal,
      tax: Math.floor((subtotal * 16) / 116),
      total: subtotal,
      identities: identified
        ? [{ kind: 'ga-client-id', value: `${1_100_000_000 + customer}.1700000000` }]
        : [],
      source: { format: 'jsonl' },
    });
    if (!result.ok) throw new Error(`workload: invalid transaction ${result.rejection.reason}`);
    out.push(result.transaction);
  }
  return out;
}

export interface RepeatPurchases {
  /** Identified customers, their events, and Σ⌈events / 25⌉ over them. */
  readonly clients: number;
  readonly events: number;
  readonly optimum: number;
  /** A customer's consecutive purchases (in time), how many on the same till, and their gaps. */
  readonly pairs: number;
  readonly pairsOnSameTill: number;
  readonly gapP10Seconds: number | undefined;
  readonly gapP50Seconds: number | undefined;
  readonly gapP90Seconds: number | undefined;
}

/**
 * What stands between an ordered sender and the request optimum for identified customers: to
 * share a request, a customer's purchases must go together, but each waits behind its own till's
 * earlier receipts (terminal order) and behind the customer's earlier purchases (client order).
 * Pure.
 */
export function repeatPurchases(transactions: readonly Transaction[]): RepeatPurchases {
  const byClient = new Map<string, { at: number; till: string }[]>();
  for (const t of transactions) {
    const client = t.identities[0]?.value;
    if (client === undefined) continue;
    const list = byClient.get(client) ?? [];
    list.push({ at: Date.parse(t.occurredAt), till: `${t.storeId}/${t.terminalId}` });
    byClient.set(client, list);
  }
  const gaps: number[] = [];
  let pairsOnSameTill = 0;
  let events = 0;
  let optimum = 0;
  for (const list of byClient.values()) {
    events += list.length;
    optimum += Math.ceil(list.length / 25);
    list.sort((a, b) => a.at - b.at);
    list.forEach((purchase, i) => {
      const previous = i > 0 ? list[i - 1] : undefined;
      if (!previous) return;
      gaps.push((purchase.at - previous.at) / 1000);
      if (purchase.till === previous.till) pairsOnSameTill++;
    });
  }
  const at = (p: number): number | undefined => {
    const value = percentile(gaps, p);
    return value === undefined ? undefined : Math.round(value);
  };
  return {
    clients: byClient.size,
    events,
    optimum,
    pairs: gaps.length,
    pairsOnSameTill,
    gapP10Seconds: at(10),
    gapP50Seconds: at(50),
    gapP90Seconds: at(90),
  };
}
