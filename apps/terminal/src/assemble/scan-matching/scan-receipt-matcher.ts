/**
 * Scan–receipt matching as the day goes on: holds each completed receipt for the after-window,
 * then releases it with its identities. A thin stateful wrapper over the pure steps of
 * `scan-match-step.ts`, with an explicit `now` (no timers, no clock of its own).
 *
 * Inputs: `addScan(scan)` as scans complete, `addReceipt(receipt)` as receipts are cut, and
 * `release(now)` (epoch ms) whenever the owner likes, e.g. on a timer at `nextDueAt()`.
 * Outputs: `release(now)` returns `{ receipts, unmatched, ignored }` decided since the last call:
 * receipts whose after-window has passed (`cut + afterMs <= now`, in cut order), identity scans
 * no receipt can take any more (`t + beforeMs + afterMs < now`), invalid app QR codes and ignored
 * scans right away. `releaseAll()` decides everything held (shutdown, end of a replay).
 * `nextDueAt()` is the earliest `now` at which `release` has something to return.
 * Equivalence: for receipts added by the end of their after-window and scans added as they
 * happen, the union of all releases equals `matchScansToReceipts` over the same input. A receipt
 * added later than that is decided at the next release with the scans still held.
 * Errors: `TypeError` for times that are not ISO 8601 or an invalid window.
 * Lifecycle: in-memory; holds at most the receipts of the last `afterMs` and the identity scans
 * of the last `beforeMs + afterMs` per terminal.
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
  ScanMatchWindow,
  ScanMatchWindowOptions,
  UnmatchedScan,
} from './scan-match-types.js';

export interface ScanReceiptMatcherOptions {
  readonly window?: ScanMatchWindowOptions;
}

interface HeldReceipt<R> {
  readonly receipt: R;
  readonly cut: number;
  readonly seq: number;
}

interface Terminal<R, S> {
  state: TerminalMatchState<S>;
  receipts: HeldReceipt<R>[];
}

export class ScanReceiptMatcher<R extends MatchableReceipt, S extends MatchableScan> {
  readonly window: ScanMatchWindow;
  readonly #terminals = new Map<string, Terminal<R, S>>();
  #ignored: S[] = [];
  #unmatched: UnmatchedScan<S>[] = [];
  #seq = 0;

  constructor(options: ScanReceiptMatcherOptions = {}) {
    this.window = resolveScanMatchWindow(options.window);
  }

  get heldReceipts(): number {
    let count = 0;
    for (const terminal of this.#terminals.values()) count += terminal.receipts.length;
    return count;
  }

  get heldScans(): number {
    let count = 0;
    for (const terminal of this.#terminals.values()) count += terminal.state.pending.length;
    return count;
  }

  addScan(scan: S): void {
    const terminal = this.#terminal(scan.terminalId);
    const intake = intakeScan(terminal.state, scan);
    terminal.state = intake.state;
    if (intake.kind === 'ignored') this.#ignored.push(scan);
    if (intake.kind === 'unmatched') this.#unmatched.push(intake.unmatched);
  }

  addReceipt(receipt: R): void {
    const cut = parseMatchTime(receipt.completedAt, 'receipt completion time');
    const terminal = this.#terminal(receipt.terminalId);
    terminal.receipts = [...terminal.receipts, { receipt, cut, seq: this.#seq++ }].sort(
      (a, b) => a.cut - b.cut || a.seq - b.seq,
    );
  }

  /** Decides what `now` (epoch ms) allows; see the contract above. */
  release(now: number): ScanMatchResult<R, S> {
    return this.#release(now, false);
  }

  /** Decides every held receipt and scan. */
  releaseAll(): ScanMatchResult<R, S> {
    return this.#release(Number.POSITIVE_INFINITY, true);
  }

  /** The earliest `now` at which `release` returns something, or undefined when nothing is held. */
  nextDueAt(): number | undefined {
    if (this.#ignored.length > 0 || this.#unmatched.length > 0) return Number.NEGATIVE_INFINITY;
    const { beforeMs, afterMs } = this.window;
    let due = Number.POSITIVE_INFINITY;
    for (const terminal of this.#terminals.values()) {
      const receipt = terminal.receipts[0];
      if (receipt !== undefined) due = Math.min(due, receipt.cut + afterMs);
      const scan = terminal.state.pending[0];
      if (scan !== undefined) due = Math.min(due, scan.time + beforeMs + afterMs + 1);
    }
    return Number.isFinite(due) ? due : undefined;
  }

  #release(now: number, all: boolean): ScanMatchResult<R, S> {
    const receipts: ReceiptIdentities<R, S>[] = [];
    const unmatched = this.#unmatched;
    const ignored = this.#ignored;
    this.#unmatched = [];
    this.#ignored = [];
    for (const [id, terminal] of this.#terminals) {
      for (;;) {
        const [first, second] = terminal.receipts;
        if (first === undefined || (!all && first.cut + this.window.afterMs > now)) break;
        const decision = decideReceipt(
          terminal.state,
          { receipt: first.receipt, nextCutAt: second?.cut },
          this.window,
        );
        terminal.state = decision.state;
        terminal.receipts = terminal.receipts.slice(1);
        receipts.push(decision.match);
        unmatched.push(...decision.unmatched);
      }
      const olderThan = all
        ? Number.POSITIVE_INFINITY
        : now - this.window.afterMs - this.window.beforeMs;
      const expired = expireScans(terminal.state, { olderThan });
      terminal.state = expired.state;
      unmatched.push(...expired.unmatched);
      if (terminal.receipts.length === 0 && terminal.state.pending.length === 0) {
        this.#terminals.delete(id);
      }
    }
    return { receipts, unmatched, ignored };
  }

  #terminal(id: string): Terminal<R, S> {
    let terminal = this.#terminals.get(id);
    if (terminal === undefined) {
      terminal = { state: initialTerminalMatchState<S>(), receipts: [] };
      this.#terminals.set(id, terminal);
    }
    return terminal;
  }
}
