/**
 * QR / PDF417 / barcode payloads of a receipt: where they are in the receipt bytes while it is
 * open, and their decoded form once it is closed.
 *
 * Inputs: {@link PendingCode} records (stream offset and length of a store-data payload, found by
 * the parser) and the receipt's raw bytes. Outputs: {@link resolveCodes} returns the
 * {@link EscposCode} list plus warnings for payloads that started before the receipt did (possible
 * only when an idle flush split a command). Data is decoded as UTF-8 when valid, else Latin-1.
 * Errors: none thrown. Lifecycle: pure functions.
 */
import type { CodeCapture } from './escpos-commands.js';
import type { EscposCode } from './escpos-types.js';

/** A payload found while the receipt is open; bytes are taken from the raw receipt on close. */
export interface PendingCode {
  readonly capture: CodeCapture;
  /** Stream offset of the first data byte. */
  readonly start: number;
  readonly length: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 when the bytes are valid UTF-8 (ASCII included), else Latin-1 (one char per byte). */
export function decodeCodeData(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    let text = '';
    for (const byte of bytes) text += String.fromCharCode(byte);
    return text;
  }
}

export function resolveCodes(
  pending: readonly PendingCode[],
  receipt: { readonly raw: Uint8Array; readonly byteOffset: number },
): { codes: EscposCode[]; warnings: string[] } {
  const codes: EscposCode[] = [];
  const warnings: string[] = [];
  for (const code of pending) {
    const from = code.start - receipt.byteOffset;
    if (from < 0 || from + code.length > receipt.raw.length) {
      warnings.push(
        `${code.capture.kind} data at byte ${code.start} began before this receipt; dropped`,
      );
      continue;
    }
    let data = decodeCodeData(receipt.raw.subarray(from, from + code.length));
    if (code.capture.afterComma === true) data = data.slice(data.indexOf(',') + 1);
    const { symbology } = code.capture;
    codes.push(
      symbology === undefined
        ? { kind: code.capture.kind, data }
        : { kind: code.capture.kind, symbology, data },
    );
  }
  return { codes, warnings };
}
