/**
 * Public types of the ESC/POS receipt framer: options, frames and code metadata. Types only.
 *
 * Inputs: none (declarations). Outputs: the shapes that `stepEscpos`, `flushEscposIdle`,
 * `endEscpos`, `EscposFramer` and `splitEscposReceipts` take and return.
 * Errors: a receipt over `maxReceiptBytes` is not an exception but a {@link EscposRejectedFrame}
 * with code `RECEIPT_TOO_LARGE`. Lifecycle: none.
 */

/** What a 2D code or barcode payload was printed as. */
export type EscposCodeKind = 'qr' | 'pdf417' | 'barcode';

/** A QR / PDF417 / barcode payload found in a receipt (store-data commands, not the image). */
export interface EscposCode {
  readonly kind: EscposCodeKind;
  /** For barcodes and other 2D symbols, e.g. `CODE39`, `JAN13 (EAN13)`, `DATAMATRIX`. */
  readonly symbology?: string;
  /** The payload bytes, decoded as UTF-8 when they are valid UTF-8, else as Latin-1. */
  readonly data: string;
}

/** How a receipt was closed. */
export type EscposEndedBy = 'cut' | 'idle' | 'end';

export interface EscposReceiptFrame {
  readonly kind: 'receipt';
  /** Printed text decoded through the active code page; lines end in LF, blank edges trimmed. */
  readonly text: string;
  /** Exact bytes of this receipt, including the cut command. */
  readonly raw: Uint8Array;
  /** Stream offset of `raw[0]`. */
  readonly byteOffset: number;
  readonly endedBy: EscposEndedBy;
  /** The cut command that closed the receipt, e.g. `GS V 65 3`, `ESC m`, `ESC d 2` (Star). */
  readonly cut?: string;
  readonly codes: readonly EscposCode[];
  /** Raster images / stored graphics printed (`GS ( L` print, `GS v 0`, `ESC *`, `GS /`, `FS p`). */
  readonly graphics: number;
  /** Unknown commands, unsupported code pages, ... (at most `MAX_WARNINGS` stored). */
  readonly warnings: readonly string[];
  /** Number of warnings, including any not stored in `warnings`. */
  readonly warningCount: number;
}

export interface EscposRejectedFrame {
  readonly kind: 'rejected';
  readonly code: 'RECEIPT_TOO_LARGE';
  readonly reason: string;
  /** The first bytes of the receipt (at most `REJECTED_PREFIX_BYTES`). */
  readonly raw: Uint8Array;
  readonly byteOffset: number;
  /** Full length of the rejected receipt in the stream. */
  readonly byteLength: number;
  readonly endedBy: EscposEndedBy;
}

export type EscposFrame = EscposReceiptFrame | EscposRejectedFrame;

export interface EscposFramerOptions {
  /** Silence after which a receipt that has text is closed. Default 2000 ms; `Infinity` disables. */
  readonly idleMs?: number;
  /** Larger receipts are rejected with `RECEIPT_TOO_LARGE`. Default 256 KiB, minimum 1 KiB. */
  readonly maxReceiptBytes?: number;
  /** Star line mode: `ESC d n` is a cut, `ESC i n1 n2` is not, `ESC E`/`ESC F` take no parameter. */
  readonly star?: boolean;
  /** `codepage` (default): decode through `ESC t`; `utf8`: decode every byte stream as UTF-8. */
  readonly encoding?: 'codepage' | 'utf8';
  /** `ESC t` number in effect at start and after `ESC @`. Default 0 (CP437). */
  readonly defaultCodePage?: number;
}

/** {@link EscposFramerOptions} with every default applied. */
export interface ResolvedEscposOptions {
  readonly idleMs: number;
  readonly maxReceiptBytes: number;
  readonly star: boolean;
  readonly encoding: 'codepage' | 'utf8';
  readonly defaultCodePage: number;
}

/** Result of one step of the pure framer. */
export interface EscposStepResult<State> {
  readonly state: State;
  readonly frames: readonly EscposFrame[];
}
