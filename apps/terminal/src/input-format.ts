/**
 * Input formats: which framer and which parser turn a source's bytes into drafts.
 *
 * - `jsonl`: one transaction draft per line (JSON), built in as `JSONL_FORMAT`.
 * - `kv`: one draft per line as `key=value` pairs (`KV_FORMAT`, see kv-record-parser.ts).
 * - `escpos`: a printer stream split into receipts by the ESC/POS framer (with the profile's
 *   `escpos` hints: Star line mode, default code page, encoding, idle time), each receipt's text
 *   parsed by a receipt profile. The profile's name goes into `InputFormat.profile`.
 * `inputFormat({ format, profile })` returns any of them. Pure: framers are created per source.
 */
import { escposRecordFramer } from './frame/escpos-record-framer.js';
import type { EscposFramerOptions } from './frame/escpos/index.js';
import type { Framer } from './frame/framer.js';
import { lineRecordFramer } from './frame/lines/line-record-framer.js';
import { jsonlRecordParser } from './parse/jsonl-record-parser.js';
import { kvRecordParser } from './parse/kv-record-parser.js';
import { profileRecordParser } from './parse/profile/profile-record-parser.js';
import type { ReceiptProfile } from './parse/profile/profile-schema.js';
import type { RecordParser } from './parse/record-parser.js';

export type InputFormatName = 'jsonl' | 'kv' | 'escpos';

export interface InputFormat {
  readonly name: InputFormatName;
  createFramer(): Framer;
  readonly parser: RecordParser;
  /** Profile name recorded in each transaction's `source.profile`. */
  readonly profile?: string;
}

export const JSONL_FORMAT: InputFormat = {
  name: 'jsonl',
  createFramer: () => lineRecordFramer(),
  parser: jsonlRecordParser,
};

export const KV_FORMAT: InputFormat = {
  name: 'kv',
  createFramer: () => lineRecordFramer(),
  parser: kvRecordParser,
};

export type InputFormatOptions =
  | { readonly format: 'jsonl' | 'kv' }
  | {
      readonly format: 'escpos';
      readonly profile: ReceiptProfile;
      /** Framer options that win over the profile's `escpos` hints (e.g. `maxReceiptBytes`). */
      readonly escpos?: EscposFramerOptions;
    };

/** The framer options a profile asks for. */
export function escposOptionsOf(profile: ReceiptProfile): EscposFramerOptions {
  const hints = profile.escpos;
  return {
    ...(hints.star === undefined ? {} : { star: hints.star }),
    ...(hints.defaultCodePage === undefined ? {} : { defaultCodePage: hints.defaultCodePage }),
    ...(hints.encoding === undefined ? {} : { encoding: hints.encoding }),
    ...(hints.idleMs === undefined ? {} : { idleMs: hints.idleMs }),
  };
}

export function inputFormat(options: InputFormatOptions): InputFormat {
  switch (options.format) {
    case 'jsonl':
      return JSONL_FORMAT;
    case 'kv':
      return KV_FORMAT;
    case 'escpos': {
      const framerOptions = { ...escposOptionsOf(options.profile), ...options.escpos };
      return {
        name: 'escpos',
        createFramer: () => escposRecordFramer(framerOptions),
        parser: profileRecordParser(options.profile),
        profile: options.profile.name,
      };
    }
  }
}
