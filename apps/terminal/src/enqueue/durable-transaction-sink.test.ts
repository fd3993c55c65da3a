/**
 * Durable sink over a real file spool and a fake queue (up, down or hanging): order kept, nothing
 * lost, bulk draining, no overtaking, timeouts without resends, restarts, SPOOL_FULL, close, and
 * transaction id collisions (caught before the spool, or reported by the queue at hand-over).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Transaction } from '@pos-ga4/transaction';
import { afterEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';

import {
  numberedTransaction,
  numberedTransactions,
  numberOf,
} from '../../test/fixtures-spool/numbered-transactions.js';
import { durableTransactionSink } from './durable-transaction-sink.js';
import type { DurableSinkOptions, DurableTransactionSink } from './durable-transaction-sink.js';
import { openFileSpool } from './spool/file-spool.js';
import type { FileSpoolOptions } from './spool/file-spool.js';
import { isSpoolError } from './spool/spool-error.js';
import type { TransactionIdCollision, TransactionSink } from './transaction-sink.js';

/** An inner sink standing in for BullMQ: records every call; can be down, or hang. */
class FakeQueue {
  calls: number[][] = [];
  created = 0;
  closed = 0;
  mode: 'up' | 'down' | 'hang' = 'up';
  /** Receipt numbers the queue already knows with other content (reported as collisions). */
  readonly taken = new Set<number>();
  private readonly hung: (() => void)[] = [];

  sink(): TransactionSink {
    this.created++;
    return {
      enqueue: (
        all: readonly Transaction[],
        onCollision?: (collision: TransactionIdCollision) => void,
      ) => {
        if (this.mode === 'down') return Promise.reject(new Error('ECONNREFUSED'));
        const transactions = all.filter((t) => !this.taken.has(numberOf(t.transactionId)));
        for (const transaction of all.filter((t) => !transactions.includes(t)))
          onCollision?.({ transaction, seenIn: 'queue' });
        const numbers = transactions.map((t) => numberOf(t.transactionId));
        if (this.mode === 'hang') {
          return new Promise<void>((resolve) => {
            this.hung.push(() => {
              this.calls.push(numbers);
              resolve();
            });
          });
        }
        this.calls.push(numbers);
        return Promise.resolve();
      },
      close: () => {
        this.closed++;
        return Promise.resolve();
      },
    };
  }

  release(): void {
    for (const resolve of this.hung.splice(0)) resolve();
  }

  /** Ids in the order the queue first saw them (re-adds are no-ops, as with BullMQ job ids). */
  queued(): number[] {
    const seen = new Set<number>();
    for (const n of this.calls.flat()) seen.add(n);
    return [...seen];
  }
}

const sinks: DurableTransactionSink[] = [];
afterEach(async () => {
  for (const sink of sinks.splice(0)) await sink.close();
});

const range = (from: number, count: number): number[] =>
  Array.from({ length: count }, (_, i) => from + i);

