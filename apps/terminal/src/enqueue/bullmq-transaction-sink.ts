/**
 * TransactionSink over BullMQ partition queues. Each transaction goes to its terminal's
 * partition (`partitionOf`), so a terminal's receipts stay in order in one queue. Validates job
 * data against the queue contract before adding (a bug here must not poison the queue), uses the
 * transaction id as job id (re-adding is a no-op), and adds in bulk, per partition in receipt
 * order. Transactions with a scanned client id are first registered in that client's order
 * barrier. Job data never contains secrets.
 * Lifecycle: owns its Queues (closed by `close()`); the Redis connection is passed in and owned by
 * the caller.
 */
import {
  clientBarrierKey,
  DEFAULT_PARTITIONS,
  orderScoreOf,
  scannedClientIdOf,
  jobIdFor,
  partitionOf,
  TRANSACTION_JOB_OPTIONS,
  transactionQueueName,
  TransactionJobDataSchema,
} from '@pos-ga4/queue-contract';
import type { TransactionJobData, TransactionJobName } from '@pos-ga4/queue-contract';
import type { Transaction } from '@pos-ga4/transaction';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

import type { TransactionSink } from './transaction-sink.js';

export interface BullmqSinkOptions {
  readonly connection: Redis;
  readonly prefix: string;
  readonly partitions?: number;
  readonly now?: () => Date;
}

type TransactionQueue = Queue<TransactionJobData, unknown, TransactionJobName>;

export function bullmqTransactionSink(options: BullmqSinkOptions): TransactionSink {
  const partitions = options.partitions ?? DEFAULT_PARTITIONS;
  const queues = new Map<number, TransactionQueue>();
  const queueFor = (partition: number): TransactionQueue => {
    let queue = queues.get(partition);
    if (!queue) {
      queue = new Queue(transactionQueueName(partition), {
        connection: options.connection,
        prefix: options.prefix,
      });
      // connection errors surface as rejected adds (the caller spools); don't print them here
      queue.on('error', () => undefined);
      queues.set(partition, queue);
    }
    return queue;
  };
  const now = options.now ?? (() => new Date());
  let lastSequence = 0;
  // A terminal's barrier scores never go backwards, even if its clock does (docs/delivery.md).
  // Only a hand-over that succeeded moves them on: a failed attempt (Redis away) is retried with
  // the same transactions, which must get the same scores again, not scores behind the failed
  // attempt's last one (that would put them after other terminals' later events of the client).
  const lastScore = new Map<string, number>();
  return {
    async enqueue(transactions) {
      if (transactions.length === 0) return;
      const enqueuedAt = now().toISOString();
      const sequences = new Map<Transaction, number>();
      for (const transaction of transactions) {
        lastSequence = Math.max(lastSequence + 1, now().getTime() * 1000);
        sequences.set(transaction, lastSequence);
      }
      const byPartition = new Map<number, Transaction[]>();
      for (const transaction of transactions) {
        const partition = partitionOf(transaction, partitions);
        const list = byPartition.get(partition) ?? [];
        list.push(transaction);
        byPartition.set(partition, list);
      }
      // Client order holds from here on: a scanned client's transactions wait in its barrier
      // (docs/delivery.md) before any worker can see them. ZADD NX: re-adding is harmless.
      const scores = new Map(lastScore);
      await Promise.all(
        transactions.flatMap((transaction) => {
          const scanned = scannedClientIdOf(transaction);
          if (scanned === undefined) return [];
          const terminal = `${transaction.storeId}/${transaction.terminalId}`;
          const score = Math.max(orderScoreOf(transaction), (scores.get(terminal) ?? 0) + 1);
          scores.set(terminal, score);
          return [
            options.connection.zadd(
              clientBarrierKey(options.prefix, scanned.clientId),
              'NX',
              score,
              transaction.transactionId,
            ),
          ];
        }),
      );
      for (const [partition, list] of byPartition) {
        await queueFor(partition).addBulk(
          list.map((transaction) => ({
            name: transaction.kind,
            data: TransactionJobDataSchema.parse({
              transaction,
              enqueuedAt,
              sequence: sequences.get(transaction),
            }),
            opts: { ...TRANSACTION_JOB_OPTIONS, jobId: jobIdFor(transaction) },
          })),
        );
      }
      for (const [terminal, score] of scores) lastScore.set(terminal, score);
    },
    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
    },
  };
}
