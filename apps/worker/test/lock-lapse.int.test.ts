/**
 * A held job whose lock runs out (a stalled event loop, a slow Redis): BullMQ's stalled check
 * puts it back in the queue and the same consumer fetches it again. It must still be sent once.
 * Real Redis (own prefix), the worker in this process, the local collector; the lapse is made
 * by deleting the jobs' lock keys while GA4 answers 503.
 */
import { partitionOf, transactionQueueName } from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';
import { bullmqTransactionSink } from '@pos-ga4/terminal';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';

import { WorkerConfigSchema } from '../src/index.js';
import { sale, until } from './sales.js';
import { startWorkerInProcess, useTestRig } from './test-rig.js';

const rig = useTestRig('lapse');
const TILL = { storeId: 'lapse-1', terminalId: 'till-1' };

describe('a held job whose lock ran out', () => {
  it('is fetched back by its consumer and still sent once', async () => {
    const config = WorkerConfigSchema.parse({
      redis: { url: rig.redis.url, prefix: rig.redis.prefix },
      ga4: { baseUrl: rig.baseUrl, measurementId: 'G-LAPSE', apiSecret: 'lapse-secret' },
      retry: { baseMs: 20, maxMs: 100 },
      leaseMs: 1000,
      batch: { windowMs: 20 },
    });
    const partition = partitionOf(TILL, config.partitions);
    const connection = createRedisConnection({ url: rig.redis.url }, 'worker');
    const queue = new Queue(transactionQueueName(partition), {
      connection,
      prefix: rig.redis.prefix,
    });
    const { worker, outcomes } = await startWorkerInProcess(rig, config);
    rig.closers.push(async () => {
      await queue.close();
      connection.disconnect();
    });
    const start = Date.now() - 3600_000;
    const receipts = Array.from({ length: 5 }, (_, i) =>
      sale(TILL, i + 1, { at: start + i * 60_000 }),
    );
    rig.collector.setFaults({ errorRate: 1 });
    const sink = bullmqTransactionSink({ connection, prefix: rig.redis.prefix });
    await sink.enqueue(receipts);
    await until(() => worker.held().get(partition) === 5, 'five held receipts');

    // the locks run out while the consumer holds the jobs
    const ids = receipts.map((receipt) => receipt.transactionId);
    await connection.del(...ids.map((id) => `${queue.toKey(id)}:lock`));
    const fetchedAgain = async (): Promise<boolean> => {
      const active = await queue.getActive();
      return active.length === 5 && active.every((job) => job.attemptsStarted >= 2);
    };
    const deadline = Date.now() + 15_000;
    while (!(await fetchedAgain())) {
      if (Date.now() > deadline) throw new Error('the jobs were not fetched back');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(worker.held().get(partition)).toBe(5);

    rig.collector.setFaults({});
    await until(() => outcomes.length >= 5, 'five outcomes');
    await new Promise((resolve) => setTimeout(resolve, 300)); // a second copy would go now
    const delivered = rig.collector.store
      .events()
      .map((event) => String(event.params['transaction_id']));
    expect(delivered).toEqual(ids);
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(Array(5).fill('sent'));
  });
});
