/**
 * TransactionSink that never loses a captured sale: write-ahead into a local spool, then hand
 * over to the queue from there (docs/terminal-durability.md, decision 0003).
 * - `enqueue(transactions, onCollision)`: checks each against the queue contract (job data
 *   schema, job id; a bad one rejects the call with the ZodError/TypeError and nothing is
 *   spooled), appends the batch to the spool (fsync'd) and resolves: the sale is durable, not yet
 *   handed over. Rejects with SpoolError `SPOOL_FULL` (nothing of this batch spooled; the caller
 *   keeps its raw capture and stops reading) or `SPOOL_CLOSED`.
 * - Id collisions within this terminal are caught before the spool: the sink remembers the
 *   content fingerprint of the last `knownIds` ids it spooled or handed over (including entries
 *   left from before a restart, as they drain); a transaction whose id it knows with another
 *   fingerprint is not spooled but given to `onCollision` (seen in the spool), where the caller
 *   still has its raw bytes. An identical one is spooled as before (a no-op downstream).
 *   Collisions the queue finds at hand-over (an id used before a restart or by another process)
 *   go to `onHandOverCollision`; those entries count as handed over (retrying cannot help).
 * - A drainer hands the spool to the inner sink strictly in spool order, in batches, with a
 *   timeout per attempt and backoff; new transactions queue behind spooled ones, never beside.
 * - `flush()` resolves once the spool is empty; `status()` reports depth, fill, alarm, counts,
 *   last error; `retryNow()` cuts a backoff short (wire it to the connection's `ready`).
 * Inputs: an open Spool, and `createInnerSink` (e.g. a BullMQ sink over a fail-fast producer
 * connection); it is called lazily, and again when a hand-over was stuck past `abandonAfterMs`.
 * Lifecycle: `close()` stops draining (what is left stays spooled for the next start), closes the
 * inner sink (bounded wait) and the spool.
 */
import {
  jobIdFor,
  transactionFingerprint,
  TransactionJobDataSchema,
} from '@pos-ga4/queue-contract';
import type { Transaction } from '@pos-ga4/transaction';

import type { RetryPolicy } from './spool/backoff.js';
import { SpoolError } from './spool/spool-error.js';
import { startSpoolDrainer } from './spool/spool-drainer.js';
import type { DrainStats } from './spool/spool-drainer.js';
import type { Spool, SpoolEntry, SpoolLevel } from './spool/spool.js';
import { reportCollisions, TransactionIdCollisionError } from './transaction-sink.js';
import type { TransactionIdCollision, TransactionSink } from './transaction-sink.js';

export interface DurableSinkOptions {
  readonly spool: Spool;
  readonly createInnerSink: () => TransactionSink;
  /** Entries per hand-over (one `addBulk`). Default 500. */
  readonly batchSize?: number;
  /** Longest wait for one hand-over before it counts as failed. Default 10 s. */
  readonly handOverTimeoutMs?: number;
  /** A hand-over still pending after this long is abandoned and the inner sink replaced. Default 2 min. */
  readonly abandonAfterMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Each failed or timed-out hand-over (the drain goes on). */
  readonly onHandOverError?: (error: unknown) => void;
  readonly now?: () => Date;
  /**
   * Hold each entry this long after it was spooled before handing it over (scan matching: an
   * identity scanned just after the cut still joins the receipt). The receipt is durable in the
   * spool meanwhile. Default 0.
   */
  readonly holdMs?: number;
  /** Last changes before hand-over, e.g. adding matched identities. Must keep the transaction ids. */
  readonly beforeHandOver?: (transactions: readonly Transaction[]) => readonly Transaction[];
  /**
   * A spooled transaction the queue refused as an id collision (record it as a reject). It must
   * resolve before the batch is marked handed over; if it rejects, the batch is retried. Without
   * it, collisions go to `onHandOverError` as a TransactionIdCollisionError.
   */
  readonly onHandOverCollision?: (collision: TransactionIdCollision) => Promise<void>;
  /** How many recent ids the local collision check remembers. Default 20,000. */
  readonly knownIds?: number;
}

export interface DurableSinkStatus extends SpoolLevel, Omit<DrainStats, 'handedOver'> {
  /** Transactions spooled by this process. */
  readonly spooled: number;
  /** Transactions handed over by this process (including ones spooled before a restart). */
  readonly handedOver: number;
  /** When this process last spooled a transaction (ISO 8601). */
  readonly lastReceiptAt: string | undefined;
}

export interface DurableTransactionSink extends TransactionSink {
  flush(options?: { timeoutMs?: number }): Promise<void>;
  retryNow(): void;
  status(): DurableSinkStatus;
}

