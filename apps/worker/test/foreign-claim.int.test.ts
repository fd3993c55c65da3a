/**
 * The fence against late claims (docs/delivery.md): a previous owner's fetch that reaches Redis
 * after another worker took the partition over (ioredis replays queued commands on reconnect)
 * takes jobs from the head of the queue and sits on them until their locks run out. The owner
 * must not send a terminal's later receipts before those come back. Real Redis (own prefix), the
 * worker in this process, the local collector; the late claim is a second BullMQ Worker's
 * `getNextJob`, which is what the stale fetch runs.
 */
import { partitionOf, transactionQueueName } from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';
import { bullmqTransactionSink } from '@pos-ga4/terminal';
import type { Transaction } from '@pos-ga4/transaction';
import { Worker } from 'bullmq';
import type { Job } from 'bullmq';
import { describe, expect, it } from 'vitest';

import { WorkerConfigSchema } from '../src/index.js';
import { sale, until } from './sales.js';
import { startWorkerInProcess, useTestRig } from './test-rig.js';
import type { DeliveryOutcome } from '../src/index.js';

const TERMINAL = { storeId: 'fence-1', terminalId: 'till-1' };

const rig = useTestRig('fence');

/** Receipts 1…count of one till, a minute apart, anonymous (each its own pseudo client). */
function receipts(count: number): Transaction[] {
  const start = Date.now() - 3600_000;
  return Array.from({ length: count }, (_, i) => sale(TERMINAL, i + 1, { at: start + i * 60_000 }));
}

interface Rig {
  readonly outcomes: DeliveryOutcome[];
  readonly all: Transaction[];
  readonly late: Worker;
  readonly claimed: readonly Job[];
  readonly claimedAt: number;
}

/**
 * The owner (maxHeld 10) holds receipts 1–10 of the till while GA4 answers 503, so it fetches
 * nothing more; receipts 11–20 are added and the late claimer takes 11–13 from the head of the
 * queue (locks of `lateLockMs`); then GA4 recovers.
 */
async function claimBehindTheOwnersBack(leaseMs: number, lateLockMs: number): Promise<Rig> {
  const config = WorkerConfigSchema.parse({
    redis: { url: rig.redis.url, prefix: rig.redis.prefix },
    ga4: { baseUrl: rig.baseUrl, measurementId: 'G-FENCE', apiSecret: 'fence-secret' },
    httpTimeoutMs: 2000,
    retry: { baseMs: 20, maxMs: 100 },
    leaseMs,
    batch: { windowMs: 20, maxHeld: 10 },
  });
  const partition = partitionOf(TERMINAL, config.partitions);
  const { worker, outcomes } = await startWorkerInProcess(rig, config);
  const sinkConnection = createRedisConnection({ url: rig.redis.url }, 'worker');
  const sink = bullmqTransactionSink({ connection: sinkConnection, prefix: rig.redis.prefix });
  rig.closers.push(async () => {
    await sink.close();
    sinkConnection.disconnect();
  });
  // the late claimer: a BullMQ worker with no processor, whose locks nobody extends
  const lateConnection = createRedisConnection({ url: rig.redis.url }, 'worker');
  const late = new Worker(transactionQueueName(partition), null, {
    connection: lateConnection,
    prefix: rig.redis.prefix,
    lockDuration: lateLockMs,
    autorun: false,
  });
  rig.closers.push(async () => {
    await late.close(true);
    lateConnection.disconnect();
  });
  await late.waitUntilReady();

  const all = receipts(20);
  rig.collector.setFaults({ errorRate: 1 });
  await sink.enqueue(all.slice(0, 10));
  await until(() => worker.held().get(partition) === 10, 'ten held receipts');
  await sink.enqueue(all.slice(10));
  const claimed = await Promise.all([1, 2, 3].map(() => late.getNextJob('late-owner')));
  expect(claimed.map((job) => job.id)).toEqual(
    all.slice(10, 13).map((transaction) => transaction.transactionId),
  );
  const claimedAt = Date.now();
  rig.collector.setFaults({});
  return { outcomes, all, late, claimed, claimedAt };
}

const delivered = (): string[] =>
  rig.collector.store.events().map((event) => String(event.params['transaction_id']));

describe('a claim that reaches Redis late', () => {
  it('holds the terminal’s later receipts until the claimed ones are back, then sends all in order', async () => {
    const { outcomes, all } = await claimBehindTheOwnersBack(2000, 1000);
    await until(() => outcomes.length === 20, 'all twenty delivered');
    expect(delivered()).toEqual(all.map((transaction) => transaction.transactionId));
    expect(outcomes.every((outcome) => outcome.outcome === 'sent')).toBe(true);
  });

  it('gives up on jobs whose claimer keeps them (after ten lease periods) and sends the rest in order', async () => {
    const { outcomes, all, late, claimed, claimedAt } = await claimBehindTheOwnersBack(1000, 1000);
    // a claimer outside the leases that renews its locks: the jobs never come back
    const renew = setInterval(() => {
      void late.extendJobLocks(
        claimed.map((job) => job.id ?? ''),
        claimed.map(() => 'late-owner'),
        1000,
      );
    }, 250);
    try {
      await until(() => outcomes.length === 17, 'the seventeen others delivered', 30_000);
      expect(delivered()).toEqual(
        [...all.slice(0, 10), ...all.slice(13)].map((transaction) => transaction.transactionId),
      );
      // receipts 1–10 (older than the claimed ones) may go at once; 14–20 waited for 11–13 for
      // ten lease periods of 1 s
      const later = new Set(all.slice(13).map((transaction) => transaction.transactionId));
      const firstLater = Math.min(
        ...rig.collector.store
          .events()
          .filter((event) => later.has(String(event.params['transaction_id'])))
          .map((event) => Date.parse(event.receivedAt)),
      );
      expect(firstLater - claimedAt).toBeGreaterThanOrEqual(9_000);
    } finally {
      clearInterval(renew);
    }
  });
});

describe('taking over from an owner that held more than batch.maxHeld', () => {
  it('holds every job the previous owner left before sending, and sends them in receipt order', async () => {
    const config = WorkerConfigSchema.parse({
      redis: { url: rig.redis.url, prefix: rig.redis.prefix },
      ga4: { baseUrl: rig.baseUrl, measurementId: 'G-FENCE', apiSecret: 'fence-secret' },
      leaseMs: 1000,
      batch: { windowMs: 20, maxHeld: 10 },
    });
    const partition = partitionOf(TERMINAL, config.partitions);
    const connection = createRedisConnection({ url: rig.redis.url }, 'worker');
    rig.closers.push(() => {
      connection.disconnect();
      return Promise.resolve();
    });
    const all = receipts(40);
    const sink = bullmqTransactionSink({ connection, prefix: rig.redis.prefix });
    await sink.enqueue(all);
    // the previous owner (dead now) had claimed the first 30, three times maxHeld
    const previous = new Worker(transactionQueueName(partition), null, {
      connection,
      prefix: rig.redis.prefix,
      lockDuration: 1000,
      autorun: false,
    });
    for (let i = 0; i < 30; i++) await previous.getNextJob('dead-owner');
    await previous.close(true);

    const { outcomes } = await startWorkerInProcess(rig, config);
    await until(() => outcomes.length === 40, 'all forty delivered');
    expect(delivered()).toEqual(all.map((transaction) => transaction.transactionId));
  });
});
