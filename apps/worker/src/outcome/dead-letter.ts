/**
 * Writes a dead letter: the transaction, the reason code, the last request body and the attempts
 * go to the `dead-letter` queue, keyed by the original job id (writing it twice is a no-op).
 * Dead letters are never processed automatically; `npx pos-ga4 redrive` re-queues them.
 */
import { DeadLetterJobDataSchema, jobIdFor } from '@pos-ga4/queue-contract';
import type { DeadLetterJobData } from '@pos-ga4/queue-contract';
import type { Transaction } from '@pos-ga4/transaction';
import type { Queue } from 'bullmq';

import type { DeadLetterReason } from './worker-error-codes.js';

export interface DeadLetterInput {
  readonly reason: DeadLetterReason;
  readonly message: string;
  readonly transaction: Transaction;
  readonly lastRequest?: unknown;
  readonly attempts: number;
  readonly now: Date;
}

export async function writeDeadLetter(
  queue: Queue<DeadLetterJobData>,
  input: DeadLetterInput,
): Promise<void> {
  const letter: DeadLetterJobData<DeadLetterReason> = {
    reason: input.reason,
    message: input.message,
    transaction: input.transaction,
    lastRequest: input.lastRequest,
    attempts: input.attempts,
    failedAt: input.now.toISOString(),
    originalJobId: jobIdFor(input.transaction),
  };
  const data = DeadLetterJobDataSchema.parse(letter);
  await queue.add(input.reason, data, {
    jobId: data.originalJobId,
    removeOnComplete: false,
    removeOnFail: false,
  });
}
