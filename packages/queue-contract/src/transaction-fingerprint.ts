/**
 * Telling an identical re-send from another receipt with the same transaction id.
 *
 * - `transactionFingerprint(t)`: 32 hex digits of the SHA-256 of the transaction's canonical JSON
 *   (keys sorted at every level) without what legitimately differs between two sends of one
 *   receipt: `source` (the capture reference changes with every replay) and `identities` (scans
 *   are joined at the terminal just before hand-over, and a restart hands a receipt over without
 *   them), with `occurredAt` as its UTC instant (the offset it is written with may change with
 *   the configured zone, the instant does not), and without a basket `discount` of 0 (the
 *   field came later with that default: a receipt fingerprinted before keeps its fingerprint).
 *   Same receipt → same fingerprint; a different receipt under the same id (a receipt counter
 *   reset mid-day, two tills configured with one terminal id) → a different one.
 * - `fingerprintKey(prefix, partition, id)` (in redis-keys.ts): where the terminal records it at
 *   hand-over, `<prefix>:fp:{tx-N}:<transactionId>`, with the partition's hash tag like the queue
 *   and the sent-ledger (one Redis Cluster slot per partition). Kept `FINGERPRINT_TTL_SECONDS`
 *   (8 days: longer than BullMQ keeps a finished job).
 * Pure.
 */
import { createHash } from 'node:crypto';

import type { Transaction } from '@pos-ga4/transaction';

import { JOB_RETENTION } from './transaction-job.js';

export const FINGERPRINT_TTL_SECONDS = JOB_RETENTION.completedSeconds + 24 * 3600;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

export function transactionFingerprint(transaction: Transaction): string {
  const { source: _source, identities: _identities, discount, ...content } = transaction;
  const instant = Date.parse(content.occurredAt);
  const text = JSON.stringify(
    canonical({
      ...content,
      ...(discount ? { discount } : {}),
      occurredAt: Number.isFinite(instant) ? new Date(instant).toISOString() : content.occurredAt,
    }),
  );
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
}