async function durable(
  queue: FakeQueue,
  options: { dir?: string; spoolOptions?: Partial<FileSpoolOptions> } & Partial<
    Omit<DurableSinkOptions, 'spool'>
  > = {},
): Promise<DurableTransactionSink> {
  const { dir, spoolOptions, ...sinkOptions } = options;
  const spool = await openFileSpool({
    dir: dir ?? mkdtempSync(join(tmpdir(), 'durable-unit-')),
    ...spoolOptions,
  });
  const sink = durableTransactionSink({
    spool,
    createInnerSink: () => queue.sink(),
    handOverTimeoutMs: 50,
    retry: { minDelayMs: 2, maxDelayMs: 10 },
    ...sinkOptions,
  });
  sinks.push(sink);
  return sink;
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('durable transaction sink', () => {
  it('hands everything over once, in order, while Redis is up', async () => {
    const queue = new FakeQueue();
    const sink = await durable(queue);
    for (let n = 1; n <= 300; n += 7) await sink.enqueue(numberedTransactions(n, 7));
    await sink.flush({ timeoutMs: 2000 });
    expect(queue.calls.flat()).toEqual(range(1, 301));
    expect(sink.status()).toMatchObject({ depth: 0, spooled: 301, handedOver: 301 });
  });

  it('resolves enqueue while the queue is down, then drains in order and in bulk', async () => {
    const queue = new FakeQueue();
    queue.mode = 'down';
    const errors: unknown[] = [];
    const sink = await durable(queue, { batchSize: 500, onHandOverError: (e) => errors.push(e) });
    for (let n = 1; n <= 1200; n += 100) await sink.enqueue(numberedTransactions(n, 100));
    await until(() => errors.length >= 3);
    expect(sink.status()).toMatchObject({
      depth: 1200,
      handedOver: 0,
      lastError: { message: 'ECONNREFUSED' },
    });
    expect(sink.status().consecutiveFailures).toBeGreaterThanOrEqual(3);
    queue.mode = 'up';
    sink.retryNow();
    await sink.flush({ timeoutMs: 2000 });
    expect(queue.calls.map((c) => c.length)).toEqual([500, 500, 200]);
    expect(queue.calls.flat()).toEqual(range(1, 1200));
    expect(sink.status()).toMatchObject({ depth: 0, consecutiveFailures: 0, batches: 3 });
  });

  it('never lets a new transaction overtake a spooled one', async () => {
    const queue = new FakeQueue();
    queue.mode = 'down';
    const sink = await durable(queue, { batchSize: 20 });
    await sink.enqueue(numberedTransactions(1, 50));
    queue.mode = 'up';
    sink.retryNow();
    for (let n = 51; n <= 90; n++) await sink.enqueue(numberedTransactions(n, 1));
    await sink.flush({ timeoutMs: 2000 });
    expect(queue.calls[0]).toEqual(range(1, 20));
    expect(queue.calls.flat()).toEqual(range(1, 90));
    for (const call of queue.calls) expect(call).toEqual(range(call[0] ?? 0, call.length));
  });

  it('times out a hanging addBulk (bullmq#995) without sending it twice, and keeps its result', async () => {
    const queue = new FakeQueue();
    queue.mode = 'hang';
    const errors: unknown[] = [];
    const sink = await durable(queue, { onHandOverError: (e) => errors.push(e) });
    await sink.enqueue(numberedTransactions(1, 5));
    await until(() => errors.length >= 2);
    expect(isSpoolError(errors[0], 'HANDOVER_TIMEOUT')).toBe(true);
    expect(sink.status()).toMatchObject({
      depth: 5,
      inFlight: true,
      lastError: { code: 'HANDOVER_TIMEOUT' },
    });
    await sink.enqueue(numberedTransactions(6, 5));
    queue.mode = 'up';
    queue.release(); // the stuck call completes: 1–5 are handed over, 6–10 follow
    await sink.flush({ timeoutMs: 2000 });
    expect(queue.calls).toEqual([range(1, 5), range(6, 5)]);
    expect(queue.created).toBe(1);
  });

  it('abandons a hand-over stuck too long: a new inner sink sends the batch again', async () => {
    const queue = new FakeQueue();
    queue.mode = 'hang';
    const sink = await durable(queue, { handOverTimeoutMs: 20, abandonAfterMs: 60 });
    await sink.enqueue(numberedTransactions(1, 3));
    await until(() => queue.created >= 2);
    expect(queue.closed).toBe(1);
    queue.mode = 'up';
    sink.retryNow();
    await sink.flush({ timeoutMs: 2000 });
    queue.release(); // the abandoned call lands late: a no-op for the queue
    expect(queue.queued()).toEqual([1, 2, 3]);
  });

  it('after a restart drains what was left, before anything new', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'durable-restart-'));
    const queue = new FakeQueue();
    queue.mode = 'down';
    const first = await durable(queue, { dir });
    await first.enqueue(numberedTransactions(1, 30));
    await first.close();
    queue.mode = 'up';
    const second = await durable(queue, { dir });
    await second.enqueue(numberedTransactions(31, 5));
    await second.flush({ timeoutMs: 2000 });
    expect(queue.calls.flat()).toEqual(range(1, 35));
    expect(second.status()).toMatchObject({ spooled: 5, handedOver: 35 });
  });

  it('refuses a whole batch with SPOOL_FULL when the spool is full; what is spooled stays', async () => {
    const queue = new FakeQueue();
    queue.mode = 'down';
    const alarms: boolean[] = [];
    const sink = await durable(queue, {
      spoolOptions: {
        capacity: { maxEntries: 10 },
        onAlarm: (level) => alarms.push(level.alarm),
      },
    });
    await sink.enqueue(numberedTransactions(1, 8));
    const refused = await sink.enqueue(numberedTransactions(9, 3)).catch((e: unknown) => e);
    expect(isSpoolError(refused, 'SPOOL_FULL')).toBe(true);
    expect(sink.status()).toMatchObject({ depth: 8, full: true, alarm: true, spooled: 8 });
    expect(alarms).toEqual([true]);
    queue.mode = 'up';
    sink.retryNow();
    await sink.flush({ timeoutMs: 2000 });
    await sink.enqueue(numberedTransactions(9, 3));
    await sink.flush({ timeoutMs: 2000 });
    expect(queue.calls.flat()).toEqual(range(1, 11));
    expect(alarms).toEqual([true, false]);
  });

  it('spools nothing of a batch with a transaction the queue contract refuses', async () => {
    const queue = new FakeQueue();
    queue.mode = 'down';
    const sink = await durable(queue);
    const [good, bad] = numberedTransactions(1, 2);
    if (good === undefined || bad === undefined) throw new Error('fixture');
    const broken = { ...bad, total: -1 } as Transaction;
    await expect(sink.enqueue([good, broken])).rejects.toBeInstanceOf(ZodError);
    expect(sink.status().depth).toBe(0);
  });

  it('rejects flush waiters and later enqueues once closed; keeps what is spooled', async () => {
    const queue = new FakeQueue();
    queue.mode = 'down';
    const sink = await durable(queue);
    await sink.enqueue(numberedTransactions(1, 2));
    const waiting = sink.flush().catch((e: unknown) => e);
    await sink.close();
    expect(isSpoolError(await waiting, 'SPOOL_CLOSED')).toBe(true);
    const late = await sink.enqueue(numberedTransactions(3, 1)).catch((e: unknown) => e);
    expect(isSpoolError(late, 'SPOOL_CLOSED')).toBe(true);
  });

  describe('transaction id collisions', () => {
    /** Receipt n again, but another sale: same id (same store, terminal, day, number). */
    const otherSale = (n: number): Transaction => ({
      ...numberedTransaction(n),
      occurredAt: '2026-11-26T17:00:00.000Z',
    });

    it('keeps a different receipt with a known id out of the spool and reports it', async () => {
      const queue = new FakeQueue();
      const sink = await durable(queue);
      await sink.enqueue(numberedTransactions(1, 3));
      const collisions: TransactionIdCollision[] = [];
      const other = otherSale(2);
      expect(other.transactionId).toBe(numberedTransaction(2).transactionId);
      await sink.enqueue([other, numberedTransaction(4)], (c) => collisions.push(c));
      expect(collisions).toEqual([{ transaction: other, seenIn: 'spool' }]);
      await sink.flush({ timeoutMs: 2000 });
      expect(queue.calls.flat()).toEqual([1, 2, 3, 4]);
      expect(sink.status()).toMatchObject({ spooled: 4, handedOver: 4 });
    });

    it('also within one batch; an identical re-send is spooled again without a report', async () => {
      const queue = new FakeQueue();
      const sink = await durable(queue);
      const collisions: TransactionIdCollision[] = [];
      await sink.enqueue(
        [numberedTransaction(1), otherSale(1), numberedTransaction(1), numberedTransaction(2)],
        (c) => collisions.push(c),
      );
      expect(collisions.map((c) => c.transaction.occurredAt)).toEqual(['2026-11-26T17:00:00.000Z']);
      await sink.enqueue(numberedTransactions(1, 2), (c) => collisions.push(c));
      await sink.flush({ timeoutMs: 2000 });
      expect(collisions).toHaveLength(1);
      expect(queue.queued()).toEqual([1, 2]);
      expect(sink.status().spooled).toBe(5);
    });

    it('throws a coded error when the caller gives no way to report, after spooling the rest', async () => {
      const queue = new FakeQueue();
      queue.mode = 'down';
      const sink = await durable(queue);
      await sink.enqueue([numberedTransaction(1)]);
      const error = await sink
        .enqueue([otherSale(1), numberedTransaction(2)])
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'TRANSACTION_ID_COLLISION' });
      expect(sink.status().depth).toBe(2);
    });

    it('knows the entries left from before a restart once they drain', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'durable-collide-'));
      const queue = new FakeQueue();
      queue.mode = 'down';
      const first = await durable(queue, { dir });
      await first.enqueue(numberedTransactions(1, 2));
      await first.close();
      queue.mode = 'up';
      const second = await durable(queue, { dir });
      await second.flush({ timeoutMs: 2000 });
      const collisions: TransactionIdCollision[] = [];
      await second.enqueue([otherSale(2)], (c) => collisions.push(c));
      expect(collisions.map((c) => c.seenIn)).toEqual(['spool']);
    });

    it('hands collisions the queue finds to onHandOverCollision and does not retry them', async () => {
      const queue = new FakeQueue();
      queue.taken.add(2);
      const reported: TransactionIdCollision[] = [];
      const sink = await durable(queue, {
        onHandOverCollision: (collision) => {
          reported.push(collision);
          return Promise.resolve();
        },
      });
      await sink.enqueue(numberedTransactions(1, 3));
      await sink.flush({ timeoutMs: 2000 });
      expect(reported.map((c) => [numberOf(c.transaction.transactionId), c.seenIn])).toEqual([
        [2, 'queue'],
      ]);
      expect(queue.calls.flat()).toEqual([1, 3]);
      expect(sink.status()).toMatchObject({ depth: 0, handedOver: 3, consecutiveFailures: 0 });
    });

    it('retries the batch when recording a hand-over collision fails', async () => {
      const queue = new FakeQueue();
      queue.taken.add(1);
      let attempts = 0;
      const sink = await durable(queue, {
        onHandOverCollision: () => {
          attempts++;
          return attempts === 1 ? Promise.reject(new Error('disk full')) : Promise.resolve();
        },
      });
      await sink.enqueue(numberedTransactions(1, 1));
      await sink.flush({ timeoutMs: 2000 });
      expect(attempts).toBe(2);
      expect(sink.status().depth).toBe(0);
    });
  });
});
