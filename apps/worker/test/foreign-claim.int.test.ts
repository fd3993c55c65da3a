/**
 * The fence against late claims (docs/delivery.md): a previous owner's fetch that reaches Redis
 * after another worker took the partition over (ioredis replays queued commands on reconnect)
 * takes jobs from the head of the queue and sits on them until their locks run out. The owner
 * must not send a terminal's later receipts before those come back. Real Redis (own prefix), the
 * worker in this process, the local collector; the late claim is a second BullMQ Worker's
 * `getNextJob`, which is what the stale fetch runs.
 */
import { buildCollector } from '@pos-ga4/collector';
import type { Collector } from '@pos-ga4/collector';
import { createLogger } from '@pos-ga4/logger';
import { partitionOf, transactionQueueName } from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';
import { bullmqTransactionSink } from '@pos-ga4/terminal';
import { redisTestResource } from '@pos-ga4/testkit';
import type { RedisTestResource } from '@pos-ga4/testkit';
import { completeTransaction } from '@pos-ga4/transaction';
import type { Transaction } from '@pos-ga4/transaction';
import { Worker } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { buildWorker, createMpClients, WorkerConfigSchema } from '../src/index.js';
import type { DeliveryOutcome } from '../src/index.js';

const TERMINAL = { storeId: 'fence-1', terminalId: 'till-1' };

let redis: RedisTestResource;
let collector: Collector;
let baseUrl: string;
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  redis = redisTestResource('fence');
  collector = buildCollector();
  baseUrl = await collector.app.listen({ port: 0, host: '127.0.0.1' });
});

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await collector.app.close();
  await redis.cleanup();
});

/** Receipts 1…count of one till, a minute apart, anonymous (each its own pseudo client). */
function receipts(count: number): Transaction[] {
  const start = Date.now() - 3600_000;
  return Array.from({ length: count }, (_, i) => {
    const result = completeTransaction({
      ...TERMINAL,
      receiptNumber: String(i + 1),
      kind: 'sale',
      occurredAt: new Date(start + i * 60_000).toISOString(),
      currency: 'EUR',
      pricesIncludeTax: true,
      lines: [{ sku: `SKU-${i}`, name: 'Item', quantity: 1, unitPrice: 250, lineTotal: 250 }],
      subtotal: 250,
      tax: 40,
      total: 250,
      identities: [],
      source: { format: 'jsonl' },
    });
    if (!result.ok) throw new Error(result.rejection.reason);
    return result.transaction;
  });
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a claim that reaches Redis late', () => {
  it('holds the terminal’s later receipts until the claimed ones are back, then sends all in order', async () => {
    const outcomes: DeliveryOutcome[] = [];
    const config = WorkerConfigSchema.parse({
      redis: { url: redis.url, prefix: redis.prefix },
      ga4: { baseUrl, measurementId: 'G-FENCE', apiSecret: 'fence-secret' },
      httpTimeoutMs: 2000,
      retry: { baseMs: 20, maxMs: 100 },
      leaseMs: 2000,
      batch: { windowMs: 20, maxHeld: 10 },
    });
    const connection = createRedisConnection({ url: redis.url }, 'worker');
    const mp = createMpClients(config);
    const worker = await buildWorker({
      config,
      connection,
      clients: mp.clients,
      logger: createLogger({
        name: 'test',
        level: process.env['DEBUG_FENCE'] === '1' ? 'info' : 'silent',
      }),
      onOutcome: (outcome) => outcomes.push(outcome),
    });
    closers.push(async () => {
      await worker.close();
      await mp.closeAll();
      connection.disconnect();
    });
    const sinkConnection = createRedisConnection({ url: redis.url }, 'worker');
    const sink = bullmqTransactionSink({ connection: sinkConnection, prefix: redis.prefix });
    closers.push(async () => {
      await sink.close();
      sinkConnection.disconnect();
    });
    // the late claimer: no processor, locks of 1 s that nobody extends
    const lateConnection = createRedisConnection({ url: redis.url }, 'worker');
    const late = new Worker(transactionQueueName(partitionOf(TERMINAL, config.partitions)), null, {
      connection: lateConnection,
      prefix: redis.prefix,
      lockDuration: 1000,
      autorun: false,
    });
    closers.push(async () => {
      await late.close(true);
      lateConnection.disconnect();
    });
    await late.waitUntilReady();

    const all = receipts(20);
    // GA4 answers 503: receipts 1–10 stay held (maxHeld 10), so the owner fetches nothing more
    collector.setFaults({ errorRate: 1 });
    await sink.enqueue(all.slice(0, 10));
    await until(
      () => worker.held().get(partitionOf(TERMINAL, config.partitions)) === 10,
      'ten held receipts',
    );
    await sink.enqueue(all.slice(10));
    const claimed = await Promise.all([1, 2, 3].map(() => late.getNextJob('late-owner')));
    expect(claimed.map((job) => job.id)).toEqual(
      all.slice(10, 13).map((transaction) => transaction.transactionId),
    );
    collector.setFaults({});
    await until(() => outcomes.length === 20, 'all twenty delivered');

    const deliveredOrder = collector.store
      .events()
      .map((event) => String(event.params['transaction_id']));
    expect(deliveredOrder).toEqual(all.map((transaction) => transaction.transactionId));
    expect(outcomes.every((outcome) => outcome.outcome === 'sent')).toBe(true);
  });
});
