/**
 * A job a partition consumer holds until it is sent or dead-lettered, as the pure core sees it:
 * ids, what ordering needs, and the mapped request. The BullMQ job itself stays with the job
 * fetcher (shell/job-fetcher.ts), found by `jobId`.
 */
import type { MappingCounts, MpEvent, RequestEnvelope } from '@pos-ga4/ga4-mp';
import type { Transaction } from '@pos-ga4/transaction';

export interface HeldItem {
  readonly jobId: string;
  /** The producer's hand-over order (µs sequence; BullMQ's add time × 1000 for older jobs). */
  readonly sequence: number;
  readonly transaction: Transaction;
  readonly terminalKey: string;
  /** Fetch order within the partition (last tie-break). */
  readonly seq: number;
  readonly property: string;
  /** The client's barrier key; a refund takes over its purchase's client when that is sent. */
  clientKey: string;
  /**
   * Whether the client's order barrier applies. False for a pseudo client id: it is unique to one
   * purchase (a refund shares it, but waits for the purchase anyway), so no other event can be
   * ordered against it and the barrier's Redis round trips are skipped.
   */
  ordered: boolean;
  envelope: RequestEnvelope & { client_id: string };
  readonly event: MpEvent;
  /** What the mapping folded and cut (reported with the outcome, for metrics). */
  readonly counts: MappingCounts;
  /** A refund: sent on its purchase's transaction_id and client, or without a known purchase. */
  refundLink?: 'linked' | 'unmatched';
  /** Order timestamp (µs): occurredAt. */
  readonly orderTs: number;
  state: 'pending' | 'inflight';
  blockedUntil: number;
  failures: number;
  firstFailureAt?: number;
  lastFailure?: string;
  /** A refund whose purchase has not been sent yet. */
  waitingForPurchase: boolean;
  /** Since when it has waited for a purchase nobody has seen (ms). */
  waitingSince?: number | undefined;
}

/** Receipt order within a terminal: the producer's sequence, then occurredAt, then fetch order. */
export function compareReceiptOrder(a: HeldItem, b: HeldItem): number {
  return a.sequence - b.sequence || a.orderTs - b.orderTs || a.seq - b.seq;
}

/** A refund parked until its purchase is sent steps aside in its terminal's order. */
export function isParked(item: HeldItem): boolean {
  return item.waitingForPurchase && item.state === 'pending';
}
