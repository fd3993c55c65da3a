/**
 * The BullMQ sink after a hand-over that failed because Redis was away: the next hand-over, once
 * Redis answers again, succeeds. (BullMQ keeps a Queue's first connection set-up for good: a Queue
 * first used while Redis was down failed every later add, so a terminal that started its first
 * hand-over during an outage never drained its spool.) A redis-server of its own, stopped and
 * started again; the producer connection as terminals make it (no offline queue).
 */
import { partitionOf, transactionQueueName } from '@pos-ga4/queue-contract';
import type { TransactionJobData } from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';
import { startRedisServer } from '@pos-ga4/testkit';
import { completeTransaction } from '@pos-ga4/transaction';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';

import { bullmqTransactionSink } from '../src/index.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function receipt(number: string) {
  const result = completeTransaction({
    storeId: 'reconnect-1',
    terminalId: 'till-1',
    receiptNumber: number,
    kind: 'sale',
    occurredAt: new Date(Date.now() - 60_000).toISOString(),
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: [{ sku: 'A', name: 'Pen', quantity: 1, unitPrice: 100, lineTotal: 100 }],
    subtotal: 100,
    tax: 16,
    total: 100,
    source: { format: 'jsonl' },
  });
  if (!result.ok) throw new Error(result.rejection.reason);
  return result.transaction;
}

describe('bullmqTransactionSink and a Redis that was away at its first hand-over', () => {
  it('hands over once Redis is back (a Queue set up during the outage is not kept)', async () => {
    const server = await startRedisServer();
    closers.push(() => server.close());
    const redis = createRedisConnection({ url: server.url }, 'producer');
    redis.on('error', () => undefined);
    closers.push(async () => {
      redis.disconnect();
      await Promise.resolve();
    });
    const ready = (): Promise<void> =>
      redis.status === 'ready'
        ? Promise.resolve()
        : new Promise((resolve) =>
            redis.once('ready', () => {
              resolve();
            }),
          );
    await ready();
    const sink = bullmqTransactionSink({ connection: redis, prefix: 'pos-ga4' });
    closers.push(() => sink.close());

    await server.stop({ kill: true });
    const first = receipt('R1');
    // the first hand-over ever happens during the outage; like the spool drainer, nobody waits
    // for it beyond a moment (it may fail at once or hang until Redis is back)
    const during = sink.enqueue([first]).then(
      () => 'handed over',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await server.start();
    await ready();
    await during;

    const again = await Promise.race([
      sink.enqueue([first]).then(
        () => 'handed over',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      ),
      new Promise((resolve) =>
        setTimeout(() => {
          resolve('hung');
        }, 10_000),
      ),
    ]);
    expect(again).toBe('handed over');
    const queue = new Queue<TransactionJobData>(transactionQueueName(partitionOf(first, 8)), {
      connection: redis,
      prefix: 'pos-ga4',
    });
    closers.push(() => queue.close());
    expect((await queue.getJob(first.transactionId))?.data.transaction.receiptNumber).toBe('R1');
  });
});
