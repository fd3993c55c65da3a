import { describe, expect, it } from 'vitest';

import { decimalOf, subtractDecimal, toNumber } from './exact-decimal.js';
import { netByTransaction, realtimeStats, revenueTotals } from './realtime-stats.js';
import { eventsOf } from './request-store.js';
import type { RecordedEvent, RecordedRequest } from './request-store.js';

const NOW = Date.parse('2026-11-26T12:30:00Z');

type Params = Record<string, unknown>;

let nextId = 1;

/** One delivered /mp/collect request carrying one event. */
function request(clientId: string, name: string, params: Params, status = 204): RecordedRequest {
  const id = nextId++;
  return {
    id,
    receivedAt: new Date(NOW - 60_000 + id * 1000).toISOString(),
    endpoint: 'collect',
    apiSecretPresent: true,
    status,
    fault: 'none',
    bytes: 0,
    body: { client_id: clientId, events: [{ name, params }] },
    validationMessages: [],
  };
}

const purchase = (clientId: string, transactionId: string, value: number, currency = 'EUR') =>
  request(clientId, 'purchase', {
    transaction_id: transactionId,
    value,
    currency,
    items: [{ item_id: 'A-1', item_name: 'Notebook', price: value, quantity: 1 }],
  });

const refund = (
  clientId: string,
  transactionId: string,
  value: number,
  extra: Params = {},
): RecordedRequest =>
  request(clientId, 'refund', { transaction_id: transactionId, value, currency: 'EUR', ...extra });

function eventsOfAll(requests: readonly RecordedRequest[]): RecordedEvent[] {
  return requests.flatMap(eventsOf);
}

// A day with a purchase refunded in part, one refunded in full, one never refunded, and a refund
// whose purchase never reached the collector.
const day = [
  purchase('111.1', 'T-partial', 10.77),
  purchase('222.2', 'T-full', 26.97),
  purchase('333.3', 'T-kept', 5),
  refund('111.1', 'T-partial', 3.78, { pos_refund_id: 'R-1', items: [{ item_id: 'A-1' }] }),
  refund('222.2', 'T-full', 26.97, { pos_refund_id: 'R-2' }),
  refund('444.4', 'T-unseen', 1.1, { pos_refund_id: 'R-3' }),
];

describe('net revenue per transaction', () => {
  it('nets partial and full refunds against their purchase, exactly', () => {
    const byId = new Map(netByTransaction(eventsOfAll(day)).map((t) => [t.transactionId, t]));
    expect(byId.get('T-partial')).toMatchObject({
      clientId: '111.1',
      currency: 'EUR',
      purchase: 10.77,
      refunded: 3.78,
      net: 6.99,
      status: 'partially-refunded',
      purchases: 1,
      refunds: 1,
      refundIds: ['R-1'],
    });
    expect(byId.get('T-full')).toMatchObject({
      purchase: 26.97,
      refunded: 26.97,
      net: 0,
      status: 'fully-refunded',
      refundIds: ['R-2'],
    });
    expect(byId.get('T-kept')).toMatchObject({
      purchase: 5,
      refunded: 0,
      net: 5,
      status: 'purchased',
      refunds: 0,
      refundIds: [],
    });
  });

  it('shows a refund whose purchase it never saw as such, under the refund’s client', () => {
    const unseen = netByTransaction(eventsOfAll(day)).find((t) => t.transactionId === 'T-unseen');
    expect(unseen).toMatchObject({
      clientId: '444.4',
      purchase: null,
      refunded: 1.1,
      net: -1.1,
      status: 'refund-without-purchase',
    });
  });

  it('sums several partial refunds and counts a repeated purchase once, as GA4 does', () => {
    const events = eventsOfAll([
      purchase('1.1', 'T-1', 0.3),
      purchase('1.1', 'T-1', 0.3),
      refund('1.1', 'T-1', 0.1),
      refund('1.1', 'T-1', 0.1),
    ]);
    expect(netByTransaction(events)).toEqual([
      expect.objectContaining({
        purchase: 0.3,
        refunded: 0.2,
        net: 0.1,
        purchases: 2,
        refunds: 2,
        status: 'partially-refunded',
      }),
    ]);
    expect(revenueTotals(events)).toEqual([
      { currency: 'EUR', gross: 0.3, refunded: 0.2, net: 0.1 },
    ]);
  });

  it('flags refunds that exceed the purchase', () => {
    const events = eventsOfAll([purchase('1.1', 'T-1', 2), refund('1.1', 'T-1', 2.5)]);
    expect(netByTransaction(events)[0]).toMatchObject({ net: -0.5, status: 'over-refunded' });
  });

  it('keeps currencies apart and ignores events without a currency or of other names', () => {
    const events = eventsOfAll([
      purchase('1.1', 'T-1', 500, 'JPY'),
      purchase('1.1', 'T-2', 1.5, 'USD'),
      request('1.1', 'purchase', { transaction_id: 'T-3', value: 9 }),
      request('1.1', 'add_to_cart', { value: 9, currency: 'USD' }),
    ]);
    expect(netByTransaction(events).map((t) => [t.transactionId, t.currency])).toEqual([
      ['T-1', 'JPY'],
      ['T-2', 'USD'],
    ]);
    expect(revenueTotals(events)).toEqual([
      { currency: 'JPY', gross: 500, refunded: 0, net: 500 },
      { currency: 'USD', gross: 1.5, refunded: 0, net: 1.5 },
    ]);
  });
});

