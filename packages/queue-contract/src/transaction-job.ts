/**
 * The job that carries one Transaction from a terminal to a worker.
 *
 * - `jobIdFor`: the job id is the transaction id: deterministic, so adding the same receipt twice
 *   is a no-op while the first job is kept (see `JOB_RETENTION`).
 * - `TransactionJobDataSchema`: validated by the producer before `add` and by the worker on
 *   receipt; terminals and workers are deployed apart and will drift. Producers build job data
 *   with `encodeTransactionJob` (throws the ZodError before anything reaches Redis: a bug there
 *   must not poison the queue); readers (worker, reconcile, tools) take it with
 *   `decodeTransactionJob` (never throws: `{ ok: false, message }` for job data it cannot read).
 * - Job data holds no secrets: GA4 credentials live only in worker config.
 */
import { TransactionSchema } from '@pos-ga4/transaction';
import type { Transaction } from '@pos-ga4/transaction';
import { z } from 'zod';

export const TransactionJobDataSchema = z.strictObject({
  transaction: TransactionSchema,
  /** When the terminal handed it over (ISO 8601). */
  enqueuedAt: z.iso.datetime({ offset: true }),
  /**
   * The producer's hand-over order (strictly increasing per producer). Workers order a
   * terminal's jobs by it: BullMQ's own timestamps tie within a bulk add, and jobs recovered from
   * a dead worker come back to the queue in no particular order.
   */
  sequence: z.number().int().nonnegative().optional(),
});

export type TransactionJobData = z.output<typeof TransactionJobDataSchema>;
/** Job names are the transaction kind, so dashboards can tell sales from refunds at a glance. */
export type TransactionJobName = Transaction['kind'];

/** Job data for `add`, validated. Throws a ZodError when it does not fit the contract. */
export function encodeTransactionJob(data: TransactionJobData): TransactionJobData {
  return TransactionJobDataSchema.parse(data);
}

export type DecodedTransactionJob =
  | { readonly ok: true; readonly data: TransactionJobData }
  /** `message`: the first problem found (what a JOB_INVALID dead letter says). */
  | { readonly ok: false; readonly message: string };

/** A job's data as read from the queue, validated. */
export function decodeTransactionJob(data: unknown): DecodedTransactionJob {
  const parsed = TransactionJobDataSchema.safeParse(data);
  return parsed.success
    ? { ok: true, data: parsed.data }
    : { ok: false, message: parsed.error.issues[0]?.message ?? 'invalid job data' };
}

export function jobIdFor(transaction: Pick<Transaction, 'transactionId'>): string {
  const id = transaction.transactionId;
  if (id === '' || id.includes(':') || /^\d+$/.test(id)) {
    throw new TypeError(`transaction id ${JSON.stringify(id)} cannot be a BullMQ job id`);
  }
  return id;
}

/** Seconds a finished job is kept; while it is kept, re-adding its id is ignored. */
export const JOB_RETENTION = {
  completedSeconds: 7 * 24 * 3600,
  completedCount: 1_000_000,
} as const;

/**
 * Default options for transaction jobs. Workers never let BullMQ retry a job (a BullMQ retry moves
 * it behind newer jobs and breaks order): they hold it and retry in place, and a job fails only
 * into the dead-letter queue.
 */
export const TRANSACTION_JOB_OPTIONS = {
  attempts: 1,
  removeOnComplete: { age: JOB_RETENTION.completedSeconds, count: JOB_RETENTION.completedCount },
  removeOnFail: { age: JOB_RETENTION.completedSeconds },
} as const;
