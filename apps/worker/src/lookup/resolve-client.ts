/**
 * Who bought: the request-level identity of a transaction's GA4 event. Pure.
 *
 * Order: a scanned GA client id (`GA1.x.A.B` or `A.B`) or a verified app QR client id is used
 * directly. Otherwise, by setting, a deterministic pseudo client id in GA's
 * `<10 digits>.<unix seconds>` shape (the same on every retry, derived from the transaction id
 * and time), or `NO_CLIENT_ID`. Identity-store lookups of loyalty ids plug in here (worker issue).
 */
import { createHash } from 'node:crypto';

import type { Transaction } from '@pos-ga4/transaction';

export type ClientResolution =
  | {
      readonly ok: true;
      readonly clientId: string;
      readonly source: 'scanned' | 'app-qr' | 'pseudo';
    }
  | { readonly ok: false; readonly code: 'NO_CLIENT_ID'; readonly reason: string };

const GA_COOKIE = /^GA\d+\.\d+\.(\d+\.\d+)$/;
const CLIENT_ID = /^\d+\.\d+$/;

export function normalizeClientId(value: string): string | undefined {
  const trimmed = value.trim();
  const cookie = GA_COOKIE.exec(trimmed);
  if (cookie?.[1] !== undefined) return cookie[1];
  return CLIENT_ID.test(trimmed) ? trimmed : undefined;
}

export function pseudoClientId(
  transaction: Pick<Transaction, 'transactionId' | 'occurredAt'>,
): string {
  const digest = createHash('sha256').update(`pos-ga4:${transaction.transactionId}`).digest();
  const random = 1_000_000_000 + (digest.readUInt32BE(0) % 9_000_000_000);
  return `${random}.${Math.floor(Date.parse(transaction.occurredAt) / 1000)}`;
}

export function resolveClient(
  transaction: Transaction,
  policy: 'pseudo-client-id' | 'dead-letter',
): ClientResolution {
  // the last scan wins: a customer who shows a second code meant that one
  for (const token of [...transaction.identities].reverse()) {
    if (token.kind !== 'ga-client-id' && token.kind !== 'app-qr') continue;
    const clientId = normalizeClientId(token.value);
    if (clientId !== undefined)
      return { ok: true, clientId, source: token.kind === 'app-qr' ? 'app-qr' : 'scanned' };
  }
  if (policy === 'pseudo-client-id')
    return { ok: true, clientId: pseudoClientId(transaction), source: 'pseudo' };
  return {
    ok: false,
    code: 'NO_CLIENT_ID',
    reason: 'no scanned client id and identity.unknown is dead-letter',
  };
}
