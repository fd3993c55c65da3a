/**
 * The delivery core of one partition: every decision the consumer makes, with no I/O (no
 * BullMQ, no Redis, no HTTP; lint enforces it). The loop (../partition-consumer.ts) reads and
 * writes through its shells and asks the core at each step of the data flow:
 *
 *   fetch → admit → fence → refunds → heads → select → deliver → settle
 *
 * Input: fetched jobs (read and looked up by the loop), the active list and job states (fence),
 * where purchases stand (refunds), barrier heads, request outcomes, the clock.
 * Output: admissions, barrier changes, groups to send, items to settle and how.
 * Guarantees (property-tested in partition-core.property.test.ts): a terminal's receipts go in
 * receipt order, a client's events in barrier order, a refund never before its purchase, no
 * transaction twice from one core, nothing leaves the held set without an outcome.
 * Lifecycle: one core per consumer, discarded with it.
 */
import type { BarrierEntry } from '@pos-ga4/queue-contract';

import type { WorkerConfig } from '../../config.js';
import type { LedgerEntry } from '../../ledger/sent-ledger.js';
import type { IdentityRecord } from '../../lookup/identity-store.js';

import { admissionOf } from './admission.js';
import type { Admission, ReadJob } from './admission.js';
import { HeadsCache, StaleHeads } from './barrier-heads.js';
import { ClaimFence } from './claim-fence.js';
import type { HeldItem } from './held-item.js';
import { HeldSet } from './held-set.js';
import { LeaseClock } from './lease-clock.js';
import type { Failure, TransactionStatus } from './outcomes.js';
import { decideRefund, relink } from './refund-gate.js';
import type { Relink } from './refund-gate.js';
import { planRetry } from './retry-plan.js';
import type { RetryableOutcome } from './retry-plan.js';
import { selectReady } from './select-ready.js';
import { StarvationPolicy } from './starvation.js';
import type { StarvationVerdict } from './starvation.js';

/** Lease periods a consumer waits for a job claimed elsewhere before it gives up (the fence). */
export const FOREIGN_GIVE_UP_LEASES = 10;

/** A client barrier member: which client, which transaction. */
export type BarrierRef = Pick<BarrierEntry, 'clientKey' | 'transactionId'>;

export type RefundStep =
  | { readonly kind: 'wait' }
  | { readonly kind: 'go'; readonly link: 'linked' | 'unmatched'; readonly relink: Relink }
  | {
      readonly kind: 'dead-letter';
      readonly failure: Failure;
      readonly release: readonly BarrierRef[];
    };

export interface Selection {
  readonly groups: HeldItem[][];
  readonly starvation?: StarvationVerdict;
}

/** Barrier entries for items that are in one (pseudo clients are not). */
export function barrierRefs(items: readonly HeldItem[]): BarrierRef[] {
  return items
    .filter((item) => item.ordered)
    .map((item) => ({ clientKey: item.clientKey, transactionId: item.transaction.transactionId }));
}

export class PartitionCore {
  readonly #config: WorkerConfig;
  readonly #random: (() => number) | undefined;
  readonly held = new HeldSet();
  readonly fence: ClaimFence;
  readonly starvation: StarvationPolicy;
  readonly heads = new HeadsCache();
  readonly staleHeads: StaleHeads;
  readonly lease: LeaseClock;
  #seq = 0;

  /** `random`: the backoff jitter's source (tests make it deterministic). */
  constructor(config: WorkerConfig, options: { random?: () => number } = {}) {
    this.#config = config;
    this.#random = options.random;
    this.fence = new ClaimFence({ giveUpAfterMs: FOREIGN_GIVE_UP_LEASES * config.leaseMs });
    this.starvation = new StarvationPolicy({ ...config.batch, leaseMs: config.leaseMs });
    this.staleHeads = new StaleHeads({ leaseMs: config.leaseMs });
    this.lease = new LeaseClock(config.leaseMs);
  }

