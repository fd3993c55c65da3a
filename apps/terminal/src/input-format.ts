/**
 * Input formats: which framer and which parser turn a source's bytes into drafts.
 * `jsonl` (one transaction per line) is built in; `kv` journals and `escpos` printer streams with
 * a receipt profile register here as they are added.
 */
import type { Framer } from './frame/framer.js';
import { lineRecordFramer } from './frame/lines/line-record-framer.js';
import { jsonlRecordParser } from './parse/jsonl-record-parser.js';
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
