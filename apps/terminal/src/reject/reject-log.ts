/**
 * Where rejected input goes: nothing is dropped. Each rejection keeps the raw bytes (base64),
 * a stable code (docs/errors.md), a one-line reason, the detailed issues and the capture
 * reference, so an operator can see it (`npx pos-ga4 rejects`) and redrive it after a fix.
 * Codes are written as `RejectCode`s; records read back carry any string (another version of the
 * terminal may have written codes this one does not know).
 */
import type { RejectCode } from '../errors.js';

/** One issue of a rejection: where, what, and its code. */
export interface RejectIssue<Code extends string = RejectCode> {
  readonly path: string;
  readonly message: string;
  readonly code: Code;
}

export interface Rejection {
  readonly code: RejectCode;
  readonly reason: string;
  readonly raw: Uint8Array;
  readonly format: string;
  readonly captureRef: string;
  readonly issues?: readonly RejectIssue[];
}

export interface RejectLog {
  record(rejection: Rejection): Promise<void>;
  close(): Promise<void>;
}

/** The on-disk form: one JSON object per line; `Code` is the writer's code type (readers get any string). */
export interface RejectRecord<Code extends string = string> {
  readonly at: string;
  readonly code: Code;
  readonly reason: string;
  readonly format: string;
  readonly captureRef: string;
  readonly rawBase64: string;
  readonly issues: readonly RejectIssue<Code>[];
}
