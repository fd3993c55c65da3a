/**
 * The port between assembly and the queue. `enqueue` resolves only when the queue has the
 * transactions (handed over); adding a transaction id that is already queued or recently done is
 * a no-op. Rejects when the queue is unreachable (the caller spools or reports).
 */
import type { Transaction } from '@pos-ga4/transaction';

export interface TransactionSink {
  enqueue(transactions: readonly Transaction[]): Promise<void>;
  close(): Promise<void>;
}
