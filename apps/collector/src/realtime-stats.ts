/**
 * The numbers behind the Realtime-like page, computed from the store. Pure.
 * Events per minute over the last 30 minutes (by arrival), the latest purchases and refunds with
 * items and revenue, and per-client counts.
 */
import type { RecordedEvent, RecordedRequest } from './request-store.js';
import { eventsOf } from './request-store.js';

export interface RealtimeStats {
  readonly requests: number;
  readonly events: number;
  readonly invalidRequests: number;
  readonly faulted: number;
  readonly perMinute: readonly { minute: string; events: number }[];
  readonly revenueByCurrency: Readonly<Record<string, number>>;
  readonly latestPurchases: readonly {
    receivedAt: string;
    name: string;
    clientId: string;
    transactionId: string;
    value: number;
    currency: string;
    items: readonly { id: string; name: string; quantity: number; price: number }[];
  }[];
  readonly topClients: readonly { clientId: string; events: number }[];
}

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

export function realtimeStats(requests: readonly RecordedRequest[], now: number): RealtimeStats {
  const events = requests.flatMap(eventsOf);
  const perMinute = new Map<string, number>();
  for (let i = 29; i >= 0; i--)
    perMinute.set(new Date(Math.floor(now / 60_000 - i) * 60_000).toISOString().slice(11, 16), 0);
  const revenue: Record<string, number> = {};
  const clients = new Map<string, number>();
  for (const event of events) {
    const minute = event.receivedAt.slice(11, 16);
    if (perMinute.has(minute) && now - Date.parse(event.receivedAt) < 30 * 60_000)
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    const client = event.client_id ?? '(none)';
    clients.set(client, (clients.get(client) ?? 0) + 1);
    const currency = asString(event.params['currency']);
    const value = asNumber(event.params['value']);
    if (currency !== '' && (event.name === 'purchase' || event.name === 'refund')) {
      const signed = event.name === 'refund' ? -value : value;
      revenue[currency] = Math.round(((revenue[currency] ?? 0) + signed) * 1000) / 1000;
    }
  }
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
    revenueByCurrency: revenue,
    latestPurchases,
    topClients: [...clients]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([clientId, count]) => ({ clientId, events: count })),
  };
}
