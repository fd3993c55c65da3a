/** Codes the terminal adapter gives rejected input (docs/errors.md lists them all). */
export const TERMINAL_ERROR_CODES = [
  'FRAME_TOO_LARGE',
  'RECEIPT_TOO_LARGE',
  'ENCODING_INVALID',
  'JSON_INVALID',
] as const;
export type TerminalErrorCode = (typeof TERMINAL_ERROR_CODES)[number];
