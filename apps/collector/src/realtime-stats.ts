/**
 * The numbers behind the Realtime-like page, computed from the store. Pure.
 * Events per minute over the last 30 minutes (by arrival), the latest purchases and refunds with
 * items and revenue, per-client counts, and net revenue per transaction.
 *
 * Net revenue, as GA4 nets it: a `refund` counts against the `purchase` with the same
 * `transaction_id` (and currency). Per transaction: `purchase` is the value of the first purchase
 * event (GA4 deduplicates purchases by transaction id; `purchases` counts the events received),
 * or null when the collector never saw one; `refunded` is the sum of its refund events; `net` =
 * purchase − refunded. Revenue totals per currency: gross (purchases, deduplicated the same way),
 * refunded (every refund, with or without a purchase) and net = gross − refunded;
 * `revenueByCurrency` is that net. Only purchase and refund events with a currency carry money.
 * Amounts are summed exactly (exact-decimal.ts): 10.77 − 3.78 is 6.99.
 */
import {
  addDecimal,
  decimalOf,
  isPositive,
  subtractDecimal,
  toNumber,
  ZERO,
} from './exact-decimal.js';
import type { ExactDecimal } from './exact-decimal.js';
import type { RecordedEvent, RecordedRequest } from './request-store.js';
import { eventsOf } from './request-store.js';

export type TransactionStatus =
  | 'purchased'
  | 'partially-refunded'
  | 'fully-refunded'
  | 'over-refunded'
  | 'refund-without-purchase';

export interface TransactionNet {
  readonly transactionId: string;
  /** The purchase's client_id, or the first refund's when no purchase was seen. */
  readonly clientId: string;
  readonly currency: string;
  /** null: the collector never received this transaction's purchase. */
  readonly purchase: number | null;
  readonly refunded: number;
  readonly net: number;
  readonly status: TransactionStatus;
  /** Purchase events received (more than 1: GA4 keeps the first). */
  readonly purchases: number;
  /** Refund events received. */
  readonly refunds: number;
  /** `pos_refund_id` of the refunds: the refund receipts' own transaction ids. */
  readonly refundIds: readonly string[];
  /** When its latest event arrived. */
  readonly lastReceivedAt: string;
}

export interface RevenueTotal {
  readonly currency: string;
  readonly gross: number;
  readonly refunded: number;
  readonly net: number;
}

export interface RealtimeStats {
  readonly requests: number;
  readonly events: number;
  readonly invalidRequests: number;
  readonly faulted: number;
  readonly perMinute: readonly { minute: string; events: number }[];
  /** Net revenue (gross − refunded) per currency, as in `revenueTotals`. */
  readonly revenueByCurrency: Readonly<Record<string, number>>;
  readonly revenueTotals: readonly RevenueTotal[];
  readonly latestPurchases: readonly {
    receivedAt: string;
    name: string;
    clientId: string;
    transactionId: string;
    value: number;
    currency: string;
    items: readonly { id: string; name: string; quantity: number; price: number }[];
  }[];
  /** Transactions with a purchase or refund: how many, and the latest by their last event. */
  readonly transactionCount: number;
  readonly transactions: readonly TransactionNet[];
  readonly topClients: readonly { clientId: string; events: number }[];
}

/** How many transactions `realtimeStats` lists (the page polls every 2 s). */
export const LATEST_TRANSACTIONS = 50;

