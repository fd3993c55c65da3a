export { ClientBarrier } from '@pos-ga4/queue-contract';
export { buildWorker, WorkerStartError } from './build-worker.js';
export type { RunningWorker, WorkerDeps } from './build-worker.js';
export {
  destinationOf,
  Ga4DestinationSchema,
  WORKER_ENV_ALIASES,
  WorkerConfigSchema,
} from './config.js';
export type { WorkerConfig, WorkerConfigInput } from './config.js';
export { PartitionLeases } from './lease/partition-leases.js';
export { SentLedger } from './ledger/sent-ledger.js';
export {
  CachedIdentityLookup,
  identityTokenKey,
  IdentityRecordSchema,
  IdentityStore,
} from './lookup/identity-store.js';
export type { IdentityRecord } from './lookup/identity-store.js';
export {
  derivedClientId,
  lookupTokens,
  pseudoClientId,
  resolveClient,
} from './lookup/resolve-client.js';
export { buildRequest } from './map/build-request.js';
export type { BuildFailureCode, BuildResult } from './map/build-request.js';
export { WORKER_ERROR_CODES } from './outcome/worker-error-codes.js';
export type {
  DeadLetterReason,
  OutcomeReason,
  WorkerCode,
  WorkerErrorCode,
} from './outcome/worker-error-codes.js';
export { DEFAULT_PROPERTY, routeStore } from './route/property-router.js';
export type { DeliveryOutcome, TransactionState } from './schedule/partition-consumer.js';
export { selectReady } from './schedule/core/select-ready.js';
export { backoffDelay, RetryableSendError } from './send/retry-policy.js';
export { apiSecretsOf, createMpClients } from './send/mp-clients.js';
export type { MpClients } from './send/mp-clients.js';
export type { RequestInfo } from './schedule/partition-consumer.js';
export { createWorkerMetrics } from './metrics/worker-metrics.js';
export type { WorkerMetrics, WorkerMetricsSource } from './metrics/worker-metrics.js';
export { queueDepthReader, QUEUE_STATES } from './metrics/queue-depth.js';
export type { QueueDepth, QueueDepthReader } from './metrics/queue-depth.js';
export { startWorkerMetrics } from './metrics/start-worker-metrics.js';
export type { WorkerMetricsEndpoint } from './metrics/start-worker-metrics.js';
