export { buildWorker } from './build-worker.js';
export type { JobResult, RunningWorker, WorkerDeps } from './build-worker.js';
export {
  destinationOf,
  Ga4DestinationSchema,
  WORKER_ENV_ALIASES,
  WorkerConfigSchema,
} from './config.js';
export type { WorkerConfig, WorkerConfigInput } from './config.js';
export { normalizeClientId, pseudoClientId, resolveClient } from './lookup/resolve-client.js';
export { buildRequest } from './map/build-request.js';
export type { BuildFailureCode, BuildResult } from './map/build-request.js';
export { WORKER_ERROR_CODES } from './outcome/worker-error-codes.js';
export type { WorkerErrorCode } from './outcome/worker-error-codes.js';
export { backoffDelay, RetryableSendError } from './send/retry-policy.js';
