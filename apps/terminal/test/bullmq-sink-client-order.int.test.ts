/**
 * The BullMQ sink's client-order registration (docs/delivery.md, "the client barrier") against a
 * real, private redis-server: a transaction with a scanned client id is registered with its own
 * occurredAt as score, also when it is handed over again after attempts that failed while Redis
 * was away — a failed attempt must not push the retry's scores behind other terminals' later
 * events of the same client. Scores still never go backwards when a terminal's clock does.
 */
import { clientBarrierKey, orderScoreOf } from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';
import { startRedisServer } from '@pos-ga4/testkit';
import { completeTransaction } from '@pos-ga4/transaction';
import type { Transaction } from '@pos-ga4/transaction';
import { afterEach, describe, expect, it } from 'vitest';

import { bullmqTransactionSink } from '../src/index.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const CLIENT = '1234567890.1700000000';
const PREFIX = 'client-order';

function scanned(n: number, minute: number): Transaction {
  const result = completeTransaction({
    storeId: 's1',
    terminalId: 't1',
    receiptNumber: `R${n}`,
    kind: 'sale',
    occurredAt: new Date(Date.UTC(2026, 10, 26, 8, minute, 0)).toISOString(),
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: [{ sku: 'A', name: 'Pen', quantity: 1, unitPrice: 100, lineTotal: 100 }],
    subtotal: 100,
    tax: 0,
    total: 100,
    identities: [{ kind: 'ga-client-id', value: CLIENT }],
    source: { format: 'jsonl' },
  });
  if (!result.ok) throw new Error(result.rejection.reason);
  return result.transaction;
}

async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('bullmqTransactionSink client-order scores', () => {
  it('registers a batch retried after a Redis outage with its own occurredAt scores', async () => {
    const server = await startRedisServer();
    closers.push(() => server.close());
    const connection = createRedisConnection({ url: server.url }, 'producer');
    connection.on('error', () => undefined);
    closers.push(async () => {
      connection.disconnect();
      await Promise.resolve();
    });
    const sink = bullmqTransactionSink({ connection, prefix: PREFIX });
    closers.push(() => sink.close());
    await until(() => connection.status === 'ready');

    await server.stop();
    const batch = [scanned(1, 10), scanned(2, 20), scanned(3, 30)];
    // the durable sink retries the same head of its spool while Redis is away
    await expect(sink.enqueue(batch)).rejects.toThrow();
    await expect(sink.enqueue(batch)).rejects.toThrow();
    await server.start();
    await until(() => connection.status === 'ready');
    await sink.enqueue(batch);

    const key = clientBarrierKey(PREFIX, CLIENT);
    for (const transaction of batch)
      expect(Number(await connection.zscore(key, transaction.transactionId))).toBe(
        orderScoreOf(transaction),
      );
  });

  it('never lets a terminal’s scores go backwards when its clock does', async () => {
    const server = await startRedisServer();
    closers.push(() => server.close());
    const connection = createRedisConnection({ url: server.url }, 'producer');
    closers.push(async () => {
      connection.disconnect();
      await Promise.resolve();
    });
    const sink = bullmqTransactionSink({ connection, prefix: PREFIX });
    closers.push(() => sink.close());
    await until(() => connection.status === 'ready');

    const later = scanned(1, 30);
    const clockWentBack = scanned(2, 20);
    await sink.enqueue([later]);
    await sink.enqueue([clockWentBack]);
    const key = clientBarrierKey(PREFIX, CLIENT);
    expect(await connection.zrange(key, 0, -1)).toEqual([
      later.transactionId,
      clockWentBack.transactionId,
    ]);
    expect(Number(await connection.zscore(key, clockWentBack.transactionId))).toBe(
      orderScoreOf(later) + 1,
    );
  });
});
