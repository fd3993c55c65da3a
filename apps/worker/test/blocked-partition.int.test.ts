/**
 * A partition whose held jobs all wait for a client event it has not fetched (docs/delivery.md,
 * `batch.maxHeldBlocked`). After an outage a backlog arrives terminal by terminal: till A's
 * receipts fill the partition's `batch.maxHeld`, and the first of them waits for the same
 * customer's earlier purchase at till B, further down the same queue. Real Redis (own prefix),
 * the worker in this process, the local collector.
 */
import { partitionOf } from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';
import { bullmqTransactionSink } from '@pos-ga4/terminal';
import type { Transaction } from '@pos-ga4/transaction';
import { describe, expect, it } from 'vitest';

import { WorkerConfigSchema } from '../src/index.js';
import type { DeliveryOutcome } from '../src/index.js';
import { sale, until } from './sales.js';
import type { Till } from './sales.js';
import { startWorkerInProcess, useTestRig } from './test-rig.js';

const rig = useTestRig('blocked');
const CUSTOMER = '1234567890.1700000000';
const TILL_A: Till = { storeId: 'hold-1', terminalId: 'till-1' };

/** A till of another store in the same partition as till A. */
function tillBesideA(partitions: number): Till {
  const partition = partitionOf(TILL_A, partitions);
  for (let store = 2; ; store++) {
    const till = { storeId: `hold-${store}`, terminalId: 'till-1' };
    if (partitionOf(till, partitions) === partition) return till;
  }
}

/**
 * Till A: `countA` receipts a minute apart, the first for CUSTOMER; till B: one receipt for
 * CUSTOMER five minutes before that. All enqueued (A first) before the worker starts.
 */
async function deliverBacklog(
  countA: number,
  batch: { maxHeld: number; maxHeldBlocked: number },
): Promise<{ outcomes: DeliveryOutcome[]; earlier: Transaction; later: Transaction[] }> {
  const config = WorkerConfigSchema.parse({
    redis: { url: rig.redis.url, prefix: rig.redis.prefix },
    ga4: { baseUrl: rig.baseUrl, measurementId: 'G-BLOCKED', apiSecret: 'blocked-secret' },
    leaseMs: 1000,
    batch: { windowMs: 20, ...batch },
  });
  const start = Date.now() - 3600_000;
  const tillA = Array.from({ length: countA }, (_, i) =>
    sale(TILL_A, i + 1, {
      at: start + i * 60_000,
      ...(i === 0 ? { client: CUSTOMER } : {}),
    }),
  );
  const earlier = sale(tillBesideA(config.partitions), 1, {
    at: start - 5 * 60_000,
    client: CUSTOMER,
  });
  const sinkConnection = createRedisConnection({ url: rig.redis.url }, 'worker');
  const sink = bullmqTransactionSink({ connection: sinkConnection, prefix: rig.redis.prefix });
  await sink.enqueue(tillA);
  await sink.enqueue([earlier]);
  await sink.close();
  sinkConnection.disconnect();

  const { outcomes } = await startWorkerInProcess(rig, config);
  await until(() => outcomes.length === countA + 1, 'every receipt delivered');
  return { outcomes, earlier, later: tillA };
}

const deliveredIds = (): string[] =>
  rig.collector.store.events().map((event) => String(event.params['transaction_id']));

describe('a partition whose held jobs all wait for a client event it has not fetched', () => {
  it('fetches beyond batch.maxHeld until it holds that event, and keeps client and terminal order', async () => {
    const { outcomes, earlier, later } = await deliverBacklog(30, {
      maxHeld: 10,
      maxHeldBlocked: 100,
    });
    expect(outcomes.every((outcome) => outcome.outcome === 'sent')).toBe(true);
    const ids = deliveredIds();
    expect(ids.indexOf(earlier.transactionId)).toBeLessThan(
      ids.indexOf(later[0]?.transactionId ?? ''),
    );
    expect(ids.filter((id) => id !== earlier.transactionId)).toEqual(
      later.map((transaction) => transaction.transactionId),
    );
  });

  it('at batch.maxHeldBlocked gives up client order for one event rather than stall', async () => {
    const { outcomes, earlier, later } = await deliverBacklog(30, {
      maxHeld: 10,
      maxHeldBlocked: 15,
    });
    expect(outcomes.every((outcome) => outcome.outcome === 'sent')).toBe(true);
    const ids = deliveredIds();
    expect(ids.indexOf(later[0]?.transactionId ?? '')).toBeLessThan(
      ids.indexOf(earlier.transactionId),
    );
    expect(ids.filter((id) => id !== earlier.transactionId)).toEqual(
      later.map((transaction) => transaction.transactionId),
    );
  });
});
