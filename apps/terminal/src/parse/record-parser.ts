/**
 * The parsing port: one record frame → a transaction draft (completed and checked in assembly),
 * or a coded rejection. `warnings` report what the parser saw but did not understand (for example
 * receipt lines no profile pattern matched): they travel with the transaction's log line and are
 * never silently dropped. Pure.
 */
import type { RejectCode } from '../errors.js';
import type { RecordFrame } from '../frame/framer.js';
import type { RejectIssue } from '../reject/reject-log.js';

export type RecordParseResult =
  | {
      readonly ok: true;
      readonly draft: Record<string, unknown>;
      readonly warnings?: readonly string[];
    }
  | {
      readonly ok: false;
      readonly code: RejectCode;
      readonly reason: string;
      readonly issues?: readonly RejectIssue[];
    };

export interface RecordParser {
  parse(frame: RecordFrame): RecordParseResult;
}
