/**
 * Reads every transaction job of every partition queue with its fate: completed (sent,
 * deduplicated → delivered; skipped), failed (a dead letter; the reason code leads the failure
 * message), or still waiting/active/delayed (pending). Job data, results and failure reasons are
 * read with the queue contract's decoders (job-outcome.ts): a job whose data does not decode is
 * left out, a completed job whose result does not decode counts as delivered, a failure reason
 * without a code as UNKNOWN.
 */
import {
  decodeFailedReason,
  decodeJobResult,
  decodeTransactionJob,
  transactionQueueName,
} from '@pos-ga4/queue-contract';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

import type { JobSnapshot } from './reconcile-jobs.js';

export async function readJobSnapshots(options: {
  redis: Redis;
  prefix: string;
  partitions: number;
}): Promise<JobSnapshot[]> {
  const snapshots: JobSnapshot[] = [];
  for (let partition = 0; partition < options.partitions; partition++) {
    const queue = new Queue(transactionQueueName(partition), {
      connection: options.redis,
      prefix: options.prefix,
    });
    try {
      for (const [states, fate] of [
        [['completed'], 'completed'],
        [['failed'], 'failed'],
        [['waiting', 'active', 'delayed', 'prioritized'], 'pending'],
      ] as const) {
        for (const job of await queue.getJobs([...states])) {
          const decoded = decodeTransactionJob(job.data);
          if (!decoded.ok) continue;
          const transaction = decoded.data.transaction;
          if (fate === 'pending') snapshots.push({ transaction, fate: 'pending' });
          else if (fate === 'failed')
            snapshots.push({
              transaction,
              fate: 'dead-lettered',
              reason: decodeFailedReason(job.failedReason)?.code ?? 'UNKNOWN',
            });
          else {
            const outcome = decodeJobResult(job.returnvalue)?.outcome;
            snapshots.push({ transaction, fate: outcome === 'skipped' ? 'skipped' : 'delivered' });
          }
        }
      }
    } finally {
      await queue.close();
    }
  }
  return snapshots;
}
