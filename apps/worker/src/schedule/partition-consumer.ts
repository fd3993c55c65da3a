/**
 * One partition's consumer: fetches its jobs in order (it holds the partition's lease, so it is
 * the only one), prepares them (lookup, map, validate), and delivers them through the order
 * barriers (select-ready.ts) in batched requests. Jobs are held, not retried by BullMQ: a
 * retryable failure blocks only its client (and, through receipt order, its terminal) with
 * backoff, while everything else goes ahead. Outcomes: completed (`sent`, `skipped`, or
 * `deduplicated` when the sent-ledger already has it) or failed into the dead-letter queue.
 *
 * Lifecycle: `run()` until `stop()` (graceful: finish in-flight requests within the deadline,
 * then hand held jobs back to the head of the queue in order) or `abort()` (lease lost: stop at
 * once and touch nothing; the locks expire and the next owner recovers the jobs).
 */
import { batchEvents } from '@pos-ga4/ga4-mp';
import type { MappingCounts, MpClient } from '@pos-ga4/ga4-mp';
import type { Logger } from '@pos-ga4/logger';
import {
  orderScoreOf,
  transactionQueueName,
  TransactionJobDataSchema,
} from '@pos-ga4/queue-contract';
import type { DeadLetterJobData, TransactionJobData } from '@pos-ga4/queue-contract';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';

import type { ClientBarrier } from '../barrier/client-barrier.js';
import type { WorkerConfig } from '../config.js';
import type { LedgerEntry, SentLedger } from '../ledger/sent-ledger.js';
import type { CachedIdentityLookup } from '../lookup/identity-store.js';
import { lookupTokens, requestEnvelope } from '../lookup/resolve-client.js';
import { buildRequest, requestDefaultsOf } from '../map/build-request.js';
import { writeDeadLetter } from '../outcome/dead-letter.js';
import { routeStore } from '../route/property-router.js';
import type { RequestSlots } from '../send/request-slots.js';
import { backoffDelay, RetryableSendError } from '../send/retry-policy.js';

import { compareReceiptOrder } from './held-item.js';
import type { HeldItem } from './held-item.js';
import { selectReady } from './select-ready.js';

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
  readonly reason?: string;
  readonly requestId?: string;
  /** The job data's `enqueuedAt` (ISO 8601), given to `onOutcome` only (for latency metrics). */
  readonly enqueuedAt?: string;
  /** Sent events: lines folded into `pos_other_items`, texts cut to a GA4 limit. */
  readonly counts?: MappingCounts;
  /** Sent refunds: linked to a purchase pos-ga4 sent, or sent without one (`refunds.unknownPurchase`). */
  readonly refundLink?: 'linked' | 'unmatched';
}

/** One request to GA4, reported to `onRequest` when its outcome is known (metrics). */
export interface RequestInfo {
  readonly events: number;
  readonly bytes: number;
  readonly durationMs: number;
  readonly outcome: 'sent' | 'retryable' | 'rejected';
  readonly reason?: string;
}

export interface PartitionConsumerDeps {
  readonly partition: number;
  readonly workerId: string;
  readonly config: WorkerConfig;
  /** The connection for the partition's job moves (BullMQ) and the fence's reads of its active list. */
  readonly connection: Redis;
  readonly ledger: SentLedger;
  readonly barrier: ClientBarrier;
  readonly identities: CachedIdentityLookup;
  readonly clients: ReadonlyMap<string, MpClient>;
  /** The worker-wide cap on requests in flight, shared by the process's consumers. */
  readonly slots: RequestSlots;
  readonly deadLetters: Queue<DeadLetterJobData>;
  readonly logger: Logger;
  /** Where any transaction stands (whichever partition it is in), with its sent-ledger entry. */
  readonly transactionStatus: (transactionId: string) => Promise<TransactionStatus>;
  readonly now?: () => number;
  readonly onOutcome?: (outcome: DeliveryOutcome) => void;
  readonly onRequest?: (info: RequestInfo) => void;
}

function enqueuedAtOf(job: Job): { enqueuedAt?: string } {
  const data: unknown = job.data;
  return typeof data === 'object' &&
    data !== null &&
    'enqueuedAt' in data &&
    typeof data.enqueuedAt === 'string'
    ? { enqueuedAt: data.enqueuedAt }
    : {};
}

/** The share of a lease's time a consumer works in without a renewal (see `leaseRenewed`). */
const LEASE_SAFE_SHARE = 0.8;

/** Lease periods a consumer waits for a job claimed elsewhere before it gives up (see the fence). */
const FOREIGN_GIVE_UP_LEASES = 10;

/** At most one "fetching beyond batch.maxHeld" warning per partition this often. */
const OVERFLOW_WARN_EVERY_MS = 30_000;

