/**
 * Shapes shared by the scan–receipt matching steps: what goes in (receipts with their completion
 * time, classified scans, both per terminal), the time window, and what comes out (identities per
 * receipt in the Transaction contract's `IdentityToken` shape, unmatched scans with a reason,
 * ignored non-identity scans).
 *
 * Inputs: `completedAt` / `at` are ISO 8601 times on the same clock (the terminal's: the time
 * the terminal saw the receipt's cut and the time the scan completed), parsed with `Date.parse`.
 * Window: `beforeMs` (default 120000) before the cut, `afterMs` (default 20000) after it.
 * Errors: `resolveScanMatchWindow` throws `TypeError` for negative or non-finite values.
 * Lifecycle: types and pure helpers only.
 */
import type { IdentityToken } from '@pos-ga4/transaction';

import type { BarcodeClassification } from '../../scan/index.js';

export interface MatchableReceipt {
  /** Unique per terminal, e.g. the receipt number or the transaction id. */
  readonly receiptId: string;
  readonly terminalId: string;
  /** When the receipt was completed (cut), ISO 8601. */
  readonly completedAt: string;
}

export interface MatchableScan {
  readonly terminalId: string;
  /** When the scan completed, ISO 8601. */
  readonly at: string;
  readonly classification: BarcodeClassification;
}

export interface ScanMatchWindowOptions {
  readonly beforeMs?: number;
  readonly afterMs?: number;
}

export interface ScanMatchWindow {
  readonly beforeMs: number;
  readonly afterMs: number;
}

export const DEFAULT_SCAN_MATCH_WINDOW: ScanMatchWindow = { beforeMs: 120_000, afterMs: 20_000 };

export const UNMATCHED_REASONS = [
  'NO_RECEIPT_IN_WINDOW',
  'SUPERSEDED',
  'DUPLICATE',
  'INVALID_APP_QR',
] as const;
export type UnmatchedReason = (typeof UNMATCHED_REASONS)[number];

export interface UnmatchedScan<S> {
  readonly scan: S;
  readonly reason: UnmatchedReason;
  /** The receipt where the scan lost (SUPERSEDED, DUPLICATE). */
  readonly receiptId?: string;
  /** INVALID_APP_QR: the verification failure (BAD_SIGNATURE, EXPIRED, …). */
  readonly detail?: string;
}

export interface ReceiptIdentities<R, S> {
  readonly receipt: R;
  /** At most one client identity (app-qr or ga-client-id) and one loyalty card, in scan order. */
  readonly identities: readonly IdentityToken[];
  /** The scans behind `identities`, same order. */
  readonly scans: readonly S[];
}

export interface ScanMatchResult<R, S> {
  /** Every receipt, with its identities (possibly none). */
  readonly receipts: readonly ReceiptIdentities<R, S>[];
  readonly unmatched: readonly UnmatchedScan<S>[];
  /** Scans that are not identities (product codes, URLs, unknown). */
  readonly ignored: readonly S[];
}

export function resolveScanMatchWindow(options: ScanMatchWindowOptions = {}): ScanMatchWindow {
  const window = { ...DEFAULT_SCAN_MATCH_WINDOW, ...options };
  for (const [name, value] of Object.entries(window)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new TypeError(`"${name}" must be a non-negative number of milliseconds`);
    }
  }
  return window;
}

export function parseMatchTime(iso: string, what: string): number {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) throw new TypeError(`${what} "${iso}" is not an ISO 8601 time`);
  return time;
}
