/**
 * TransactionSink over a BullMQ queue. Validates job data against the queue contract before
 * adding (a bug here must not poison the queue), uses the transaction id as job id, and adds in
 * bulk (atomic per call). Job data never contains secrets.
 * Lifecycle: owns its Queue (closed by `close()`); the Redis connection is passed in and owned
 * by the caller.
 */
import {
  jobIdFor,
  QUEUE_NAMES,
  TRANSACTION_JOB_OPTIONS,
  TransactionJobDataSchema,
} from '@pos-ga4/queue-contract';
import type { TransactionJobData, TransactionJobName } from '@pos-ga4/queue-contract';
import { Queue } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';

import type { TransactionSink } from './transaction-sink.js';

export interface BullmqSinkOptions {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  readonly now?: () => Date;
}

export function bullmqTransactionSink(options: BullmqSinkOptions): TransactionSink {
  const queue = new Queue<TransactionJobData, unknown, TransactionJobName>(
    QUEUE_NAMES.transactions,
    {
      connection: options.connection,
      prefix: options.prefix,
    },
  );
  const now = options.now ?? (() => new Date());
  return {
    async enqueue(transactions) {
      if (transactions.length === 0) return;
      const enqueuedAt = now().toISOString();
      await queue.addBulk(
        transactions.map((transaction) => ({
          name: transaction.kind,
          data: TransactionJobDataSchema.parse({ transaction, enqueuedAt }),
          opts: { ...TRANSACTION_JOB_OPTIONS, jobId: jobIdFor(transaction) },
        })),
      );
    },
    async close() {
      await queue.close();
    },
  };
}
