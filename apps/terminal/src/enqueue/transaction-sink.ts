/**
 * The port between assembly and the queue. `enqueue` resolves only when the queue has the
 * transactions (handed over); adding a transaction that is already queued or recently done with
 * the same content (a replay, a retried hand-over, a spool re-drain) is a silent no-op.
 * A transaction whose id is already known with *different* content (see
 * `transactionFingerprint` in @pos-ga4/queue-contract) is never handed over: it is passed to
 * `onCollision` before `enqueue` resolves, and the caller records it as a
 * `TRANSACTION_ID_COLLISION` reject. A sink called without `onCollision` hands the others over
 * and then rejects with a `TransactionIdCollisionError`, so a collision is never silent.
 * Rejects when the queue is unreachable (the caller spools or reports).
 */
import type { Transaction } from '@pos-ga4/transaction';

export interface TransactionIdCollision {
  /** The transaction that was not handed over. */
  readonly transaction: Transaction;
  /** Where the other receipt with this id was seen: this terminal's spool, or the queue. */
  readonly seenIn: 'spool' | 'queue';
}

export type OnCollision = (collision: TransactionIdCollision) => void;

export interface TransactionSink {
  enqueue(transactions: readonly Transaction[], onCollision?: OnCollision): Promise<void>;
  close(): Promise<void>;
}

/** One line for operators and the reject log. */
export function collisionReason(collision: TransactionIdCollision): string {
  const where = collision.seenIn === 'spool' ? "this terminal's spool" : 'the queue';
  return `transaction id ${collision.transaction.transactionId} already belongs to a receipt with different content (seen in ${where}); this one was not sent`;
}

export class TransactionIdCollisionError extends Error {
  readonly code = 'TRANSACTION_ID_COLLISION';
  readonly collisions: readonly TransactionIdCollision[];

  constructor(collisions: readonly TransactionIdCollision[]) {
    super(collisions.map(collisionReason).join('; '));
    this.name = 'TransactionIdCollisionError';
    this.collisions = collisions;
  }
}

/** Gives each collision to `onCollision`, or throws them together when there is none. */
export function reportCollisions(
  collisions: readonly TransactionIdCollision[],
  onCollision: OnCollision | undefined,
): void {
  if (collisions.length === 0) return;
  if (onCollision === undefined) throw new TransactionIdCollisionError(collisions);
  for (const collision of collisions) onCollision(collision);
}