  /** How often an idle or blocked partition polls (queue, barrier heads). */
  get pollEveryMs(): number {
    return Math.max(10, Math.min(this.#config.batch.windowMs, 100));
  }

  /** How many jobs the next fetch may take (foreign jobs back at the queue's head always fit). */
  fetchRoom(alreadyFetched: number): number {
    const { maxJobs } = this.#config.batch;
    return Math.max(
      0,
      Math.min(maxJobs - alreadyFetched, this.starvation.maxHeld - this.held.size - alreadyFetched),
      this.fence.queued - alreadyFetched,
    );
  }

  /**
   * Admits read jobs (in fetch order) given what the loop looked up for them. Held ones join the
   * held set; the returned barrier entries must be registered before the next round sends.
   */
  admit(
    jobs: readonly { readonly job: ReadJob; readonly timestamp: number }[],
    lookups: {
      readonly now: number;
      readonly sent: ReadonlyMap<string, LedgerEntry>;
      readonly identities: ReadonlyMap<string, IdentityRecord>;
    },
  ): { admissions: { job: ReadJob; admission: Admission }[]; register: BarrierEntry[] } {
    const admissions: { job: ReadJob; admission: Admission }[] = [];
    const holding: HeldItem[] = [];
    const holdingIds = new Set<string>();
    for (const { job, timestamp } of jobs) {
      const id = job.transaction.transactionId;
      const admission = admissionOf(job, {
        config: this.#config,
        now: lookups.now,
        identities: lookups.identities,
        ledgerEntry: lookups.sent.get(id),
        alreadyHeld: this.held.has(id) || holdingIds.has(id),
        seq: this.#seq++,
        timestamp,
      });
      if (admission.kind === 'hold') {
        holding.push(admission.item);
        holdingIds.add(id);
      }
      admissions.push({ job, admission });
    }
    if (holding.length > 0) {
      this.held.add(holding);
      this.fence.admitted();
    }
    const register = holding
      .filter((item) => item.ordered)
      .map((item) => ({
        clientKey: item.clientKey,
        score: item.orderTs,
        transactionId: item.transaction.transactionId,
      }));
    return { admissions, register };
  }

  /** A parked refund's purchase stands so: the refund waits, goes, or is dead-lettered. */
  refundStep(item: HeldItem, status: TransactionStatus, now: number): RefundStep {
    const decision = decideRefund(item, status, { now, refunds: this.#config.refunds });
    switch (decision.kind) {
      case 'wait':
        return decision;
      case 'dead-letter': {
        const release = barrierRefs([item]);
        this.held.remove(item);
        return { kind: 'dead-letter', failure: decision.failure, release };
      }
      case 'linked':
      case 'unmatched': {
        const change =
          decision.kind === 'linked' && decision.entry
            ? relink(item, decision.entry, this.#config)
            : {};
        item.refundLink = decision.kind;
        item.waitingForPurchase = false;
        return { kind: 'go', link: decision.kind, relink: change };
      }
    }
  }

  /** Clients whose barrier heads this round needs: each terminal's next item that could start. */
  clientsToRead(now: number): Set<string> {
    const clients = new Set<string>();
    for (const first of this.held.terminalHeads())
      if (first.ordered && first.state === 'pending' && first.blockedUntil <= now)
        clients.add(first.clientKey);
    return clients;
  }

  /**
   * What may be sent now, given the barrier heads; with nothing sendable and nothing in flight,
   * the starvation policy may force one event through (its verdict is returned to report).
   * Nothing is marked here: `start()` marks a group once a request slot was taken for it.
   */
  select(
    heads: ReadonlyMap<string, readonly string[]>,
    context: { now: number; inflight: number },
  ): Selection {
    const { now } = context;
    let groups = selectReady({ terminals: this.held.terminals, heads, now });
    let starvation: StarvationVerdict | undefined;
    if (groups.length > 0) this.starvation.progressed();
    else if (context.inflight === 0) {
      starvation = this.starvation.stalled({
        terminalHeads: this.held.terminalHeads(),
        heads,
        held: this.held.size,
        isHeld: (id) => this.held.has(id),
        now,
      });
      const giveUp = starvation?.giveUp;
      if (giveUp) {
        const forced = new Map(heads);
        forced.set(giveUp.item.clientKey, [giveUp.item.transaction.transactionId]);
        groups = selectReady({ terminals: this.held.terminals, heads: forced, now });
      }
    }
    return { groups, ...(starvation === undefined ? {} : { starvation }) };
  }

  /** These items are going out now (a request slot was taken for them). */
  start(group: readonly HeldItem[]): void {
    for (const item of group) item.state = 'inflight';
  }

  /** GA4 has them: they leave the held set; returns their barrier entries to release. */
  sent(items: readonly HeldItem[]): BarrierRef[] {
    for (const item of items) this.held.remove(item);
    return barrierRefs(items);
  }

  /**
   * They are dead-lettered: they leave the held set. Attempts are the failed requests so far plus
   * this one, unless `counted` (a retryable failure that used up `retry.giveUpAfterMs`).
   */
  failed(items: readonly HeldItem[], counted: boolean): { item: HeldItem; attempts: number }[] {
    for (const item of items) this.held.remove(item);
    return items.map((item) => ({ item, attempts: counted ? item.failures : item.failures + 1 }));
  }

  /** A retryable failure of a request: it and the client's later ones back off (retry-plan.ts). */
  retry(items: readonly HeldItem[], outcome: RetryableOutcome, now: number): HeldItem[] {
    return planRetry(items, outcome, {
      now,
      retry: this.#config.retry,
      ...(this.#random === undefined ? {} : { random: this.#random }),
    });
  }

  /** Not sent after all (the lease is unsure, a delivery threw): pending again. */
  unsent(items: readonly HeldItem[]): void {
    for (const item of items) if (item.state === 'inflight') item.state = 'pending';
  }

  /** The held jobs whose locks the consumer keeps. */
  lockIds(): string[] {
    return this.held.all().map((item) => item.jobId);
  }
}
