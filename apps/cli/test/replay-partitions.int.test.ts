/**
 * `pos-ga4 replay` enqueues into the partitions the deployment's workers read: the count recorded
 * in `<prefix>:meta`, not the default (on a 16-partition deployment it used to put a terminal's
 * receipts where no worker reads); a `--partitions` that contradicts the recorded count enqueues
 * nothing and exits 2. Real subprocesses, the shared Redis under a prefix of the test's own.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  metaKey,
  partitionOf,
  recordedPartitions,
  transactionQueueName,
} from '@pos-ga4/queue-contract';
import { redisTestResource, runProcess } from '@pos-ga4/testkit';
import type { RedisTestResource } from '@pos-ga4/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'node_modules', '.bin', 'pos-ga4');
const JOURNAL = join(ROOT, 'fixtures', 'receipts', 'demo-day.jsonl');
const TILL = { storeId: 'berlin-01', terminalId: 'till-1' };

let redis: RedisTestResource;
beforeEach(() => {
  redis = redisTestResource('replay-partitions');
});
afterEach(async () => {
  await redis.cleanup();
});

const replay = (...args: string[]) =>
  runProcess(
    BIN,
    [
      'replay',
      JOURNAL,
      '--rebase',
      '--json',
      '--prefix',
      redis.prefix,
      '--redis-url',
      redis.url,
      ...args,
    ],
    { cwd: ROOT },
  );

/** Job ids waiting in a partition queue (BullMQ's wait list). */
function waiting(partition: number): Promise<string[]> {
  return redis.redis.lrange(`${redis.prefix}:${transactionQueueName(partition)}:wait`, 0, -1);
}

describe('replay and the deployment’s partition count', () => {
  it('uses the count recorded in <prefix>:meta (16 here), not the default 8', async () => {
    await redis.redis.hset(metaKey(redis.prefix), 'partitions', '16');
    expect(await recordedPartitions(redis.redis, redis.prefix)).toBe(16);
    // a till whose partition differs between 8 and 16
    expect(partitionOf(TILL, 16)).not.toBe(partitionOf(TILL, 8));
    const result = await replay();
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ partitions: 16, enqueued: 9 });
    const tillIds = (ids: string[]) => ids.filter((id) => id.startsWith('berlin-01_till-1_'));
    expect(tillIds(await waiting(partitionOf(TILL, 16)))).toHaveLength(3); // the journal's three
    expect(tillIds(await waiting(partitionOf(TILL, 8)))).toEqual([]);
  });

  it('refuses a --partitions that contradicts the recorded count, enqueueing nothing', async () => {
    await redis.redis.hset(metaKey(redis.prefix), 'partitions', '16');
    const result = await replay('--partitions', '8');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PARTITIONS_MISMATCH: ');
    expect(await redis.redis.keys(`${redis.prefix}:{tx-*`)).toEqual([]);
  });
});
