/**
 * Stable codes the terminal adapter reports (docs/errors.md lists them all): rejected input
 * (reject log), a receipt profile that cannot be used, and the local spool and its hand-over to
 * the queue (errors and status). Every type of a code below is derived from these lists, so a
 * misspelt code does not compile.
 */
import type { RejectionCode } from '@pos-ga4/transaction';

/** Input the terminal itself rejects into the reject log. */
export const INPUT_REJECT_CODES = [
  'FRAME_TOO_LARGE',
  'SCAN_UNMATCHED',
  'RECEIPT_TOO_LARGE',
  'ENCODING_INVALID',
  'JSON_INVALID',
  'KV_INVALID',
  'PROFILE_UNKNOWN_LINE',
  'PROFILE_LINE_INVALID',
  'PROFILE_AMBIGUOUS',
  'PROFILE_NO_TOTAL',
  'PROFILE_NO_DATE',
  'PROFILE_NO_RECEIPT_NUMBER',
  'TRANSACTION_ID_COLLISION',
] as const;
export type InputRejectCode = (typeof INPUT_REJECT_CODES)[number];

export const TERMINAL_ERROR_CODES = [
  ...INPUT_REJECT_CODES,
  'PROFILE_INVALID',
  'SPOOL_FULL',
  'SPOOL_LOCKED',
  'SPOOL_CORRUPT',
  'SPOOL_CLOSED',
  'HANDOVER_TIMEOUT',
] as const;
export type TerminalErrorCode = (typeof TERMINAL_ERROR_CODES)[number];

/** A code of the reject log: the terminal's own, or the transaction contract's (@pos-ga4/transaction). */
export type RejectCode = InputRejectCode | RejectionCode;
