/**
 * Partitioned transaction queues.
 *
 * Every terminal's transactions go to one partition queue, chosen by a stable hash of
 * `storeId/terminalId`, so one consumer per partition sees a terminal's receipts in order.
 * Queue names carry a Redis Cluster hash tag (`{tx-3}`): all keys of one queue share a slot, and
 * partitions spread over slots. Producers and workers must agree on the partition count (workers
 * record it in `<prefix>:meta` and refuse to start on a mismatch; see docs/delivery.md for how to
 * change it).
 */
import { createHash } from 'node:crypto';

import { metaKey, partitionHashTag } from './redis-keys.js';

export const DEFAULT_PARTITIONS = 8;
export const MAX_PARTITIONS = 1024;

export function partitionOf(
  terminal: { readonly storeId: string; readonly terminalId: string },
  partitions: number,
): number {
  const digest = createHash('sha256').update(`${terminal.storeId}/${terminal.terminalId}`).digest();
  return digest.readUInt32BE(0) % partitions;
}

/** Partition N's queue: `{tx-N}`, its Cluster hash tag (redis-keys.ts). */
export function transactionQueueName(partition: number): string {
  return partitionHashTag(partition);
}

/** The store and terminal of a transaction id (`<store>_<terminal>_<date>_<receipt>`). */
export function terminalOfTransactionId(
  transactionId: string,
): { storeId: string; terminalId: string } | undefined {
  const [storeId, terminalId] = transactionId.split('_');
  return storeId !== undefined && terminalId !== undefined && storeId !== '' && terminalId !== ''
    ? { storeId, terminalId }
    : undefined;
}

/** What `recordedPartitions` needs of a Redis client (ioredis fits). */
export interface MetaReader {
  hget(key: string, field: string): Promise<string | null>;
}

/**
 * The partition count this Redis was set up with (written by the first worker), or undefined
 * when no worker has run against this prefix yet. Producers (terminals, `replay`) must use it:
 * a receipt hashed with another count lands in a partition no worker reads.
 */
export async function recordedPartitions(
  redis: MetaReader,
  prefix: string,
): Promise<number | undefined> {
  const raw = await redis.hget(metaKey(prefix), 'partitions');
  if (raw === null) return undefined;
  const count = Number(raw);
  return Number.isInteger(count) && count >= 1 && count <= MAX_PARTITIONS ? count : undefined;
}
