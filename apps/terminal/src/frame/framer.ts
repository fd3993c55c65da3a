/**
 * The framing port the pipeline drives. A framer turns a byte stream into frames: records
 * (one receipt or journal line, with the exact raw bytes and their stream offset) or rejected
 * frames (coded, with a bounded prefix of the raw bytes). Implementations are thin shells over
 * pure step functions; the same frames come out whatever way the bytes are chunked.
 * `flushIdle(now)` closes a record after a silence (printers without cuts); `end()` flushes at the
 * end of a finite source.
 */
import type { InputRejectCode } from '../errors.js';

export interface RecordFrame {
  readonly kind: 'record';
  readonly raw: Uint8Array;
  readonly byteOffset: number;
  /** Decoded receipt text (ESC/POS), when the format has one. */
  readonly text?: string;
  /** QR, PDF417 and barcode payloads printed on the receipt. */
  readonly codes?: readonly {
    readonly kind: string;
    readonly data: string;
    readonly symbology?: string;
  }[];
  readonly warnings?: readonly string[];
}

export interface RejectedFrame {
  readonly kind: 'rejected';
  readonly code: InputRejectCode;
  readonly reason: string;
  readonly raw: Uint8Array;
  readonly byteOffset: number;
}

export type Frame = RecordFrame | RejectedFrame;

export interface Framer {
  push(chunk: Uint8Array, now: number): Frame[];
  flushIdle(now: number): Frame[];
  end(): Frame[];
}
