export { assembleTransaction } from './assemble/assemble-transaction.js';
export type { AssembleContext } from './assemble/assemble-transaction.js';
export { daysToRecent, shiftDraftDates, shiftIsoDate } from './assemble/shift-dates.js';
export type { ByteSource } from './device/byte-source.js';
export { fileByteSource } from './device/file-byte-source.js';
export { bullmqTransactionSink } from './enqueue/bullmq-transaction-sink.js';
export type { BullmqSinkOptions } from './enqueue/bullmq-transaction-sink.js';
export type { TransactionSink } from './enqueue/transaction-sink.js';
export { TERMINAL_ERROR_CODES } from './errors.js';
export type { TerminalErrorCode } from './errors.js';
export { endLines, initialLineState, stepLines } from './frame/lines/line-framer.js';
export type {
  LineFrame,
  LineFramerFrame,
  LineFramerState,
  RejectedLineFrame,
} from './frame/lines/line-framer.js';
export { escposRecordFramer } from './frame/escpos-record-framer.js';
export type { Frame, Framer, RecordFrame, RejectedFrame } from './frame/framer.js';
export { lineRecordFramer } from './frame/lines/line-record-framer.js';
export { JSONL_FORMAT } from './input-format.js';
export type { InputFormat, InputFormatName } from './input-format.js';
export { jsonlRecordParser, parseJsonlRecord } from './parse/jsonl-record-parser.js';
export type { RecordParser, RecordParseResult } from './parse/record-parser.js';
export { runPipeline } from './pipeline.js';
export type { PipelineOptions, PipelineStats } from './pipeline.js';
export { fileRejectLog, readRejects } from './reject/file-reject-log.js';
export type { RejectLog, Rejection, RejectRecord } from './reject/reject-log.js';
export { FileSourceSchema, TERMINAL_ENV_ALIASES, TerminalConfigSchema } from './config.js';
export type { TerminalConfig } from './config.js';
export {
  createEscposState,
  EscposFramer,
  endEscpos,
  flushEscposIdle,
  splitEscposReceipts,
  stepEscpos,
} from './frame/escpos/index.js';
export type {
  EscposCode,
  EscposFrame,
  EscposFramerOptions,
  EscposFramerState,
  EscposReceiptFrame,
  EscposRejectedFrame,
} from './frame/escpos/index.js';