function asString(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function asNumber(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

function itemsOf(
  event: RecordedEvent,
): { id: string; name: string; quantity: number; price: number }[] {
  const items = event.params['items'];
  if (!Array.isArray(items)) return [];
  return items.map((item: unknown) => {
    const record = (typeof item === 'object' && item !== null ? item : {}) as Record<
      string,
      unknown
    >;
    return {
      id: asString(record['item_id']),
      name: asString(record['item_name']),
      quantity: asNumber(record['quantity']),
      price: asNumber(record['price']),
    };
  });
}

interface MoneyEvent {
  readonly kind: 'purchase' | 'refund';
  readonly transactionId: string;
  readonly currency: string;
  readonly value: ExactDecimal;
  readonly event: RecordedEvent;
}

function moneyEventOf(event: RecordedEvent): MoneyEvent | undefined {
  if (event.name !== 'purchase' && event.name !== 'refund') return undefined;
  const currency = asString(event.params['currency']);
  if (currency === '') return undefined;
  return {
    kind: event.name,
    transactionId: asString(event.params['transaction_id']),
    currency,
    value: decimalOf(asNumber(event.params['value'])),
    event,
  };
}

interface Accumulator {
  transactionId: string;
  currency: string;
  clientId: string | undefined;
  refundClientId: string | undefined;
  purchase: ExactDecimal | undefined;
  refunded: ExactDecimal;
  purchases: number;
  refunds: number;
  refundIds: string[];
  lastReceivedAt: string;
  lastIndex: number;
}

function statusOf(
  purchase: ExactDecimal | undefined,
  refunded: ExactDecimal,
  refunds: number,
): TransactionStatus {
  if (purchase === undefined) return 'refund-without-purchase';
  if (refunds === 0) return 'purchased';
  const net = subtractDecimal(purchase, refunded);
  if (isPositive(net)) return 'partially-refunded';
  return net.units === 0n ? 'fully-refunded' : 'over-refunded';
}

function accumulate(events: readonly RecordedEvent[]): Accumulator[] {
  const byKey = new Map<string, Accumulator>();
  events.forEach((event, index) => {
    const money = moneyEventOf(event);
    if (money === undefined || money.transactionId === '') return;
    const key = `${money.transactionId}\u0000${money.currency}`;
    let entry = byKey.get(key);
    if (entry === undefined) {
      entry = {
        transactionId: money.transactionId,
        currency: money.currency,
        clientId: undefined,
        refundClientId: undefined,
        purchase: undefined,
        refunded: ZERO,
        purchases: 0,
        refunds: 0,
        refundIds: [],
        lastReceivedAt: event.receivedAt,
        lastIndex: index,
      };
      byKey.set(key, entry);
    }
    entry.lastReceivedAt = event.receivedAt;
    entry.lastIndex = index;
    if (money.kind === 'purchase') {
      entry.purchases++;
      if (entry.purchase === undefined) {
        entry.purchase = money.value;
        entry.clientId = event.client_id ?? '';
      }
    } else {
      entry.refunds++;
      entry.refunded = addDecimal(entry.refunded, money.value);
      entry.refundClientId ??= event.client_id ?? '';
      const refundId = asString(event.params['pos_refund_id']);
      if (refundId !== '' && !entry.refundIds.includes(refundId)) entry.refundIds.push(refundId);
    }
  });
  return [...byKey.values()];
}

function netOf(entry: Accumulator): TransactionNet {
  return {
    transactionId: entry.transactionId,
    clientId: entry.clientId ?? entry.refundClientId ?? '',
    currency: entry.currency,
    purchase: entry.purchase === undefined ? null : toNumber(entry.purchase),
    refunded: toNumber(entry.refunded),
    net: toNumber(subtractDecimal(entry.purchase ?? ZERO, entry.refunded)),
    status: statusOf(entry.purchase, entry.refunded, entry.refunds),
    purchases: entry.purchases,
    refunds: entry.refunds,
    refundIds: entry.refundIds,
    lastReceivedAt: entry.lastReceivedAt,
  };
}

/** Every transaction with a purchase or refund, in the order of their first event. */
export function netByTransaction(events: readonly RecordedEvent[]): TransactionNet[] {
  return accumulate(events).map(netOf);
}

/** Gross, refunded and net per currency (sorted by currency). */
export function revenueTotals(events: readonly RecordedEvent[]): RevenueTotal[] {
  const totals = new Map<string, { gross: ExactDecimal; refunded: ExactDecimal }>();
  const purchased = new Set<string>();
  for (const event of events) {
    const money = moneyEventOf(event);
    if (money === undefined) continue;
    const total = totals.get(money.currency) ?? { gross: ZERO, refunded: ZERO };
    if (money.kind === 'refund') total.refunded = addDecimal(total.refunded, money.value);
    else {
      // GA4 keeps one purchase per transaction id; an event without one is counted as is
      const key = `${money.transactionId}\u0000${money.currency}`;
      if (money.transactionId === '' || !purchased.has(key))
        total.gross = addDecimal(total.gross, money.value);
      purchased.add(key);
    }
    totals.set(money.currency, total);
  }
  return [...totals]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, { gross, refunded }]) => ({
      currency,
      gross: toNumber(gross),
      refunded: toNumber(refunded),
      net: toNumber(subtractDecimal(gross, refunded)),
    }));
}

export function realtimeStats(requests: readonly RecordedRequest[], now: number): RealtimeStats {
  const events = requests.flatMap(eventsOf);
  const perMinute = new Map<string, number>();
  for (let i = 29; i >= 0; i--)
    perMinute.set(new Date(Math.floor(now / 60_000 - i) * 60_000).toISOString().slice(11, 16), 0);
  const clients = new Map<string, number>();
  for (const event of events) {
    const minute = event.receivedAt.slice(11, 16);
    if (perMinute.has(minute) && now - Date.parse(event.receivedAt) < 30 * 60_000)
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    const client = event.client_id ?? '(none)';
    clients.set(client, (clients.get(client) ?? 0) + 1);
  }
  const totals = revenueTotals(events);
  const transactions = accumulate(events);
  const latestPurchases = events
    .filter((e) => e.name === 'purchase' || e.name === 'refund')
    .slice(-20)
    .reverse()
    .map((e) => ({
      receivedAt: e.receivedAt,
      name: e.name,
      clientId: e.client_id ?? '',
      transactionId: asString(e.params['transaction_id']),
      value: asNumber(e.params['value']),
      currency: asString(e.params['currency']),
      items: itemsOf(e),
    }));
  return {
    requests: requests.length,
    events: events.length,
    invalidRequests: requests.filter((r) => r.validationMessages.length > 0).length,
    faulted: requests.filter((r) => r.fault !== 'none').length,
    perMinute: [...perMinute].map(([minute, count]) => ({ minute, events: count })),
    revenueByCurrency: Object.fromEntries(totals.map((t) => [t.currency, t.net])),
    revenueTotals: totals,
    latestPurchases,
    transactionCount: transactions.length,
    transactions: transactions
      .sort((a, b) => b.lastIndex - a.lastIndex)
      .slice(0, LATEST_TRANSACTIONS)
      .map(netOf),
    topClients: [...clients]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([clientId, count]) => ({ clientId, events: count })),
  };
}
