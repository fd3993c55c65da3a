/**
 * Where rejected input goes: nothing is dropped. Each rejection keeps the raw bytes (base64),
 * a stable code (docs/errors.md), a one-line reason, the detailed issues and the capture
 * reference, so an operator can see it (`npx pos-ga4 rejects`) and redrive it after a fix.
 */
export interface Rejection {
  readonly code: string;
  readonly reason: string;
  readonly raw: Uint8Array;
  readonly format: string;
  readonly captureRef: string;
  readonly issues?: readonly { path: string; message: string; code: string }[];
}

export interface RejectLog {
  record(rejection: Rejection): Promise<void>;
  close(): Promise<void>;
}

/** The on-disk form: one JSON object per line. */
export interface RejectRecord {
  readonly at: string;
  readonly code: string;
  readonly reason: string;
  readonly format: string;
  readonly captureRef: string;
  readonly rawBase64: string;
  readonly issues: readonly { path: string; message: string; code: string }[];
}
