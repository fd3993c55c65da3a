/**
 * ESC/POS receipt framing: public surface. Pure step functions (`stepEscpos`, `flushEscposIdle`,
 * `endEscpos` over `createEscposState`) and the `EscposFramer` / `splitEscposReceipts` wrappers.
 * No I/O, no timers; the caller owns the byte source and any idle timer.
 */
export {
  CP437,
  CP850,
  CP858,
  CP1252,
  codePageForEscT,
  decodeByte,
  SUPPORTED_ESC_T,
} from './code-pages.js';
export type { CodePage } from './code-pages.js';
export { EscposFramer, splitEscposReceipts } from './escpos-framer.js';
export {
  createEscposState,
  DEFAULT_IDLE_MS,
  DEFAULT_MAX_RECEIPT_BYTES,
  escposBufferedBytes,
  MAX_PARAM_BYTES,
} from './escpos-state.js';
export type { EscposFramerState } from './escpos-state.js';
export {
  endEscpos,
  flushEscposIdle,
  MAX_CODES,
  MAX_WARNINGS,
  REJECTED_PREFIX_BYTES,
  stepEscpos,
} from './escpos-step.js';
export type {
  EscposCode,
  EscposCodeKind,
  EscposEndedBy,
  EscposFrame,
  EscposFramerOptions,
  EscposReceiptFrame,
  EscposRejectedFrame,
  EscposStepResult,
  ResolvedEscposOptions,
} from './escpos-types.js';
