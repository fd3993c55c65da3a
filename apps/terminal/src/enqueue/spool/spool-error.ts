/**
 * The coded error of the spool and of the durable sink (codes in docs/errors.md).
 * - `SPOOL_FULL`: an append would pass the spool's capacity; nothing of that batch was written.
 * - `SPOOL_LOCKED`: another live process (or this one) has the spool directory open.
 * - `SPOOL_CORRUPT`: the spool file is not a spool of this version, or a record failed its
 *   checksum where it cannot be a torn tail.
 * - `SPOOL_CLOSED`: the spool or sink was used after `close()`.
 * - `HANDOVER_TIMEOUT`: the queue did not take a batch within the hand-over timeout.
 */
import type { TerminalErrorCode } from '../../errors.js';

export type SpoolErrorCode = Extract<
  TerminalErrorCode,
  'SPOOL_FULL' | 'SPOOL_LOCKED' | 'SPOOL_CORRUPT' | 'SPOOL_CLOSED' | 'HANDOVER_TIMEOUT'
>;

export class SpoolError extends Error {
  override readonly name = 'SpoolError';
  readonly code: SpoolErrorCode;

  constructor(code: SpoolErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export function isSpoolError(error: unknown, code?: SpoolErrorCode): error is SpoolError {
  return error instanceof SpoolError && (code === undefined || error.code === code);
}
