/**
 * The Redis protocol between terminals, workers and tools: queue names and partitions, job data
 * and its codec, job ids and options, how a job's end is encoded, every Redis key
 * (redis-keys.ts), the client order barrier, fingerprints and dead letters.
 */
export { ClientBarrier } from './client-barrier.js';
export type { BarrierEntry, ClientBarrierRedis } from './client-barrier.js';
export { normalizeClientId, orderScoreOf, scannedClientIdOf } from './client-order.js';
export { DeadLetterJobDataSchema } from './dead-letter-job.js';
export type { DeadLetterJobData } from './dead-letter-job.js';
export {
  decodeFailedReason,
  decodeJobResult,
  encodeFailedReason,
  encodeJobResult,
  FAILURE_CODE,
  JOB_RESULT_OUTCOMES,
  JobResultSchema,
} from './job-outcome.js';
export type { JobResult, JobResultOutcome } from './job-outcome.js';
export {
  DEFAULT_PARTITIONS,
  MAX_PARTITIONS,
  partitionOf,
  recordedPartitions,
  terminalOfTransactionId,
  transactionQueueName,
} from './partitions.js';
export type { MetaReader } from './partitions.js';
export { DEFAULT_PREFIX, QUEUE_NAMES } from './queue-names.js';
export type { QueueName } from './queue-names.js';
export {
  bullmqQueueKey,
  clientBarrierKey,
  doctorProbeKey,
  fingerprintKey,
  heartbeatIndexKey,
  heartbeatKey,
  heartbeatKeyOfMember,
  heartbeatMember,
  identityKey,
  keyspacePattern,
  leaseKey,
  metaKey,
  parseHeartbeatMember,
  partitionHashTag,
  sentLedgerKey,
  workersKey,
} from './redis-keys.js';
export { FINGERPRINT_TTL_SECONDS, transactionFingerprint } from './transaction-fingerprint.js';
export {
  decodeTransactionJob,
  encodeTransactionJob,
  JOB_RETENTION,
  jobIdFor,
  TRANSACTION_JOB_OPTIONS,
  TransactionJobDataSchema,
} from './transaction-job.js';
export type {
  DecodedTransactionJob,
  TransactionJobData,
  TransactionJobName,
} from './transaction-job.js';
