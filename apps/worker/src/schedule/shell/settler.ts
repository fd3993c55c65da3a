/**
 * The settler: every write that settles a job or changes a client barrier. Sent items are
 * recorded in the sent-ledger (who they were sent for), leave their clients' barriers, and are
 * completed; failed ones are written to the dead-letter queue and failed; skipped and
 * deduplicated ones are completed. Each outcome is reported once to `onOutcome`.
 * After `abort()` (the lease was lost) only the ledger is still written: GA4 has those events,
 * and the next owner must not send them again; job moves are left to that owner.
 * Lifecycle: owned by one partition consumer; it closes nothing (the ledger, barrier and
 * dead-letter queue belong to the worker).
 */
import type { Logger } from '@pos-ga4/logger';
import type { BarrierEntry, ClientBarrier, DeadLetterJobData } from '@pos-ga4/queue-contract';
import type { Transaction } from '@pos-ga4/transaction';
import type { Queue } from 'bullmq';

import type { SentLedger } from '../../ledger/sent-ledger.js';
import { writeDeadLetter } from '../../outcome/dead-letter.js';
import type { BarrierRef } from '../core/partition-core.js';
import type { HeldItem } from '../core/held-item.js';
import type { CompletedOutcome, DeliveryOutcome, Failure } from '../core/outcomes.js';

import type { JobFetcher } from './job-fetcher.js';

export interface SettlerDeps {
  readonly partition: number;
  readonly token: string;
  readonly fetcher: JobFetcher;
  readonly ledger: SentLedger;
  readonly barrier: ClientBarrier;
  readonly deadLetters: Queue<DeadLetterJobData>;
  readonly logger: Logger;
  readonly now: () => number;
  /** Barrier entries of these clients changed (cached heads are stale). */
  readonly onBarrierChange: (clientKeys: readonly string[]) => void;
  readonly onOutcome?: ((outcome: DeliveryOutcome) => void) | undefined;
}

export class Settler {
  readonly #deps: SettlerDeps;
  #aborted = false;

  constructor(deps: SettlerDeps) {
    this.#deps = deps;
  }

  abort(): void {
    this.#aborted = true;
  }

  async register(entries: readonly BarrierEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#deps.barrier.register(entries);
    this.#deps.onBarrierChange(entries.map((entry) => entry.clientKey));
  }

  async release(refs: readonly BarrierRef[]): Promise<void> {
    if (refs.length === 0) return;
    await this.#deps.barrier.release(refs);
    this.#deps.onBarrierChange(refs.map((ref) => ref.clientKey));
  }

  async complete(jobId: string, outcome: CompletedOutcome): Promise<void> {
    if (this.#aborted) return;
    const enqueuedAt = this.#enqueuedAt(jobId);
    await this.#deps.fetcher.complete(jobId, outcome);
    this.#deps.onOutcome?.({ ...outcome, ...enqueuedAt });
  }

  /** GA4 has these events: ledger first (even after an abort), then barriers, then the jobs. */
  async sent(items: readonly HeldItem[], release: readonly BarrierRef[]): Promise<void> {
    const now = this.#deps.now();
    const requestId = `${this.#deps.token}:${now}:${items[0]?.transaction.transactionId ?? ''}`;
    const sentAt = new Date(now).toISOString();
    await this.#deps.ledger.record(
      this.#deps.partition,
      items.map((item) => ({
        transactionId: item.transaction.transactionId,
        // who it was sent for: a later refund of it goes to the same user
        entry: {
          requestId,
          sentAt,
          clientId: item.envelope.client_id,
          ...(item.envelope.user_id === undefined ? {} : { userId: item.envelope.user_id }),
          ordered: item.ordered,
        },
      })),
    );
    await this.release(release);
    // completions are independent of each other: sent together, one round trip
    await Promise.all(
      items.map((item) =>
        this.complete(item.jobId, {
          transactionId: item.transaction.transactionId,
          outcome: 'sent',
          requestId,
          counts: item.counts,
          ...(item.refundLink === undefined ? {} : { refundLink: item.refundLink }),
        }),
      ),
    );
  }

  /**
   * Dead-letters one job: the dead letter (when the job carried a readable transaction), then the
   * job failed with `<reason>: <message>`; reported and logged.
   */
  async deadLetter(
    jobId: string,
    letter: { transaction?: Transaction | undefined; failure: Failure; attempts: number },
  ): Promise<void> {
    if (this.#aborted) return;
    const { failure, transaction } = letter;
    const enqueuedAt = this.#enqueuedAt(jobId);
    await this.#deps.fetcher.fail(jobId, failure, async () => {
      if (transaction)
        await writeDeadLetter(this.#deps.deadLetters, {
          reason: failure.reason,
          message: failure.message,
          transaction,
          lastRequest: failure.lastRequest,
          attempts: letter.attempts,
          now: new Date(this.#deps.now()),
        });
    });
    this.#deps.logger.warn(
      { jobId, reason: failure.reason, message: failure.message },
      'dead-lettered',
    );
    this.#deps.onOutcome?.({
      transactionId: transaction?.transactionId ?? jobId,
      outcome: 'dead-lettered',
      reason: failure.reason,
      ...enqueuedAt,
    });
  }

  #enqueuedAt(jobId: string): { enqueuedAt?: string } {
    const data: unknown = this.#deps.fetcher.job(jobId)?.data;
    return typeof data === 'object' &&
      data !== null &&
      'enqueuedAt' in data &&
      typeof data.enqueuedAt === 'string'
      ? { enqueuedAt: data.enqueuedAt }
      : {};
  }
}
