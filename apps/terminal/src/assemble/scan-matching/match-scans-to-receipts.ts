/**
 * Scan–receipt matching over a known set of receipts and scans (a day's capture, a test, a
 * replay): which customer identity belongs to which receipt. Pure.
 *
 * Input: `{ receipts, scans }` of any terminals (a scan only ever matches a receipt of its own
 * terminal) and `{ window }` (`beforeMs` default 120000, `afterMs` default 20000). Receipts carry
 * their completion (cut) time, scans their classification and time; both are returned as given
 * (generic), so callers can carry drafts and raw scans through.
 * Output: `{ receipts, unmatched, ignored }`: every receipt in input order with its identities
 * (`IdentityToken`s, at most one client id and one loyalty card), unmatched identity scans with a
 * reason (NO_RECEIPT_IN_WINDOW, SUPERSEDED, DUPLICATE, INVALID_APP_QR) in time order, and ignored
 * non-identity scans in input order. Each scan appears exactly once. The rules are those of
 * `scan-match-step.ts` (and docs/hid-scanners.md).
 * Errors: `TypeError` for times that are not ISO 8601 or an invalid window. Lifecycle: pure.
 */
import {
  decideReceipt,
  expireScans,
  initialTerminalMatchState,
  intakeScan,
} from './scan-match-step.js';
import type { TerminalMatchState } from './scan-match-step.js';
import { parseMatchTime, resolveScanMatchWindow } from './scan-match-types.js';
import type {
  MatchableReceipt,
  MatchableScan,
  ReceiptIdentities,
  ScanMatchResult,
  ScanMatchWindowOptions,
  UnmatchedScan,
} from './scan-match-types.js';

export interface MatchScansInput<R, S> {
  readonly receipts: readonly R[];
  readonly scans: readonly S[];
}

export interface MatchScansOptions {
  readonly window?: ScanMatchWindowOptions;
}

interface Timed<T> {
  readonly item: T;
  readonly time: number;
  readonly index: number;
}

function timed<T>(items: readonly T[], timeOf: (item: T) => number): Timed<T>[] {
  return items
    .map((item, index) => ({ item, time: timeOf(item), index }))
    .sort((a, b) => a.time - b.time || a.index - b.index);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group === undefined) groups.set(key(item), [item]);
    else group.push(item);
  }
  return groups;
}

export function matchScansToReceipts<R extends MatchableReceipt, S extends MatchableScan>(
  input: MatchScansInput<R, S>,
  options: MatchScansOptions = {},
): ScanMatchResult<R, S> {
  const window = resolveScanMatchWindow(options.window);
  const scans = timed(input.scans, (s) => parseMatchTime(s.at, 'scan time'));
  const receipts = timed(input.receipts, (r) =>
    parseMatchTime(r.completedAt, 'receipt completion time'),
  );
  const ignored: Timed<S>[] = [];
  const unmatched: UnmatchedScan<S>[] = [];
  const matches: (ReceiptIdentities<R, S> | undefined)[] = input.receipts.map(() => undefined);

  const states = new Map<string, TerminalMatchState<S>>();
  for (const entry of scans) {
    const terminal = entry.item.terminalId;
    const intake = intakeScan(states.get(terminal) ?? initialTerminalMatchState<S>(), entry.item);
    states.set(terminal, intake.state);
    if (intake.kind === 'ignored') ignored.push(entry);
    if (intake.kind === 'unmatched') unmatched.push(intake.unmatched);
  }

  const receiptsByTerminal = groupBy(receipts, (r) => r.item.terminalId);
  for (const [terminal, ordered] of receiptsByTerminal) {
    let state = states.get(terminal) ?? initialTerminalMatchState<S>();
    ordered.forEach((entry, position) => {
      const decision = decideReceipt(
        state,
        { receipt: entry.item, nextCutAt: ordered[position + 1]?.time },
        window,
      );
      state = decision.state;
      matches[entry.index] = decision.match;
      unmatched.push(...decision.unmatched);
    });
    states.set(terminal, state);
  }
  for (const state of states.values()) {
    unmatched.push(...expireScans(state, { olderThan: Number.POSITIVE_INFINITY }).unmatched);
  }

  const timeOf = new Map(scans.map((s) => [s.item, s] as const));
  const order = (u: UnmatchedScan<S>): number => timeOf.get(u.scan)?.index ?? 0;
  const orderTime = (u: UnmatchedScan<S>): number => timeOf.get(u.scan)?.time ?? 0;
  return {
    receipts: matches.filter((m) => m !== undefined),
    unmatched: unmatched.sort((a, b) => orderTime(a) - orderTime(b) || order(a) - order(b)),
    ignored: ignored.sort((a, b) => a.index - b.index).map((entry) => entry.item),
  };
}
