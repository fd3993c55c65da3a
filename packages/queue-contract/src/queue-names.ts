/**
 * Queue and key naming shared by terminals and workers.
 *
 * Every BullMQ key lives under `<prefix>:<queue>:…`. The prefix is configurable so that several
 * deployments (or tests) can share one Redis without touching each other.
 */
export const DEFAULT_PREFIX = 'pos-ga4';

export const QUEUE_NAMES = {
  /** Transactions waiting to be sent to GA4. */
  transactions: 'transactions',
  /** Transactions that cannot be sent without an operator (reason code attached). */
  deadLetter: 'dead-letter',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];
