/**
 * Raw capture files: the public surface of `device/capture/` (writer, reader, replay source,
 * references, retention, config). See docs/serial-capture.md.
 */
export { captureByteSource } from './capture-byte-source.js';
export type { CaptureReplayOptions } from './capture-byte-source.js';
export { CaptureConfigSchema } from './capture-config.js';
export type { CaptureConfig } from './capture-config.js';
export {
  captureFileName,
  indexFileName,
  listCaptureFiles,
  parseCaptureFileName,
} from './capture-format.js';
export type { CaptureFileName, CaptureIndexEntry } from './capture-format.js';
export { readCapture, readCaptureRef } from './capture-reader.js';
export type { CaptureChunk, ReadCaptureRefOptions } from './capture-reader.js';
export { formatCaptureRef, parseCaptureRef } from './capture-ref.js';
export type { CaptureRef } from './capture-ref.js';
export { pruneCaptures } from './capture-retention.js';
export type { PruneCapturesOptions } from './capture-retention.js';
export { CaptureWriter } from './capture-writer.js';
export type { CaptureWriterOptions, CaptureWriterStats } from './capture-writer.js';
