/**
 * The pure steps of scan–receipt matching for ONE terminal. `matchScansToReceipts` folds them over
 * a whole day; `ScanReceiptMatcher` runs them as time passes. Both give the same answer because
 * both are these steps.
 *
 * State: the identity scans not decided yet (`pending`, in time order), some carrying a fallback
 * receipt (they lost in that receipt's after-window and wait for the next receipt).
 * Steps:
 * - `intakeScan(state, scan)`: identity kinds ('app-qr' verified, 'ga-client-id', 'loyalty-card')
 *   become pending; 'app-qr-invalid' is unmatched at once (INVALID_APP_QR, `detail` = the
 *   verification failure); anything else is ignored.
 * - `decideReceipt(state, { receipt, nextCutAt }, window)`: receipts must be decided in cut order.
 *   The receipt (cut `c`) takes, per role, from the pending scans in its window:
 *   1. before-side scans (`c - beforeMs <= t <= c`): the highest rank wins (verified app QR over
 *      GA client id), then the LAST scan before the cut; the others are DUPLICATE (same value as
 *      the winner) or SUPERSEDED. After-side scans of that role then never win here: same value →
 *      DUPLICATE, else they wait for the next receipt (it is most likely the next customer's).
 *   2. no before-side scan of the role: after-side scans (`c < t <= min(c + afterMs, nextCutAt)`):
 *      highest rank, then the FIRST scan after the cut wins; the others are DUPLICATE or wait for
 *      the next receipt.
 *   A scan that waited and is outside the next receipt's before-window (or there is none) ends
 *   SUPERSEDED at the receipt it lost at. Pending scans older than `c - beforeMs` can no longer
 *   match and are finalised (their fallback's SUPERSEDED, else NO_RECEIPT_IN_WINDOW).
 * - `expireScans(state, { olderThan })`: finalises pending scans with `t < olderThan`.
 * Output: the receipt's identities (`IdentityToken`s in scan order, with the winning scans) and
 * the unmatched scans decided by the step. Every scan ends in exactly one place.
 * Errors: `TypeError` for a scan or receipt time that is not ISO 8601. Lifecycle: pure; states
 * are immutable.
 */
import type { IdentityToken } from '@pos-ga4/transaction';

import { isIdentityClassification } from '../../scan/index.js';
import { IDENTITY_ROLES, scanIdentity } from './scan-identity.js';
import type { ScanIdentity } from './scan-identity.js';
import { parseMatchTime } from './scan-match-types.js';
import type {
  MatchableReceipt,
  MatchableScan,
  ReceiptIdentities,
  ScanMatchWindow,
  UnmatchedScan,
} from './scan-match-types.js';

export interface PendingScan<S> {
  readonly scan: S;
  readonly time: number;
  /** Arrival order, for stable tie-breaks. */
  readonly seq: number;
  readonly identity: ScanIdentity;
  /** The receipt whose after-window this scan lost in; it waits for the next receipt. */
  readonly fallbackReceiptId?: string;
}

export interface TerminalMatchState<S> {
  readonly pending: readonly PendingScan<S>[];
  readonly seq: number;
}

export type ScanIntake<S> =
  | { readonly kind: 'pending'; readonly state: TerminalMatchState<S> }
  | { readonly kind: 'ignored'; readonly state: TerminalMatchState<S> }
  | {
      readonly kind: 'unmatched';
      readonly state: TerminalMatchState<S>;
      readonly unmatched: UnmatchedScan<S>;
    };

export interface ReceiptStep<R> {
  readonly receipt: R;
  /** Cut time (epoch ms) of the next receipt of the terminal, when known. */
  readonly nextCutAt: number | undefined;
}

export interface ReceiptDecision<R, S> {
  readonly state: TerminalMatchState<S>;
  readonly match: ReceiptIdentities<R, S>;
  readonly unmatched: readonly UnmatchedScan<S>[];
}

export interface ExpiryResult<S> {
  readonly state: TerminalMatchState<S>;
  readonly unmatched: readonly UnmatchedScan<S>[];
}

export function initialTerminalMatchState<S>(): TerminalMatchState<S> {
  return { pending: [], seq: 0 };
}

function byTime<S>(a: PendingScan<S>, b: PendingScan<S>): number {
  return a.time - b.time || a.seq - b.seq;
}

export function intakeScan<S extends MatchableScan>(
  state: TerminalMatchState<S>,
  scan: S,
): ScanIntake<S> {
  const { classification } = scan;
  if (classification.kind === 'app-qr-invalid') {
    return {
      kind: 'unmatched',
      state,
      unmatched: { scan, reason: 'INVALID_APP_QR', detail: classification.reason },
    };
  }
  if (!isIdentityClassification(classification)) return { kind: 'ignored', state };
  const time = parseMatchTime(scan.at, 'scan time');
  const entry: PendingScan<S> = {
    scan,
    time,
    seq: state.seq,
    identity: scanIdentity(classification, new Date(time).toISOString()),
  };
  return {
    kind: 'pending',
    state: { pending: [...state.pending, entry].sort(byTime), seq: state.seq + 1 },
  };
}

