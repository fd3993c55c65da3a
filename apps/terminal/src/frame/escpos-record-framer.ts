/** The ESC/POS receipt framer behind the `Framer` port: receipts become records with text and codes. */
import type { EscposFrame, EscposFramerOptions } from './escpos/index.js';
import { EscposFramer } from './escpos/index.js';
import type { Frame, Framer } from './framer.js';

function toFrame(frame: EscposFrame): Frame {
  if (frame.kind === 'rejected') {
    return {
      kind: 'rejected',
      code: frame.code,
      reason: frame.reason,
      raw: frame.raw,
      byteOffset: frame.byteOffset,
    };
  }
  return {
    kind: 'record',
    raw: frame.raw,
    byteOffset: frame.byteOffset,
    text: frame.text,
    codes: frame.codes.map((code) => ({
      kind: code.kind,
      data: code.data,
      ...(code.symbology === undefined ? {} : { symbology: code.symbology }),
    })),
    warnings: frame.warnings,
  };
}

export function escposRecordFramer(options: EscposFramerOptions = {}): Framer {
  const framer = new EscposFramer(options);
  return {
    push: (chunk, now) => framer.push(chunk, now).map(toFrame),
    flushIdle: (now) => framer.flushIdle(now).map(toFrame),
    end: () => framer.end().map(toFrame),
  };
}