interface SpooledTransaction {
  readonly v: 1;
  readonly spooledAt: string;
  readonly transaction: Transaction;
}

const INNER_CLOSE_TIMEOUT_MS = 5_000;
const DEFAULT_KNOWN_IDS = 20_000;

async function closeQuietly(sink: TransactionSink | undefined): Promise<void> {
  if (sink === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    sink.close().catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, INNER_CLOSE_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
}

export function durableTransactionSink(options: DurableSinkOptions): DurableTransactionSink {
  const { spool } = options;
  const now = options.now ?? (() => new Date());
  let inner: TransactionSink | undefined;
  let closed = false;
  let spooled = 0;
  let lastReceiptAt: string | undefined;
  // transaction id → content fingerprint, oldest first (a Map keeps insertion order)
  const known = new Map<string, string>();
  const maxKnown = options.knownIds ?? DEFAULT_KNOWN_IDS;
  const remember = (id: string, fingerprint: string): void => {
    known.delete(id);
    known.set(id, fingerprint);
    if (known.size > maxKnown) {
      const oldest = known.keys().next();
      if (oldest.done !== true) known.delete(oldest.value);
    }
  };

  const handOver = async (entries: readonly SpoolEntry[]): Promise<void> => {
    inner ??= options.createInnerSink();
    const transactions = entries.map(
      (entry) => (JSON.parse(entry.payload) as SpooledTransaction).transaction,
    );
    // entries spooled before a restart join the local check as they drain
    for (const transaction of transactions)
      if (!known.has(transaction.transactionId))
        remember(transaction.transactionId, transactionFingerprint(transaction));
    const collisions: TransactionIdCollision[] = [];
    await inner.enqueue(
      options.beforeHandOver ? options.beforeHandOver(transactions) : transactions,
      (collision) => collisions.push(collision),
    );
    if (collisions.length === 0) return;
    if (options.onHandOverCollision === undefined) {
      options.onHandOverError?.(new TransactionIdCollisionError(collisions));
      return;
    }
    for (const collision of collisions) await options.onHandOverCollision(collision);
  };

  const drainer = startSpoolDrainer({
    spool,
    handOver,
    now: () => now().getTime(),
    ...(options.holdMs === undefined || options.holdMs <= 0
      ? {}
      : {
          readyCount: (entries: readonly SpoolEntry[]) => {
            const due = now().getTime() - (options.holdMs ?? 0);
            const index = entries.findIndex(
              (entry) =>
                Date.parse((JSON.parse(entry.payload) as SpooledTransaction).spooledAt) > due,
            );
            return index === -1 ? entries.length : index;
          },
        }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.handOverTimeoutMs === undefined ? {} : { timeoutMs: options.handOverTimeoutMs }),
    ...(options.abandonAfterMs === undefined ? {} : { abandonAfterMs: options.abandonAfterMs }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.onHandOverError === undefined ? {} : { onError: options.onHandOverError }),
    onStuck() {
      const stuck = inner;
      inner = undefined;
      void closeQuietly(stuck);
    },
  });

  return {
    async enqueue(transactions, onCollision) {
      if (closed) throw new SpoolError('SPOOL_CLOSED', 'the durable sink is closed');
      if (transactions.length === 0) return;
      const at = now().toISOString();
      const batch = new Map<string, string>();
      const collisions: TransactionIdCollision[] = [];
      const payloads = transactions.flatMap((transaction) => {
        jobIdFor(transaction);
        TransactionJobDataSchema.parse({ transaction, enqueuedAt: at });
        const id = transaction.transactionId;
        const fingerprint = transactionFingerprint(transaction);
        const seen = batch.get(id) ?? known.get(id);
        if (seen !== undefined && seen !== fingerprint) {
          collisions.push({ transaction, seenIn: 'spool' });
          return [];
        }
        batch.set(id, fingerprint);
        const record: SpooledTransaction = { v: 1, spooledAt: at, transaction };
        return [JSON.stringify(record)];
      });
      if (payloads.length > 0) {
        await spool.append(payloads);
        for (const [id, fingerprint] of batch) remember(id, fingerprint);
        spooled += payloads.length;
        lastReceiptAt = at;
        drainer.wake();
      }
      reportCollisions(collisions, onCollision);
    },

    flush(flushOptions) {
      return drainer.untilEmpty(flushOptions);
    },

    retryNow() {
      drainer.retryNow();
    },

    status() {
      return { ...spool.level(), ...drainer.stats(), spooled, lastReceiptAt };
    },

    async close() {
      if (closed) return;
      closed = true;
      await drainer.close();
      await closeQuietly(inner);
      inner = undefined;
      await spool.close();
    },
  };
}
