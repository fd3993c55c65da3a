/**
 * The parsing port: one record frame → a transaction draft (completed and checked in assembly),
 * or a coded rejection. `warnings` report what the parser saw but did not understand (for example
 * receipt lines no profile pattern matched): they travel with the transaction's log line and are
 * never silently dropped. Pure.
 */
import type { RecordFrame } from '../frame/framer.js';

export type RecordParseResult =
  | {
      readonly ok: true;
      readonly draft: Record<string, unknown>;
      readonly warnings?: readonly string[];
    }
  | {
      readonly ok: false;
      readonly code: string;
      readonly reason: string;
      readonly issues?: readonly { path: string; message: string; code: string }[];
    };

export interface RecordParser {
  parse(frame: RecordFrame): RecordParseResult;
}