describe('realtimeStats', () => {
  it('reports revenue totals as gross / refunded / net, and net as revenueByCurrency', () => {
    const stats = realtimeStats(day, NOW);
    expect(stats.revenueTotals).toEqual([
      { currency: 'EUR', gross: 42.74, refunded: 31.85, net: 10.89 },
    ]);
    expect(stats.revenueByCurrency).toEqual({ EUR: 10.89 });
    expect(stats.events).toBe(6);
  });

  it('lists transactions newest activity first, a refund bringing its purchase to the top', () => {
    const stats = realtimeStats(day, NOW);
    expect(stats.transactionCount).toBe(4);
    expect(stats.transactions.map((t) => t.transactionId)).toEqual([
      'T-unseen',
      'T-full',
      'T-partial',
      'T-kept',
    ]);
    expect(stats.transactions[2]?.lastReceivedAt).toBe(day[3]?.receivedAt);
  });

  it('lists at most 50 transactions but counts them all', () => {
    const many = Array.from({ length: 60 }, (_, i) => purchase('1.1', `T-${i}`, 1));
    const stats = realtimeStats(many, NOW);
    expect(stats.transactionCount).toBe(60);
    expect(stats.transactions).toHaveLength(50);
    expect(stats.transactions[0]?.transactionId).toBe('T-59');
    expect(stats.revenueTotals).toEqual([{ currency: 'EUR', gross: 60, refunded: 0, net: 60 }]);
  });

  it('counts only delivered requests', () => {
    const stats = realtimeStats(
      [purchase('1.1', 'T-1', 1), { ...refund('1.1', 'T-1', 1), status: 503 }],
      NOW,
    );
    expect(stats.transactions).toEqual([expect.objectContaining({ refunded: 0, net: 1 })]);
  });
});

describe('exact decimals', () => {
  it.each([
    [10.77, 3.78, 6.99],
    [0.3, 0.1, 0.2],
    [9.05, 3.18, 5.87],
    [1e21, 1e20, 9e20],
    [0.000001, 0.0000001, 0.0000009],
    [-1.5, 0.25, -1.75],
    [3, 3, 0],
  ])('%s − %s = %s', (a, b, difference) => {
    expect(toNumber(subtractDecimal(decimalOf(a), decimalOf(b)))).toBe(difference);
  });

  it('reads non-finite values as zero', () => {
    expect(toNumber(decimalOf(Number.NaN))).toBe(0);
    expect(toNumber(decimalOf(Number.POSITIVE_INFINITY))).toBe(0);
  });
});
