/**
 * The per-client order barrier's shared vocabulary (docs/delivery.md).
 *
 * A client's events wait in `<prefix>:client:<client_id>` (a sorted set: score = occurredAt in
 * µs, member = transaction id) until they are sent. Terminals register transactions that carry a
 * scanned client id (a GA client id or a verified app QR) before they add the job, so the order
 * holds from the moment of enqueue, whichever partition or worker takes each one. Workers
 * register the rest (identity-store lookups, pseudo ids) when they take the job. The key is
 * `clientBarrierKey` (redis-keys.ts); both register through `ClientBarrier` (client-barrier.ts).
 */
import type { Transaction } from '@pos-ga4/transaction';

const GA_COOKIE = /^GA\d+\.\d+\.(\d+\.\d+)$/;
const CLIENT_ID = /^\d+\.\d+$/;

/** `GA1.1.A.B` or `A.B` → `A.B`; anything else → undefined. */
export function normalizeClientId(value: string): string | undefined {
  const trimmed = value.trim();
  const cookie = GA_COOKIE.exec(trimmed);
  if (cookie?.[1] !== undefined) return cookie[1];
  return CLIENT_ID.test(trimmed) ? trimmed : undefined;
}

/** The client id a transaction carries itself (the last scan wins), if any. */
export function scannedClientIdOf(
  transaction: Pick<Transaction, 'identities'>,
): { clientId: string; source: 'scanned' | 'app-qr' } | undefined {
  for (const token of [...transaction.identities].reverse()) {
    if (token.kind !== 'ga-client-id' && token.kind !== 'app-qr') continue;
    const clientId = normalizeClientId(token.value);
    if (clientId !== undefined)
      return { clientId, source: token.kind === 'app-qr' ? 'app-qr' : 'scanned' };
  }
  return undefined;
}

/** The order score of a transaction: its occurredAt in microseconds. */
export function orderScoreOf(transaction: Pick<Transaction, 'occurredAt'>): number {
  return Date.parse(transaction.occurredAt) * 1000;
}
