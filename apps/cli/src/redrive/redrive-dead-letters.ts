/**
 * Redrive: dead letters back into delivery after an operator fixed the cause (credentials,
 * mapping, a store route, a clock). Each selected letter's transaction is re-added to its
 * partition queue under the same job id (the failed original is removed first, which frees the
 * id), with a fresh hand-over sequence, through the same sink terminals use; then the letter is
 * removed. The worker builds the request anew from the transaction and the current config: a
 * request that got a 4xx is never resent unchanged by the system itself, only by this deliberate
 * act. Idempotent: a letter redriven twice is re-added once (the job id exists).
 */
import type { DeadLetterJobData } from '@pos-ga4/queue-contract';
import { partitionOf, QUEUE_NAMES, transactionQueueName } from '@pos-ga4/queue-contract';
import { bullmqTransactionSink } from '@pos-ga4/terminal';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export interface RedriveOptions {
  readonly redis: Redis;
  readonly prefix: string;
  readonly partitions: number;
  readonly reason?: string | undefined;
  /** Only letters that failed at or after this time. */
  readonly since?: Date | undefined;
  readonly dryRun?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RedriveResult {
  readonly selected: number;
  readonly redriven: number;
  readonly byReason: Record<string, number>;
}

export async function redriveDeadLetters(options: RedriveOptions): Promise<RedriveResult> {
  const deadLetters = new Queue<DeadLetterJobData>(QUEUE_NAMES.deadLetter, {
    connection: options.redis,
    prefix: options.prefix,
  });
  const sink = bullmqTransactionSink({
    connection: options.redis,
    prefix: options.prefix,
    partitions: options.partitions,
  });
  const queues = new Map<number, Queue>();
  try {
    const letters = (await deadLetters.getJobs(['waiting', 'delayed', 'prioritized'])).filter(
      (job) => {
        const data = job.data;
        return (
          (options.reason === undefined || data.reason === options.reason) &&
          (options.since === undefined || Date.parse(data.failedAt) >= options.since.getTime())
        );
      },
    );
    // oldest sale first, so redriven purchases go before their refunds and in receipt order
    letters.sort(
      (a, b) =>
        Date.parse(a.data.transaction.occurredAt) - Date.parse(b.data.transaction.occurredAt),
    );
    const byReason: Record<string, number> = {};
    let redriven = 0;
    for (const letter of letters) {
      const { transaction, reason } = letter.data;
      byReason[reason] = (byReason[reason] ?? 0) + 1;
      if (options.dryRun !== true) {
        const partition = partitionOf(transaction, options.partitions);
        let queue = queues.get(partition);
        if (!queue) {
          queue = new Queue(transactionQueueName(partition), {
            connection: options.redis,
            prefix: options.prefix,
          });
          queues.set(partition, queue);
        }
        const original = await queue.getJob(transaction.transactionId);
        if (original && (await original.getState()) === 'failed') await original.remove();
        await sink.enqueue([transaction]);
        await letter.remove();
        redriven++;
      }
      options.onProgress?.(redriven, letters.length);
    }
    return { selected: letters.length, redriven, byReason };
  } finally {
    await sink.close();
    await Promise.all([...queues.values()].map((queue) => queue.close()));
    await deadLetters.close();
  }
}
