/**
 * Binds identity scans (loyalty cards, app QR codes, GA client ids) to receipts on their way from
 * the spool to the queue.
 *
 * The terminal tells it about every receipt when it is spooled (`addReceipt`, the cut time on the
 * terminal's clock) and about every scan (`addScan`). The durable sink holds each receipt for the
 * matching window's after-part, then calls `apply` at hand-over: matched identities are added to
 * the transaction (checked again against the contract). The receipt itself is durable in the
 * spool all along; only scan matches live in memory, so a crash during the hold hands the receipt
 * over without the scan (the sale is never lost). Scans that match no receipt go to
 * `onUnmatched` (recorded as `SCAN_UNMATCHED`), never dropped. A receipt's bound identities stay
 * (the last `MAX_BOUND` receipts with a scan), so a hand-over that failed and is tried again
 * (Redis away) gets them again.
 */
import { parseTransaction } from '@pos-ga4/transaction';
import type { IdentityToken, Transaction } from '@pos-ga4/transaction';

import type { ScannedBarcode } from '../scan/index.js';

import { ScanReceiptMatcher } from './scan-matching/index.js';
import type { ScanMatchWindowOptions, UnmatchedScan } from './scan-matching/index.js';

interface BinderReceipt {
  readonly receiptId: string;
  readonly terminalId: string;
  readonly completedAt: string;
}

export type TerminalScan = ScannedBarcode & { readonly terminalId: string };

/** Receipts whose bound identities are remembered for hand-over retries. */
const MAX_BOUND = 10_000;

export interface ScanIdentityBinderOptions {
  readonly window?: ScanMatchWindowOptions;
  readonly now?: () => number;
  readonly onUnmatched?: (unmatched: UnmatchedScan<TerminalScan>) => void;
}

export class ScanIdentityBinder {
  readonly #matcher: ScanReceiptMatcher<BinderReceipt, TerminalScan>;
  readonly #bound = new Map<string, readonly IdentityToken[]>();
  readonly #now: () => number;
  readonly #onUnmatched: ((unmatched: UnmatchedScan<TerminalScan>) => void) | undefined;

  constructor(options: ScanIdentityBinderOptions = {}) {
    this.#matcher = new ScanReceiptMatcher(
      options.window === undefined ? {} : { window: options.window },
    );
    this.#now = options.now ?? Date.now;
    this.#onUnmatched = options.onUnmatched;
  }

  addScan(scan: ScannedBarcode, terminalId: string): void {
    this.#matcher.addScan({ ...scan, terminalId });
  }

  addReceipts(transactions: readonly Transaction[], completedAt: Date): void {
    for (const transaction of transactions) {
      this.#matcher.addReceipt({
        receiptId: transaction.transactionId,
        terminalId: transaction.terminalId,
        completedAt: completedAt.toISOString(),
      });
    }
  }

  #collect(all: boolean): void {
    const result = all ? this.#matcher.releaseAll() : this.#matcher.release(this.#now());
    for (const { receipt, identities } of result.receipts) {
      if (identities.length === 0) continue;
      this.#bound.delete(receipt.receiptId);
      this.#bound.set(receipt.receiptId, identities);
      if (this.#bound.size > MAX_BOUND) {
        const oldest = this.#bound.keys().next();
        if (oldest.done !== true) this.#bound.delete(oldest.value);
      }
    }
    for (const unmatched of result.unmatched) this.#onUnmatched?.(unmatched);
  }

  /** At hand-over: the transactions with their matched identities added. */
  apply(transactions: readonly Transaction[]): Transaction[] {
    this.#collect(false);
    return transactions.map((transaction) => {
      const identities = this.#bound.get(transaction.transactionId);
      if (identities === undefined) return transaction;
      const known = new Set(transaction.identities.map((t) => `${t.kind}:${t.value}`));
      const added = identities.filter((t) => !known.has(`${t.kind}:${t.value}`));
      if (added.length === 0) return transaction;
      const checked = parseTransaction({
        ...transaction,
        identities: [...transaction.identities, ...added],
      });
      return checked.ok ? checked.transaction : transaction;
    });
  }

  /** On shutdown: whatever is still unmatched is reported. */
  flush(): void {
    this.#collect(true);
  }
}