/** Jobs fetched per parallel round (one pipelined write of moveToActive calls). */
const FETCH_ROUND = 32;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class PartitionConsumer {
  readonly #deps: PartitionConsumerDeps;
  readonly #token: string;
  readonly #terminals = new Map<string, HeldItem[]>();
  /** Every held item by transaction id. */
  readonly #byId = new Map<string, HeldItem>();
  /** Held refunds still waiting for their purchase. */
  readonly #parkedRefunds = new Set<HeldItem>();
  readonly #inflight = new Set<Promise<void>>();
  /** Jobs whose move out of active (completed, failed, back to wait) is under way. */
  readonly #finishing = new Set<string>();
  /** Active jobs claimed by someone else, not yet ours or settled (see `#fenceClear`). */
  readonly #foreign = new Map<string, number>();
  /**
   * Barrier heads read for clients blocked by another partition's event, reused for one poll
   * interval: blocked stays blocked until re-read (only a head that is ours lets anything go, and
   * those are never taken from here). Dropped when this consumer changes the client's barrier.
   */
  readonly #blockedHeads = new Map<string, { heads: string[]; readAt: number }>();
  /** Every held job is blocked by client events held elsewhere: fetch up to `maxHeldBlocked`. */
  #overflow = false;
  #blockedSince: number | undefined;
  #overflowWarnedAt = -Infinity;
  /** Jobs were admitted since the fence last read the active list. */
  #uncheckedSinceFence = false;
  /** Foreign jobs given up on (not waited for again while they stay active). */
  #givenUp = new Set<string>();
  /** How many of them are back in the queue (the next fetch takes them from its head). */
  #foreignQueued = 0;
  readonly #log: Logger;
  #worker: Worker<TransactionJobData> | undefined;
  #queue: Queue | undefined;
  #seq = 0;
  #held = 0;
  #running = false;
  #aborted = false;
  #done: Promise<void> = Promise.resolve();
  #lastLockExtension = 0;
  #drained = false;
  #leaseValidUntil = 0;
  #nextPollAt = 0;
  #wakeUp: (() => void) | undefined;
  readonly #foreignHeads = new Map<
    string,
    { checkedAt: number; missingSince?: number | undefined }
  >();

  constructor(deps: PartitionConsumerDeps) {
    this.#deps = deps;
    this.#token = `${deps.workerId}:${deps.partition}`;
    this.#log = deps.logger.child({ partition: deps.partition });
  }

  #isRunning(): boolean {
    return this.#running;
  }

  /**
   * The lease was taken or renewed by a call that started at `at` (this process's clock): Redis
   * keeps it at least `leaseMs` from then. The consumer claims, sends and extends locks only until
   * `LEASE_SAFE_SHARE` of that, so when renewals fail (Redis away, a stalled event loop) it has
   * stopped before the lease can lapse and another worker take the partition: two owners never
   * send at once. Renewals come every third of `leaseMs`.
   */
  leaseRenewed(at: number): void {
    this.#leaseValidUntil = Math.max(
      this.#leaseValidUntil,
      at + this.#deps.config.leaseMs * LEASE_SAFE_SHARE,
    );
  }

  #leaseHeld(): boolean {
    return this.#now() < this.#leaseValidUntil;
  }

  get held(): number {
    return this.#held;
  }

  #now(): number {
    return (this.#deps.now ?? Date.now)();
  }

  start(): void {
    this.#running = true;
    this.#done = this.#run().catch((error: unknown) => {
      this.#log.error({ err: error }, 'partition consumer failed');
    });
  }

  async #run(): Promise<void> {
    const { config, connection, partition } = this.#deps;
    const worker = new Worker<TransactionJobData>(transactionQueueName(partition), null, {
      connection,
      prefix: config.redis.prefix,
      lockDuration: config.leaseMs,
      stalledInterval: Math.max(500, Math.floor(config.leaseMs / 2)),
      maxStalledCount: 1_000_000,
      autorun: false,
    });
    worker.on('error', (error) => {
      this.#log.warn({ err: error }, 'queue error');
    });
    this.#worker = worker;
    await worker.startStalledCheckTimer();
    // A previous owner's jobs must be back in the queue before we read on, or newer jobs would overtake them.
    const queue = new Queue(transactionQueueName(partition), {
      connection,
      prefix: config.redis.prefix,
    });
    this.#queue = queue;
    // Taking over: the previous owner's jobs are foreign to the fence, so nothing is sent until
    // every one of them is back and held here (or settled): BullMQ puts them back at the head of
    // the queue in no particular order (they come from a set), and there may be more of them
    // than `batch.maxHeld` (an owner that fetched beyond it, see `#whenBlockedByOthers`).
    const startedAt = this.#now();
    for (const id of await connection.lrange(queue.keys['active'] ?? '', 0, -1))
      this.#foreign.set(id, startedAt);
    while (this.#running && (await queue.getActiveCount()) > 0) {
      await sleep(Math.min(500, config.leaseMs / 4));
    }
    // then hold and sort them before sending anything, or a terminal's later receipt could go first
    for (;;) {
      const fetched = await this.#fetch(worker);
      await this.#admit(fetched);
      if (fetched.length === 0 || this.#held >= config.batch.maxHeld || !this.#isRunning()) break;
    }
    while (this.#running) {
      const fetched = await this.#fetch(worker);
      // admitted even when stopping: `stop()` hands every held job back in order
      await this.#admit(fetched);
      if (!this.#isRunning()) break;
      const sent = await this.#tick();
      await this.#extendLocks(worker);
      // idle: wait for the next poll, or less when a delivery settles (its terminal may go on)
      if (fetched.length === 0 && !sent) await this.#nap(this.#pollEveryMs());
    }
  }

  #pollEveryMs(): number {
    return Math.max(10, Math.min(this.#deps.config.batch.windowMs, 100));
  }

  /** Sleeps `ms`, or until `#wake()` (a delivery settled). */
  #nap(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wakeUp = done;
    });
  }

  #wake(): void {
    this.#wakeUp?.();
  }

  /**
   * Up to `maxJobs` jobs in queue order, collected for at most `batch.windowMs`. While the queue
   * has jobs, fetches go in parallel rounds on one connection (Redis runs the moves in the order
   * sent, so the jobs still come in order); once it is empty, one probe per poll interval.
   */
  async #fetch(worker: Worker<TransactionJobData>): Promise<Job<TransactionJobData>[]> {
    const { maxJobs, windowMs } = this.#deps.config.batch;
    const maxHeld = this.#overflow
      ? Math.max(this.#deps.config.batch.maxHeld, this.#deps.config.batch.maxHeldBlocked)
      : this.#deps.config.batch.maxHeld;
    const jobs: Job<TransactionJobData>[] = [];
    if (!this.#leaseHeld()) return jobs;
    if (this.#drained && this.#held > 0 && this.#now() < this.#nextPollAt) return jobs;
    const deadline = this.#now() + windowMs;
    for (;;) {
      // foreign jobs back in the queue are at its head: room for them even beyond maxHeld
      const room = Math.max(
        Math.min(maxJobs - jobs.length, maxHeld - this.#held - jobs.length),
        this.#foreignQueued - jobs.length,
      );
      if (!this.#running || room <= 0) break;
      const round = this.#drained ? 1 : Math.min(room, FETCH_ROUND);
      const got = await Promise.all(
        Array.from(
          { length: round },
          () =>
            worker.getNextJob(this.#token, { block: false }) as Promise<
              Job<TransactionJobData> | undefined
            >,
        ),
      );
      for (const job of got) if (job) jobs.push(job);
      this.#drained = got.some((job) => job === undefined);
      if (!this.#drained) continue;
      this.#nextPollAt = this.#now() + this.#pollEveryMs();
      if (this.#now() >= deadline || jobs.length === 0) break;
      await sleep(Math.min(10, windowMs));
    }
    return jobs;
  }

  async #complete(job: Job, result: DeliveryOutcome): Promise<void> {
    if (this.#aborted) return;
    await this.#finish(job, () => job.moveToCompleted(result, this.#token, false));
    this.#deps.onOutcome?.({ ...result, ...enqueuedAtOf(job) });
  }

  /** Runs a move of `job` out of active, known as this consumer's own until it settled. */
  async #finish(job: Job, move: () => Promise<unknown>): Promise<void> {
    const id = job.id ?? '';
    this.#finishing.add(id);
    try {
      await move();
    } finally {
      this.#finishing.delete(id);
    }
  }

  async #deadLetter(
    item: { job: Job; transaction?: HeldItem['transaction'] },
    failure: { reason: string; message: string; lastRequest?: unknown; attempts?: number },
  ): Promise<void> {
    if (this.#aborted) return;
    // the job stays this consumer's own (for the fence) from here until it is failed
    await this.#finish(item.job, async () => {
      if (item.transaction) {
        await writeDeadLetter(this.#deps.deadLetters, {
          reason: failure.reason,
          message: failure.message,
          transaction: item.transaction,
          lastRequest: failure.lastRequest,
          attempts: failure.attempts ?? 1,
          now: new Date(this.#now()),
        });
      }
      await item.job.moveToFailed(
        new UnrecoverableError(`${failure.reason}: ${failure.message}`),
        this.#token,
        false,
      );
    });
    this.#log.warn(
      { jobId: item.job.id, reason: failure.reason, message: failure.message },
      'dead-lettered',
    );
    this.#deps.onOutcome?.({
      transactionId: item.transaction?.transactionId ?? item.job.id ?? '',
      outcome: 'dead-lettered',
      reason: failure.reason,
      ...enqueuedAtOf(item.job),
    });
  }

  async #admit(jobs: readonly Job<TransactionJobData>[]): Promise<void> {
    if (jobs.length === 0) return;
    const { config, partition } = this.#deps;
    const parsed: { job: Job; transaction: HeldItem['transaction']; property: string }[] = [];
    for (const job of jobs) {
      const data = TransactionJobDataSchema.safeParse(job.data);
      if (!data.success) {
        await this.#deadLetter(
          { job },
          { reason: 'JOB_INVALID', message: data.error.issues[0]?.message ?? 'invalid job data' },
        );
        continue;
      }
      const transaction = data.data.transaction;
      const route = routeStore(transaction.storeId, config);
      if (!route.ok) {
        await this.#deadLetter({ job, transaction }, { reason: route.code, message: route.reason });
        continue;
      }
      parsed.push({ job, transaction, property: route.property });
    }
    const now = this.#now();
    const sent = await this.#deps.ledger.lookup(
      partition,
      parsed.map((p) => p.transaction.transactionId),
    );
    const identities = await this.#deps.identities.lookup(
      parsed.flatMap((p) => lookupTokens(p.transaction)),
      now,
    );
    const admitted: HeldItem[] = [];
    for (const { job, transaction, property } of parsed) {
      const held = this.#byId.get(transaction.transactionId);
      if (held) {
        // our own job came back (its lock ran out while we held it, e.g. a stalled event loop):
        // one item, now with the new claim, or it would be sent twice
        held.job = job;
        this.#log.warn({ jobId: job.id }, 'a held job came back after its lock ran out; kept once');
        continue;
      }
      const built = buildRequest(transaction, { config, now, identities });
      const ledgerEntry = sent.get(transaction.transactionId);
      if (!built.ok) {
        if (built.code === 'VOID_NOT_SENT')
          await this.#complete(job, {
            transactionId: transaction.transactionId,
            outcome: 'skipped',
            reason: built.code,
          });
        else
          await this.#deadLetter(
            { job, transaction },
            { reason: built.code, message: built.reason, lastRequest: built.request },
          );
        continue;
      }
      const clientKey = this.#deps.barrier.clientKey(built.envelope.client_id);
      const ordered = built.source !== 'pseudo';
      if (ledgerEntry) {
        if (ordered) {
          await this.#deps.barrier.release([
            { clientKey, transactionId: transaction.transactionId },
          ]);
          this.#barrierChanged([clientKey]);
        }
        await this.#complete(job, {
          transactionId: transaction.transactionId,
          outcome: 'deduplicated',
          requestId: ledgerEntry.requestId,
        });
        continue;
      }
      const terminalKey = `${transaction.storeId}/${transaction.terminalId}`;
      const orderTs = orderScoreOf(transaction);
      admitted.push({
        job,
        transaction,
        terminalKey,
        seq: this.#seq++,
        property,
        clientKey,
        ordered,
        envelope: built.envelope,
        event: built.event,
        counts: built.counts,
        orderTs,
        state: 'pending',
        blockedUntil: 0,
        failures: 0,
        // every refund is checked against its purchase before it goes (`#checkRefunds`)
        waitingForPurchase: transaction.kind === 'refund',
      });
    }
    const registered = admitted.filter((item) => item.ordered);
    await this.#deps.barrier.register(
      registered.map((item) => ({
        clientKey: item.clientKey,
        score: item.orderTs,
        transactionId: item.transaction.transactionId,
      })),
    );
    this.#barrierChanged(registered.map((item) => item.clientKey));
    const touched = new Set<HeldItem[]>();
    for (const item of admitted) {
      const list = this.#terminals.get(item.terminalKey) ?? [];
      list.push(item);
      touched.add(list);
      this.#terminals.set(item.terminalKey, list);
      this.#byId.set(item.transaction.transactionId, item);
      if (item.waitingForPurchase) this.#parkedRefunds.add(item);
      this.#held++;
      this.#uncheckedSinceFence = true;
    }
    for (const list of touched) list.sort(compareReceiptOrder);
  }

  #remove(item: HeldItem): void {
    const list = this.#terminals.get(item.terminalKey);
    if (!list) return;
    const index = list.indexOf(item);
    if (index >= 0) {
      list.splice(index, 1);
      this.#held--;
      this.#byId.delete(item.transaction.transactionId);
      this.#parkedRefunds.delete(item);
    }
    if (list.length === 0) this.#terminals.delete(item.terminalKey);
  }

  /**
   * Refunds wait until their purchase was sent, then go on its transaction_id (the mapping) and
   * on its client: the purchase's ledger entry says which client_id and user_id it was sent for,
   * and the refund takes them over (re-registered in that client's barrier), so GA4 nets it
   * against the purchase on the same user. A purchase pending anywhere is waited for; one that was
   * dead-lettered dead-letters the refund too (REFUND_OF_UNSENT). A purchase nobody has seen (it
   * may predate pos-ga4), or a refund that does not name one, is waited for up to
   * `refunds.maxWaitMs` (a refund without `refundOf` not at all), then `refunds.unknownPurchase`
   * decides: `send` (counted as unmatched) or `dead-letter` (REFUND_OF_UNKNOWN).
   */
  async #checkRefunds(): Promise<void> {
    const now = this.#now();
    const { refunds } = this.#deps.config;
    for (const item of [...this.#parkedRefunds]) {
      if (!item.waitingForPurchase) {
        this.#parkedRefunds.delete(item);
        continue;
      }
      const purchase = item.transaction.refundOf;
      const { state, entry }: TransactionStatus =
        purchase === undefined
          ? { state: 'unknown' }
          : await this.#deps.transactionStatus(purchase);
      if (state === 'sent') {
        if (entry) await this.#relink(item, entry);
        item.refundLink = 'linked';
        item.waitingForPurchase = false;
        this.#parkedRefunds.delete(item);
      } else if (state === 'failed') {
        await this.#releaseBarrier([item]);
        this.#remove(item);
        await this.#deadLetter(item, {
          reason: 'REFUND_OF_UNSENT',
          message: `purchase ${purchase ?? ''} was dead-lettered; redrive it first`,
        });
      } else if (state === 'unknown') {
        item.waitingSince ??= now;
        if (purchase !== undefined && now - item.waitingSince < refunds.maxWaitMs) continue;
        if (refunds.unknownPurchase === 'dead-letter') {
          await this.#releaseBarrier([item]);
          this.#remove(item);
          await this.#deadLetter(item, {
            reason: 'REFUND_OF_UNKNOWN',
            message:
              purchase === undefined
                ? 'the refund names no purchase (refundOf) and refunds.unknownPurchase is dead-letter'
                : `purchase ${purchase} was not seen within refunds.maxWaitMs and refunds.unknownPurchase is dead-letter`,
          });
          continue;
        }
        this.#log.warn(
          { transactionId: item.transaction.transactionId, refundOf: purchase },
          'refund sent without a purchase pos-ga4 has sent (refunds.unknownPurchase: send)',
        );
        item.refundLink = 'unmatched';
        item.waitingForPurchase = false;
        this.#parkedRefunds.delete(item);
      } else item.waitingSince = undefined;
    }
  }

  /** A refund takes over the client its purchase was sent for (see `#checkRefunds`). */
  async #relink(item: HeldItem, entry: LedgerEntry): Promise<void> {
    if (entry.clientId === undefined) return;
    const sameClient = entry.clientId === item.envelope.client_id;
    if (sameClient && entry.userId === item.envelope.user_id) return;
    if (!sameClient) {
      // consent and user_data belong to the refund's own identity: kept only on the same client;
      // the config's consent defaults and user properties apply as to any request
      await this.#releaseBarrier([item]);
      const { client_id: _clientId, ...defaults } = requestEnvelope(entry.clientId, undefined, {
        transaction: item.transaction,
        defaults: requestDefaultsOf(this.#deps.config, item.transaction.storeId),
      });
      item.envelope = {
        client_id: entry.clientId,
        ...(entry.userId === undefined ? {} : { user_id: entry.userId }),
        ...defaults,
      };
      item.clientKey = this.#deps.barrier.clientKey(entry.clientId);
      item.ordered = entry.ordered ?? true;
      if (item.ordered) {
        await this.#deps.barrier.register([
          {
            clientKey: item.clientKey,
            score: item.orderTs,
            transactionId: item.transaction.transactionId,
          },
        ]);
        this.#barrierChanged([item.clientKey]);
      }
    } else if (entry.userId !== undefined)
      item.envelope = { ...item.envelope, user_id: entry.userId };
  }

  /** One scheduling round; true when something was sent or settled. */
  async #tick(): Promise<boolean> {
    // no free request slot: nothing could start, so the barrier reads would be wasted (a
    // settling delivery wakes the loop)
    if (this.#held === 0 || !this.#leaseHeld() || this.#deps.slots.free === 0) return false;
    if ((this.#uncheckedSinceFence || this.#foreign.size > 0) && !(await this.#fenceClear()))
      return false;
    await this.#checkRefunds();
    // each terminal's first item that may go (selectReady steps over parked refunds the same way);
    // only the barriers of clients whose item could start now are read
    const now = this.#now();
    const clients = new Set<string>();
    for (const list of this.#terminals.values()) {
      const first = list.find((item) => !(item.waitingForPurchase && item.state === 'pending'));
      if (first?.ordered && first.state === 'pending' && first.blockedUntil <= now)
        clients.add(first.clientKey);
    }
    const heads = await this.#readHeads(clients, now);
    await this.#collectStaleHeads(heads);
    let groups = selectReady({ terminals: this.#terminals, heads, now: this.#now() });
    if (groups.length === 0 && this.#inflight.size === 0) {
      const giveUp = this.#whenBlockedByOthers(heads, now);
      if (giveUp) {
        // the last resort: this client's event goes ahead of its earlier one held elsewhere
        const forced = new Map(heads);
        forced.set(giveUp.clientKey, [giveUp.transaction.transactionId]);
        groups = selectReady({ terminals: this.#terminals, heads: forced, now: this.#now() });
      }
    } else if (groups.length > 0) {
      this.#overflow = false;
      this.#blockedSince = undefined;
    }
    if (groups.length === 0) return false;
    // Deliveries run in the background, at most `concurrency` at a time; the loop goes on fetching
    // and scheduling, and in-flight items are skipped until they settle.
    let started = false;
    const { slots } = this.#deps;
    for (const group of groups) {
      if (!slots.tryAcquire()) break;
      for (const item of group) item.state = 'inflight';
      const task: Promise<void> = this.#deliverGroup(group)
        .catch((error: unknown) => {
          this.#log.error({ err: error }, 'delivery failed');
          for (const item of group) if (item.state === 'inflight') item.state = 'pending';
        })
        .finally(() => {
          slots.release();
          this.#inflight.delete(task);
          this.#wake();
        });
      this.#inflight.add(task);
      started = true;
    }
    return started;
  }

  /**
   * The fence against jobs claimed behind this consumer's back. A claim can reach Redis late: a
   * previous owner's fetch queued while Redis was away (ioredis replays it on reconnect), or stuck
   * in a cut TCP connection, runs after this consumer took the partition over and takes jobs from
   * the head of the queue. Nobody sends them (that owner has lost its lease), but they come back to
   * the head only when their locks run out, after this consumer may have fetched and sent a
   * terminal's later receipts. So before each round of sends: read the active list; any job in it
   * that is not this consumer's is foreign, and nothing is sent until every foreign job is either
   * held here (fetched and sorted in with the rest) or settled elsewhere (completed or failed).
   * Everything held was fetched before this read, and a claim after it can only take jobs newer
   * than those, so what is sent keeps receipt order. The read is needed only after new jobs were
   * admitted (jobs admitted before a clear read stay clear: anything claimed later is newer), so
   * it costs one LRANGE per round that follows a fetch. It relies on a late claim's jobs staying
   * active for at least a lock period (`leaseMs`, then BullMQ's stalled check), far longer than
   * the step from a fetch to the sends that follow it.
   * A job that stays foreign for `FOREIGN_GIVE_UP_LEASES` lease periods (a claimer that keeps
   * renewing its lock: something consuming the queue outside pos-ga4's leases) is given up with
   * an error, so the partition does not stall for good.
   */
  async #fenceClear(): Promise<boolean> {
    const queue = this.#queue;
    if (!queue) return false;
    this.#uncheckedSinceFence = false;
    const active = await this.#deps.connection.lrange(queue.keys['active'] ?? '', 0, -1);
    const now = this.#now();
    let added = 0;
    if (this.#givenUp.size > 0)
      this.#givenUp = new Set(active.filter((id) => this.#givenUp.has(id)));
    for (const id of active)
      if (
        !this.#byId.has(id) &&
        !this.#finishing.has(id) &&
        !this.#foreign.has(id) &&
        !this.#givenUp.has(id)
      ) {
        this.#foreign.set(id, now);
        added++;
      }
    this.#foreignQueued = 0;
    if (this.#foreign.size === 0) return true;
    const stillActive = new Set(active);
    for (const [id, since] of [...this.#foreign]) {
      if (this.#byId.has(id)) this.#foreign.delete(id);
      else if (now - since > FOREIGN_GIVE_UP_LEASES * this.#deps.config.leaseMs) {
        this.#foreign.delete(id);
        this.#givenUp.add(id);
        this.#log.error(
          { jobId: id, waitedMs: now - since },
          'a job claimed elsewhere did not come back; sending on without it (its receipt order may break)',
        );
      } else if (!stillActive.has(id)) {
        // back in the queue (the next fetch takes it from the head), or settled by its claimer
        const state = await queue.getJobState(id);
        if (state === 'completed' || state === 'failed' || state === 'unknown')
          this.#foreign.delete(id);
        else this.#foreignQueued++;
      }
    }
    if (added > 0)
      this.#log.warn(
        { foreign: this.#foreign.size, sample: [...this.#foreign.keys()].slice(0, 3) },
        'jobs claimed elsewhere: holding sends until they are back',
      );
    return this.#foreign.size === 0;
  }

  /**
   * Nothing held can go and nothing is in flight: every terminal's first job waits for a client
   * event that is not held here (client order, docs/delivery.md). When the partition also holds
   * `batch.maxHeld` jobs, that event may be deeper in this queue, or in another partition that is
   * stuck the same way (a backlog after an outage comes in terminal by terminal, not in time
   * order): without more room nobody could fetch it and every partition would wait for ever. So
   * the consumer fetches on, up to `batch.maxHeldBlocked`; the event that is earliest in time is
   * always sendable once it is held somewhere. Only at that cap, after a lease period more, it
   * gives up client order for the earliest of its blocked events (an error in the log); the
   * returned item is that event. Backing-off and parked jobs do not count as blocked.
   */
  #whenBlockedByOthers(
    heads: ReadonlyMap<string, readonly string[]>,
    now: number,
  ): HeldItem | undefined {
    const { maxHeld, maxHeldBlocked } = this.#deps.config.batch;
    const blocked: HeldItem[] = [];
    for (const list of this.#terminals.values()) {
      const first = list.find((item) => !(item.waitingForPurchase && item.state === 'pending'));
      if (!first?.ordered || first.state !== 'pending' || first.blockedUntil > now) continue;
      const head = heads.get(first.clientKey)?.[0];
      if (head !== undefined && head !== first.transaction.transactionId && !this.#byId.has(head))
        blocked.push(first);
    }
    if (blocked.length === 0 || this.#held < maxHeld) return undefined;
    if (!this.#overflow && now - this.#overflowWarnedAt >= OVERFLOW_WARN_EVERY_MS) {
      this.#overflowWarnedAt = now;
      this.#log.warn(
        { held: this.#held, blockedTerminals: blocked.length, maxHeldBlocked },
        'every held job waits for a client event held nowhere here: fetching beyond batch.maxHeld',
      );
    }
    this.#overflow = true;
    this.#blockedSince ??= now;
    if (this.#held < Math.max(maxHeld, maxHeldBlocked)) return undefined;
    if (now - this.#blockedSince < this.#deps.config.leaseMs) return undefined;
    this.#blockedSince = undefined;
    const earliest = blocked.reduce((a, b) => (b.orderTs < a.orderTs ? b : a));
    this.#log.error(
      {
        transactionId: earliest.transaction.transactionId,
        clientKey: earliest.clientKey,
        waitingFor: heads.get(earliest.clientKey)?.[0],
        held: this.#held,
      },
      'client order given up: batch.maxHeldBlocked reached and the earlier event of this client is still not held here',
    );
    return earliest;
  }

  /** The barrier heads of `clients`; blocked ones read within the last poll interval are reused. */
  async #readHeads(clients: ReadonlySet<string>, now: number): Promise<Map<string, string[]>> {
    const heads = new Map<string, string[]>();
    const toRead: string[] = [];
    for (const clientKey of clients) {
      const cached = this.#blockedHeads.get(clientKey);
      if (cached && now - cached.readAt < this.#pollEveryMs()) heads.set(clientKey, cached.heads);
      else toRead.push(clientKey);
    }
    const read = await this.#deps.barrier.heads(toRead, this.#deps.config.batch.maxJobs);
    for (const [clientKey, list] of read) {
      heads.set(clientKey, list);
      const head = list[0];
      if (head !== undefined && !this.#byId.has(head))
        this.#blockedHeads.set(clientKey, { heads: list, readAt: now });
      else this.#blockedHeads.delete(clientKey);
    }
    if (this.#blockedHeads.size > 10_000) this.#blockedHeads.clear();
    return heads;
  }

  /** This consumer changed these clients' barriers: their cached heads are stale. */
  #barrierChanged(clientKeys: Iterable<string>): void {
    for (const clientKey of clientKeys) this.#blockedHeads.delete(clientKey);
  }

  /**
   * A barrier head that no live consumer holds blocks its client. Heads held elsewhere are
   * checked now and then: sent or dead-lettered ones (a replay re-registered them) are removed;
   * ones whose job does not exist (a producer that crashed between registering and adding) are
   * removed after two lease periods; pending ones are left to their partition.
   */
  async #collectStaleHeads(heads: ReadonlyMap<string, readonly string[]>): Promise<void> {
    const now = this.#now();
    for (const [clientKey, list] of heads) {
      const head = list[0];
      if (head === undefined || this.#byId.has(head)) continue;
      const seen = this.#foreignHeads.get(head) ?? { checkedAt: 0 };
      if (now - seen.checkedAt < 1000) continue;
      seen.checkedAt = now;
      const { state } = await this.#deps.transactionStatus(head);
      if (state === 'pending') seen.missingSince = undefined;
      else if (state === 'unknown') seen.missingSince ??= now;
      const expired =
        state === 'unknown' &&
        seen.missingSince !== undefined &&
        now - seen.missingSince > 2 * this.#deps.config.leaseMs;
      if (state === 'sent' || state === 'failed' || expired) {
        await this.#deps.barrier.release([{ clientKey, transactionId: head }]);
        this.#barrierChanged([clientKey]);
        this.#foreignHeads.delete(head);
        this.#log.info({ clientKey, transactionId: head, state }, 'removed a stale barrier entry');
      } else this.#foreignHeads.set(head, seen);
    }
    if (this.#foreignHeads.size > 10_000) this.#foreignHeads.clear();
  }

  async #deliverGroup(group: readonly HeldItem[]): Promise<void> {
    const first = group[0];
    if (!first) return;
    const client = this.#deps.clients.get(first.property);
    if (!client) {
      await this.#settleFailed(group, {
        reason: 'UNKNOWN_STORE',
        message: `no client for property ${first.property}`,
      });
      return;
    }
    const { requests, oversized } = batchEvents(
      group.map((item) => ({ envelope: item.envelope, event: item.event, ref: item })),
    );
    for (const { ref } of oversized) {
      await this.#settleFailed([ref], {
        reason: 'VALIDATION_FAILED',
        message: 'the event alone exceeds 130,000 bytes',
      });
    }
    for (let r = 0; r < requests.length; r++) {
      const request = requests[r];
      if (!request || this.#aborted) return;
      if (!this.#leaseHeld()) {
        // not sure the partition is still ours: the rest waits (or goes to the next owner)
        for (const later of requests.slice(r))
          for (const item of later.refs) item.state = 'pending';
        return;
      }
      const startedAt = performance.now();
      const outcome = await client.send(request.body);
      this.#deps.onRequest?.({
        events: request.refs.length,
        bytes: request.bytes,
        durationMs: performance.now() - startedAt,
        outcome: outcome.kind,
        ...(outcome.kind === 'sent' ? {} : { reason: outcome.reason }),
      });
      const items = request.refs;
      if (outcome.kind === 'sent') {
        await this.#settleSent(items);
        continue;
      }
      if (outcome.kind === 'rejected') {
        await this.#settleFailed(items, {
          reason: outcome.reason,
          message: outcome.message,
          lastRequest: request.body,
        });
        continue;
      }
      // retryable: this request and the client's later ones wait; nothing else does
      const now = this.#now();
      const error = new RetryableSendError(outcome.reason, outcome.message, outcome.retryAfterMs);
      for (const later of requests.slice(r)) {
        for (const item of later.refs) {
          item.failures++;
          item.firstFailureAt ??= now;
          item.lastFailure = `${outcome.reason}: ${outcome.message}`;
          item.blockedUntil =
            now +
            backoffDelay(item.failures, error, {
              baseMs: this.#deps.config.retry.baseMs,
              maxMs: this.#deps.config.retry.maxMs,
            });
          item.state = 'pending';
        }
      }
      const expired = requests
        .slice(r)
        .flatMap((later) => later.refs)
        .filter(
          (item) => now - (item.firstFailureAt ?? now) >= this.#deps.config.retry.giveUpAfterMs,
        );
      if (expired.length > 0)
        await this.#settleFailed(expired, {
          reason: 'RETRIES_EXHAUSTED',
          message: expired[0]?.lastFailure ?? outcome.message,
          lastRequest: request.body,
          counted: true,
        });
      this.#log.info(
        { reason: outcome.reason, events: items.length, clientKey: first.clientKey },
        'retrying later',
      );
      return;
    }
  }

  async #settleSent(items: readonly HeldItem[]): Promise<void> {
    // GA4 has these events: record that even when the lease was lost meanwhile (abort), or the
    // next owner would send them again. Only the job moves are left to that owner.
    const requestId = `${this.#token}:${this.#now()}:${items[0]?.transaction.transactionId ?? ''}`;
    const sentAt = new Date(this.#now()).toISOString();
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
    await this.#releaseBarrier(items);
    if (this.#aborted) return;
    for (const item of items) this.#remove(item);
    // completions are independent of each other: sent together, one round trip
    await Promise.all(
      items.map((item) =>
        this.#complete(item.job, {
          transactionId: item.transaction.transactionId,
          outcome: 'sent',
          requestId,
          counts: item.counts,
          ...(item.refundLink === undefined ? {} : { refundLink: item.refundLink }),
        }),
      ),
    );
  }

  /** Takes items out of their clients' barriers (only those that were in one). */
  async #releaseBarrier(items: readonly HeldItem[]): Promise<void> {
    const ordered = items.filter((item) => item.ordered);
    await this.#deps.barrier.release(
      ordered.map((item) => ({
        clientKey: item.clientKey,
        transactionId: item.transaction.transactionId,
      })),
    );
    this.#barrierChanged(ordered.map((item) => item.clientKey));
  }

  /**
   * Dead-letters `items`. Their attempts are the failed requests so far plus this one, unless
   * `failure.counted` says this failure is already in `item.failures` (a retryable failure that
   * used up `retry.giveUpAfterMs`).
   */
  async #settleFailed(
    items: readonly HeldItem[],
    failure: { reason: string; message: string; lastRequest?: unknown; counted?: boolean },
  ): Promise<void> {
    await this.#releaseBarrier(items);
    const { counted, ...letter } = failure;
    for (const item of items) {
      this.#remove(item);
      await this.#deadLetter(item, {
        ...letter,
        attempts: counted === true ? item.failures : item.failures + 1,
      });
    }
  }

  async #extendLocks(worker: Worker<TransactionJobData>): Promise<void> {
    if (!this.#leaseHeld()) return; // an unsure owner lets the locks run out
    const now = this.#now();
    if (this.#held === 0 || now - this.#lastLockExtension < this.#deps.config.leaseMs / 3) return;
    this.#lastLockExtension = now;
    const ids = [...this.#terminals.values()].flat().map((item) => item.job.id ?? '');
    await worker.extendJobLocks(
      ids,
      ids.map(() => this.#token),
      this.#deps.config.leaseMs,
    );
  }

  /** Graceful: no new work, in-flight requests finish (up to the deadline), held jobs go back in order. */
  async stop(deadlineMs: number): Promise<void> {
    this.#running = false;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, deadlineMs);
    });
    await Promise.race([Promise.all([this.#done, ...this.#inflight]), deadline]);
    clearTimeout(timer); // a pending deadline timer would keep the process alive after close
    if (!this.#aborted) {
      // back to the head of the wait list, last first, so the first ends up first
      const held = [...this.#terminals.values()]
        .flat()
        .filter((item) => item.state === 'pending')
        .sort((a, b) => compareReceiptOrder(b, a));
      for (const item of held)
        await this.#finish(item.job, () => item.job.moveToWait(this.#token)).catch(() => undefined);
      this.#terminals.clear();
      this.#byId.clear();
      this.#parkedRefunds.clear();
      this.#held = 0;
    }
    await this.#worker?.close(true);
    await this.#queue?.close();
  }

  /** The lease was lost: stop at once and leave everything to the next owner. */
  async abort(): Promise<void> {
    this.#aborted = true;
    this.#running = false;
    await this.#worker?.close(true).catch(() => undefined);
    await this.#queue?.close().catch(() => undefined);
  }
}
