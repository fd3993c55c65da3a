/** What the delivery core reports: job outcomes, requests, and where a transaction stands. */
import type { MappingCounts, SendFailureReason } from '@pos-ga4/ga4-mp';
import type { JobResultOutcome } from '@pos-ga4/queue-contract';

import type { LedgerEntry } from '../../ledger/sent-ledger.js';
import type { DeadLetterReason, OutcomeReason } from '../../outcome/worker-error-codes.js';

/** Where a transaction stands anywhere in the system (ledger and its partition queue). */
export type TransactionState = 'sent' | 'pending' | 'failed' | 'unknown';

/** A transaction's state, and its sent-ledger entry when it has one (whom it was sent for). */
export interface TransactionStatus {
  readonly state: TransactionState;
  readonly entry?: LedgerEntry;
}

export interface DeliveryOutcome {
  readonly transactionId: string;
  readonly outcome: 'sent' | 'skipped' | 'deduplicated' | 'dead-lettered';
  readonly reason?: OutcomeReason;
  readonly requestId?: string;
  /** The job data's `enqueuedAt` (ISO 8601), given to `onOutcome` only (for latency metrics). */
  readonly enqueuedAt?: string;
  /** Sent events: lines folded into `pos_other_items`, texts cut to a GA4 limit. */
  readonly counts?: MappingCounts;
  /** Sent refunds: linked to a purchase pos-ga4 sent, or sent without one (`refunds.unknownPurchase`). */
  readonly refundLink?: 'linked' | 'unmatched';
}

/** A job completed (not dead-lettered): its BullMQ return value (queue-contract's JobResult). */
export type CompletedOutcome = DeliveryOutcome & { readonly outcome: JobResultOutcome };

/** One request to GA4, reported to `onRequest` when its outcome is known (metrics). */
export interface RequestInfo {
  readonly events: number;
  readonly bytes: number;
  readonly durationMs: number;
  readonly outcome: 'sent' | 'retryable' | 'rejected';
  readonly reason?: SendFailureReason;
}

/** Why a job leaves for the dead-letter queue. */
export interface Failure {
  readonly reason: DeadLetterReason;
  readonly message: string;
  readonly lastRequest?: unknown;
}