/** The final word on a scan nobody took. */
export function finalizePending<S>(pending: PendingScan<S>): UnmatchedScan<S> {
  return pending.fallbackReceiptId === undefined
    ? { scan: pending.scan, reason: 'NO_RECEIPT_IN_WINDOW' }
    : { scan: pending.scan, reason: 'SUPERSEDED', receiptId: pending.fallbackReceiptId };
}

export function expireScans<S>(
  state: TerminalMatchState<S>,
  expiry: { readonly olderThan: number },
): ExpiryResult<S> {
  const expired = state.pending.filter((p) => p.time < expiry.olderThan);
  if (expired.length === 0) return { state, unmatched: [] };
  return {
    state: { ...state, pending: state.pending.filter((p) => p.time >= expiry.olderThan) },
    unmatched: expired.map(finalizePending),
  };
}

type Side = 'before' | 'after';

/** Highest rank; then the last scan before the cut, or the first after it. */
function best<S>(candidates: readonly PendingScan<S>[], side: Side): PendingScan<S> | undefined {
  let winner: PendingScan<S> | undefined;
  for (const candidate of candidates) {
    if (winner === undefined) {
      winner = candidate;
      continue;
    }
    const rank = candidate.identity.rank - winner.identity.rank;
    const later = byTime(candidate, winner) > 0;
    if (rank > 0 || (rank === 0 && (side === 'before' ? later : !later))) winner = candidate;
  }
  return winner;
}

function sameValue<S>(a: PendingScan<S>, b: PendingScan<S>): boolean {
  return a.identity.token.value === b.identity.token.value;
}

interface Decisions<S> {
  readonly winners: PendingScan<S>[];
  readonly unmatched: UnmatchedScan<S>[];
  readonly waiting: PendingScan<S>[];
}

function loser<S>(
  scan: PendingScan<S>,
  winner: PendingScan<S>,
  receiptId: string,
): UnmatchedScan<S> {
  return {
    scan: scan.scan,
    reason: sameValue(scan, winner) ? 'DUPLICATE' : 'SUPERSEDED',
    receiptId,
  };
}

function decideRole<S>(
  sides: { readonly before: readonly PendingScan<S>[]; readonly after: readonly PendingScan<S>[] },
  receiptId: string,
  out: Decisions<S>,
): void {
  const side: Side = sides.before.length > 0 ? 'before' : 'after';
  const winner = best(side === 'before' ? sides.before : sides.after, side);
  if (winner === undefined) return;
  out.winners.push(winner);
  for (const scan of sides.before) {
    if (scan !== winner) out.unmatched.push(loser(scan, winner, receiptId));
  }
  for (const scan of sides.after) {
    if (scan === winner) continue;
    if (sameValue(scan, winner)) out.unmatched.push(loser(scan, winner, receiptId));
    else out.waiting.push({ ...scan, fallbackReceiptId: receiptId });
  }
}

export function decideReceipt<R extends MatchableReceipt, S>(
  state: TerminalMatchState<S>,
  step: ReceiptStep<R>,
  window: ScanMatchWindow,
): ReceiptDecision<R, S> {
  const { receipt } = step;
  const cut = parseMatchTime(receipt.completedAt, 'receipt completion time');
  const afterLimit = Math.min(cut + window.afterMs, step.nextCutAt ?? Number.POSITIVE_INFINITY);
  const expired = expireScans(state, { olderThan: cut - window.beforeMs });
  const pending = expired.state.pending;
  const before = pending.filter((p) => p.time <= cut);
  const after = pending.filter((p) => p.time > cut && p.time <= afterLimit);
  const decided = new Set([...before, ...after]);

  const out: Decisions<S> = { winners: [], unmatched: [...expired.unmatched], waiting: [] };
  for (const role of IDENTITY_ROLES) {
    decideRole(
      {
        before: before.filter((p) => p.identity.role === role),
        after: after.filter((p) => p.identity.role === role),
      },
      receipt.receiptId,
      out,
    );
  }
  const winners = out.winners.sort(byTime);
  const identities: IdentityToken[] = winners.map((w) => w.identity.token);
  return {
    state: {
      ...expired.state,
      pending: [...pending.filter((p) => !decided.has(p)), ...out.waiting].sort(byTime),
    },
    match: { receipt, identities, scans: winners.map((w) => w.scan) },
    unmatched: out.unmatched,
  };
}
