export { assembleTransaction } from './assemble/assemble-transaction.js';
export type { AssembleContext } from './assemble/assemble-transaction.js';
export { daysToRecent, shiftDraftDates, shiftIsoDate } from './assemble/shift-dates.js';
export type { ByteSource } from './device/byte-source.js';
export { fileByteSource } from './device/file-byte-source.js';
export { bullmqTransactionSink } from './enqueue/bullmq-transaction-sink.js';
export type { BullmqSinkOptions } from './enqueue/bullmq-transaction-sink.js';
export { TransactionIdCollisionError } from './enqueue/transaction-sink.js';
export type {
  OnCollision,
  TransactionIdCollision,
  TransactionSink,
} from './enqueue/transaction-sink.js';
export { INPUT_REJECT_CODES, TERMINAL_ERROR_CODES } from './errors.js';
export type { InputRejectCode, RejectCode, TerminalErrorCode } from './errors.js';
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
export {
  FileSourceSchema,
  storeTimeZone,
  TERMINAL_ENV_ALIASES,
  TerminalConfigSchema,
} from './config.js';
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
export { escposOptionsOf, inputFormat, KV_FORMAT } from './input-format.js';
export type { InputFormatOptions } from './input-format.js';
export { kvRecordParser, parseKvRecord, parseKvText } from './parse/kv-record-parser.js';
export { ReceiptProfileSchema } from './parse/profile/profile-schema.js';
export type { ReceiptProfile, ReceiptProfileInput } from './parse/profile/profile-schema.js';
export {
  loadReceiptProfile,
  parseReceiptProfile,
  ProfileError,
} from './parse/profile/load-profile.js';
export type { ProfileIssue } from './parse/profile/load-profile.js';
export { compileProfile } from './parse/profile/compile-profile.js';
export type { CompiledProfile } from './parse/profile/compile-profile.js';
export {
  parseReceiptText,
  profileRecordParser,
  receiptLines,
} from './parse/profile/profile-record-parser.js';
export {
  buildHidScanSource,
  describeHidDevice,
  describeHidSelector,
  matchesHidSelector,
  HidScannerSourceSchema,
  HidScanSource,
  HidUnavailableError,
  nodeHidProvider,
} from './device/hid/index.js';
export type {
  HidDevice,
  HidDeviceInfo,
  HidDeviceProvider,
  HidDeviceSelector,
  HidScannerSourceConfig,
  HidScanSourceOptions,
  HidScanSourceState,
} from './device/hid/index.js';
export {
  classifyBarcode,
  classifyScan,
  KEYBOARD_LAYOUT_NAMES,
  keyboardLayoutByName,
  parseHexReports,
  ScanReportDecoder,
} from './scan/index.js';
export type {
  BarcodeClassification,
  DecodedScan,
  ScannedBarcode,
  TerminatorKey,
} from './scan/index.js';
export { matchScansToReceipts, ScanReceiptMatcher } from './assemble/scan-matching/index.js';
export type {
  MatchableReceipt,
  MatchableScan,
  ReceiptIdentities,
  ScanMatchResult,
  UnmatchedScan,
} from './assemble/scan-matching/index.js';
export {
  listSerialPorts,
  loadSystemSerialBinding,
  SerialByteSource,
  SerialSourceConfigSchema,
  serialSourceName,
} from './device/serial/index.js';
export type { SerialBinding, SerialPortInfo } from './device/serial/index.js';
export {
  captureByteSource,
  CaptureConfigSchema,
  CaptureWriter,
  readCapture,
  readCaptureRef,
} from './device/capture/index.js';
export type { CaptureConfig } from './device/capture/index.js';
export { durableTransactionSink } from './enqueue/durable-transaction-sink.js';
export type {
  DurableSinkOptions,
  DurableSinkStatus,
  DurableTransactionSink,
} from './enqueue/durable-transaction-sink.js';
export * from './enqueue/spool/index.js';
export * from './heartbeat/index.js';
export { buildTerminal, TERMINAL_VERSION } from './daemon/build-terminal.js';
export type { RunningTerminal, TerminalDeps } from './daemon/build-terminal.js';
export { ScanIdentityBinder } from './assemble/scan-identity-binder.js';
export { SerialReceiptSourceSchema, TerminalSourceSchema } from './config.js';
export type { TerminalSourceConfig } from './config.js';
export { CONNECTED_STATES, createTerminalMetrics } from './metrics/terminal-metrics.js';
export type {
  TerminalMetrics,
  TerminalMetricsHooks,
  TerminalMetricsSource,
} from './metrics/terminal-metrics.js';
export { startTerminalMetrics } from './metrics/start-terminal-metrics.js';
export type { TerminalMetricsEndpoint } from './metrics/start-terminal-metrics.js';
