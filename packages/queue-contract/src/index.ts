export { DeadLetterJobDataSchema } from './dead-letter-job.js';
export type { DeadLetterJobData } from './dead-letter-job.js';
export { DEFAULT_PREFIX, QUEUE_NAMES } from './queue-names.js';
export type { QueueName } from './queue-names.js';
export {
  JOB_RETENTION,
  jobIdFor,
  TRANSACTION_JOB_OPTIONS,
  TransactionJobDataSchema,
} from './transaction-job.js';
export type { TransactionJobData, TransactionJobName } from './transaction-job.js';
export {
  DEFAULT_PARTITIONS,
  MAX_PARTITIONS,
  metaKey,
  partitionOf,
  recordedPartitions,
  terminalOfTransactionId,
  transactionQueueName,
} from './partitions.js';
export type { MetaReader } from './partitions.js';
export {
  FINGERPRINT_TTL_SECONDS,
  fingerprintKey,
  transactionFingerprint,
} from './transaction-fingerprint.js';
export {
  clientBarrierKey,
  normalizeClientId,
  orderScoreOf,
  scannedClientIdOf,
} from './client-order.js';
