/**
 * Public surface of the spool: the port (`Spool`), the fsync'd file implementation
 * (`openFileSpool`), its coded errors (`SpoolError`: SPOOL_FULL, SPOOL_LOCKED, SPOOL_CORRUPT,
 * SPOOL_CLOSED, HANDOVER_TIMEOUT) and defaults. The drainer is used through the durable sink.
 */
export { DEFAULT_RETRY_POLICY } from './backoff.js';
export type { RetryPolicy } from './backoff.js';
export { openFileSpool } from './file-spool.js';
export type { FileSpool, FileSpoolOptions, SpoolRecovery } from './file-spool.js';
export { isSpoolError, SpoolError } from './spool-error.js';
export type { SpoolErrorCode } from './spool-error.js';
export { DEFAULT_SPOOL_CAPACITY } from './spool-level.js';
export type { Spool, SpoolCapacity, SpoolEntry, SpoolLevel } from './spool.js';
