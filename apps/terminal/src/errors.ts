/**
 * Stable codes the terminal adapter reports (docs/errors.md lists them all): rejected input
 * (reject log), and the local spool and its hand-over to the queue (errors and status).
 */
export const TERMINAL_ERROR_CODES = [
  'FRAME_TOO_LARGE',
  'SCAN_UNMATCHED',
  'RECEIPT_TOO_LARGE',
  'ENCODING_INVALID',
  'JSON_INVALID',
  'KV_INVALID',
  'PROFILE_INVALID',
  'PROFILE_UNKNOWN_LINE',
  'PROFILE_LINE_INVALID',
  'PROFILE_AMBIGUOUS',
  'PROFILE_NO_TOTAL',
  'PROFILE_NO_DATE',
  'PROFILE_NO_RECEIPT_NUMBER',
  'TRANSACTION_ID_COLLISION',
  'SPOOL_FULL',
  'SPOOL_LOCKED',
  'SPOOL_CORRUPT',
  'SPOOL_CLOSED',
  'HANDOVER_TIMEOUT',
] as const;
export type TerminalErrorCode = (typeof TERMINAL_ERROR_CODES)[number];
