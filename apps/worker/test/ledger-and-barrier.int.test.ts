/**
 * Contract (characterization, issue 15): the two Redis structures that outlive a job, pinned
 * through `buildWorker` before the delivery core is redesigned (docs/delivery.md).
 * - The sent-ledger: a transaction that was sent and comes back as a job (its completed job
 *   removed and the receipt replayed, or a copy under another job id) is completed as
 *   `deduplicated` with the first delivery's request id, by a fresh worker too; GA4 receives it
 *   once, and its client's barrier entry (registered again by the replay) is released.
 * - The client barrier: a head whose transaction exists nowhere (a producer that died between
 *   registering and adding) blocks its client for two lease periods, then is removed, and the
 *   client's real event goes out.
 * Real Redis (own prefix), the worker in this process, the local collector.
 */
import {
  clientBarrierKey,
  jobIdFor,
  orderScoreOf,
  partitionOf,
  TRANSACTION_JOB_OPTIONS,
  transactionQueueName,
} from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';

import { sale, until } from './sales.js';
import type { Till } from './sales.js';
import { enqueueThroughSink, rigConfig, startWorkerInProcess, useTestRig } from './test-rig.js';

const rig = useTestRig('ledger-barrier');
const TILL: Till = { storeId: 'ledger-1', terminalId: 'till-1' };
const CLIENT = '2233445566.1700000000';
const HOUR = 3_600_000;
const LEASE_MS = 1000;

function config() {
  return rigConfig(rig, 'ledger', { leaseMs: LEASE_MS });
}

/** A connection and the till's partition queue, closed with the rig. */
function partitionQueue(partitions: number): Queue {
  const connection = createRedisConnection({ url: rig.redis.url }, 'worker');
  const queue = new Queue(transactionQueueName(partitionOf(TILL, partitions)), {
    connection,
    prefix: rig.redis.prefix,
  });
  rig.closers.push(async () => {
    await queue.close();
    connection.disconnect();
  });
  return queue;
}

const delivered = (): string[] =>
  rig.collector.store.events().map((event) => String(event.params['transaction_id']));

describe('a transaction the sent-ledger has', () => {
  it('is completed as deduplicated when it comes back, by a fresh worker, and GA4 receives it once', async () => {
    const cfg = config();
    const queue = partitionQueue(cfg.partitions);
    const barrierKey = clientBarrierKey(rig.redis.prefix, CLIENT);
    const receipt = sale(TILL, 'D-1', { at: Date.now() - HOUR, client: CLIENT });
    await enqueueThroughSink(rig, [receipt]);
    const first = await startWorkerInProcess(rig, cfg);
    await until(() => first.outcomes.length === 1, 'the first delivery');
    expect(first.outcomes[0]).toMatchObject({ outcome: 'sent' });
    const requestId = first.outcomes[0]?.requestId;
    expect(requestId).toEqual(expect.any(String));
    await first.worker.close();

    // the completed job is gone (retention) and the terminal replays the receipt
    await queue.remove(jobIdFor(receipt));
    await enqueueThroughSink(rig, [receipt]);
    expect(await queue.getJobState(jobIdFor(receipt))).toBe('waiting');
    expect(await rig.redis.redis.zscore(barrierKey, receipt.transactionId)).not.toBeNull();
    const second = await startWorkerInProcess(rig, cfg);
    await until(() => second.outcomes.length === 1, 'the replayed job settled');
    expect(second.outcomes[0]).toMatchObject({
      transactionId: receipt.transactionId,
      outcome: 'deduplicated',
      requestId,
    });
    expect(await queue.getJobState(jobIdFor(receipt))).toBe('completed');
    expect(await rig.redis.redis.zscore(barrierKey, receipt.transactionId)).toBeNull();

    // the same transaction under another job id
    const original = await queue.getJob(jobIdFor(receipt));
    await queue.add('sale', original?.data, { ...TRANSACTION_JOB_OPTIONS, jobId: 'copy-D-1' });
    await until(() => second.outcomes.length === 2, 'the copy settled');
    expect(second.outcomes[1]).toMatchObject({
      transactionId: receipt.transactionId,
      outcome: 'deduplicated',
      requestId,
    });
    expect(await queue.getJobState('copy-D-1')).toBe('completed');

    expect(delivered()).toEqual([receipt.transactionId]);
    expect(rig.collector.store.requests()).toHaveLength(1);
  });
});

describe('a client barrier head whose transaction exists nowhere', () => {
  it('is removed after two lease periods, and the client’s real event then goes out', async () => {
    const cfg = config();
    const barrierKey = clientBarrierKey(rig.redis.prefix, CLIENT);
    const receipt = sale(TILL, 'B-1', { at: Date.now() - HOUR, client: CLIENT });
    // a producer registered this one a minute earlier, then died before adding its job
    const ghost = 'ghost-1_till-9_20260101_G-1';
    await rig.redis.redis.zadd(barrierKey, orderScoreOf(receipt) - 60_000_000, ghost);
    await enqueueThroughSink(rig, [receipt]);
    expect(await rig.redis.redis.zrange(barrierKey, 0, -1)).toEqual([ghost, receipt.transactionId]);
    const startedAt = Date.now();
    const { outcomes } = await startWorkerInProcess(rig, cfg);
    await until(() => outcomes.length === 1, 'the real event delivered', 15_000);

    expect(outcomes[0]).toMatchObject({ transactionId: receipt.transactionId, outcome: 'sent' });
    expect(delivered()).toEqual([receipt.transactionId]);
    const sentAt = Date.parse(rig.collector.store.events()[0]?.receivedAt ?? '');
    expect(sentAt - startedAt).toBeGreaterThanOrEqual(2 * LEASE_MS);
    expect(await rig.redis.redis.zscore(barrierKey, ghost)).toBeNull();
    expect(await rig.redis.redis.exists(barrierKey)).toBe(0);
  });
});
