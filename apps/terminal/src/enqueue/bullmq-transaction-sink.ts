/**
 * TransactionSink over BullMQ partition queues. Each transaction goes to its terminal's
 * partition (`partitionOf`), so a terminal's receipts stay in order in one queue. Validates job
 * data against the queue contract before adding (a bug here must not poison the queue), uses the
 * transaction id as job id (re-adding is a no-op), and adds in bulk, per partition in receipt
 * order. Transactions with a scanned client id are first registered in that client's order
 * barrier (`ClientBarrier`, the workers' own, from @pos-ga4/queue-contract). Job data is built with
 * the contract's `encodeTransactionJob` and never contains secrets.
 * Id collisions: with the add, in the same round trip, each transaction's content fingerprint is
 * recorded (`SET <prefix>:fp:{tx-N}:<id> <fingerprint> EX <8 days> NX GET`: atomic per id, in
 * the partition's Cluster slot). A transaction whose id already carries another fingerprint is a
 * different receipt: it goes to `onCollision` (seen in the queue). Its add was harmless: a no-op
 * while BullMQ keeps the job of the id's first receipt (7 days), and a job that slips in after
 * that completes on the worker's sent-ledger (8 days) without being sent. The same fingerprint (a
 * retry, a replay, a re-drain) is a silent no-op as before; a hand-over that failed after its
 * fingerprints were set finds its own fingerprints when it is retried.
 * Lifecycle: owns its Queues (closed by `close()`); the Redis connection is passed in and owned by
 * the caller.
 */
import {
  ClientBarrier,
  DEFAULT_PARTITIONS,
  encodeTransactionJob,
  FINGERPRINT_TTL_SECONDS,
  fingerprintKey,
  orderScoreOf,
  scannedClientIdOf,
  jobIdFor,
  partitionOf,
  TRANSACTION_JOB_OPTIONS,
  transactionFingerprint,
  transactionQueueName,
} from '@pos-ga4/queue-contract';
import type { BarrierEntry, TransactionJobData, TransactionJobName } from '@pos-ga4/queue-contract';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

import { reportCollisions } from './transaction-sink.js';
import type { TransactionIdCollision, TransactionSink } from './transaction-sink.js';

export interface BullmqSinkOptions {
  readonly connection: Redis;
  readonly prefix: string;
  readonly partitions?: number;
  readonly now?: () => Date;
}

type TransactionQueue = Queue<TransactionJobData, unknown, TransactionJobName>;

export function bullmqTransactionSink(options: BullmqSinkOptions): TransactionSink {
  const partitions = options.partitions ?? DEFAULT_PARTITIONS;
  const barrier = new ClientBarrier({ redis: options.connection, prefix: options.prefix });
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
  /**
   * Adds in bulk to a partition's queue. A Queue whose add failed is dropped and replaced on the
   * next attempt: BullMQ keeps a Queue's first connection set-up for good, so a Queue first used
   * while Redis was away (its version check failed) would fail every later add, even after Redis
   * is back, and the spool would never drain.
   */
  const addTo = async (
    partition: number,
    jobs: Parameters<TransactionQueue['addBulk']>[0],
  ): Promise<void> => {
    const queue = queueFor(partition);
    try {
      await queue.addBulk(jobs);
    } catch (error) {
      if (queues.get(partition) === queue) queues.delete(partition);
      // the connection is the caller's: closing this Queue leaves it open
      void queue.close().catch(() => undefined);
      throw error;
    }
  };
  const now = options.now ?? (() => new Date());
  let lastSequence = 0;
  // A terminal's barrier scores never go backwards, even if its clock does (docs/delivery.md).
  // Only a hand-over that succeeded moves them on: a failed attempt (Redis away) is retried with
  // the same transactions, which must get the same scores again, not scores behind the failed
  // attempt's last one (that would put them after other terminals' later events of the client).
  const lastScore = new Map<string, number>();
  return {
    async enqueue(transactions, onCollision) {
      if (transactions.length === 0) return;
      const enqueuedAt = now().toISOString();
      // Job data is checked before Redis is touched: a bug here must not poison the queue.
      const jobs = transactions.map((transaction) => {
        lastSequence = Math.max(lastSequence + 1, now().getTime() * 1000);
        return {
          transaction,
          partition: partitionOf(transaction, partitions),
          fingerprint: transactionFingerprint(transaction),
          data: encodeTransactionJob({ transaction, enqueuedAt, sequence: lastSequence }),
          jobId: jobIdFor(transaction),
        };
      });
      // Fingerprints go out together with the add (no extra round trip): SET … NX GET records
      // each one atomically and answers with the one already there.
      const recorded = Promise.all(
        jobs.map((job) =>
          options.connection.set(
            fingerprintKey(options.prefix, job.partition, job.transaction.transactionId),
            job.fingerprint,
            'EX',
            FINGERPRINT_TTL_SECONDS,
            'NX',
            'GET',
          ),
        ),
      );
      const scores = new Map(lastScore);
      const added = (async () => {
        // Client order holds from here on: a scanned client's transactions wait in its barrier
        // (docs/delivery.md) before any worker can see them. ZADD NX: re-adding is harmless.
        await barrier.register(
          jobs.flatMap(({ transaction }): BarrierEntry[] => {
            const scanned = scannedClientIdOf(transaction);
            if (scanned === undefined) return [];
            const terminal = `${transaction.storeId}/${transaction.terminalId}`;
            const score = Math.max(orderScoreOf(transaction), (scores.get(terminal) ?? 0) + 1);
            scores.set(terminal, score);
            return [
              {
                clientKey: barrier.clientKey(scanned.clientId),
                score,
                transactionId: transaction.transactionId,
              },
            ];
          }),
        );
        const byPartition = new Map<number, typeof jobs>();
        for (const job of jobs) {
          const list = byPartition.get(job.partition) ?? [];
          list.push(job);
          byPartition.set(job.partition, list);
        }
        for (const [partition, list] of byPartition) {
          await addTo(
            partition,
            list.map((job) => ({
              name: job.transaction.kind,
              data: job.data,
              opts: { ...TRANSACTION_JOB_OPTIONS, jobId: job.jobId },
            })),
          );
        }
      })();
      // Both settle before this attempt ends: an add still waiting for the connection must not
      // outlive a failed attempt (the drainer's timeout bounds the wait, and retries never pile up).
      const [fingerprints, adds] = await Promise.allSettled([recorded, added]);
      if (adds.status === 'rejected') throw adds.reason;
      if (fingerprints.status === 'rejected') throw fingerprints.reason;
      for (const [terminal, score] of scores) lastScore.set(terminal, score);
      const collisions = jobs.flatMap((job, index): TransactionIdCollision[] => {
        const previous = fingerprints.value[index] ?? null;
        return previous === null || previous === job.fingerprint
          ? []
          : [{ transaction: job.transaction, seenIn: 'queue' }];
      });
      reportCollisions(collisions, onCollision);
    },
    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
    },
  };
}
