/**
 * One partition's consumer: the loop around the pure delivery core (core/partition-core.ts),
 * through three shells — the job fetcher (BullMQ), the settler (ledger, barriers, job moves,
 * dead letters) and the request sender (slots, MP client). It holds the partition's lease, so
 * it is the only one fetching its jobs. Each round follows the data flow:
 *
 *   fetch → admit → fence → refunds → heads → select → deliver → settle
 *
 * Jobs are held, not retried by BullMQ: a retryable failure blocks only its client (and,
 * through receipt order, its terminal) with backoff, while everything else goes ahead.
 * Outcomes: completed (`sent`, `skipped`, or `deduplicated` when the sent-ledger already has
 * it) or failed into the dead-letter queue.
 *
 * Lifecycle: `start()` until `stop()` (graceful: finish in-flight requests within the deadline,
 * then hand held jobs back to the head of the queue in order) or `abort()` (lease lost: stop at
 * once and touch nothing but the ledger; the locks expire and the next owner recovers the jobs).
 * The connection, ledger, barrier, clients and queues passed in belong to the worker.
 */
import type { MpClient } from '@pos-ga4/ga4-mp';
import type { Logger } from '@pos-ga4/logger';
import type { ClientBarrier, DeadLetterJobData } from '@pos-ga4/queue-contract';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

import type { WorkerConfig } from '../config.js';
import type { SentLedger } from '../ledger/sent-ledger.js';
import type { CachedIdentityLookup } from '../lookup/identity-store.js';
import type { RequestSlots } from '../send/request-slots.js';

import type { DeliveryOutcome, RequestInfo, TransactionStatus } from './core/outcomes.js';
import { PartitionCore } from './core/partition-core.js';
import { JobFetcher } from './shell/job-fetcher.js';
import { RequestSender } from './shell/request-sender.js';
import { Settler } from './shell/settler.js';
import { deliverGroup } from './steps/deliver-group.js';
import { fetchAndAdmit } from './steps/fetch-and-admit.js';
import {
  checkRefunds,
  fenceClear,
  readHeads,
  removeStaleHeads,
  reportStarvation,
} from './steps/round-reads.js';
import type { StepContext } from './steps/step-context.js';

export type {
  DeliveryOutcome,
  RequestInfo,
  TransactionState,
  TransactionStatus,
} from './core/outcomes.js';

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

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class PartitionConsumer {
  readonly #deps: PartitionConsumerDeps;
  readonly #ctx: StepContext;
  readonly #inflight = new Set<Promise<void>>();
  readonly #overflowWarned = { at: -Infinity };
  #running = false;
  #aborted = false;
  #done: Promise<void> = Promise.resolve();
  #lastLockExtension = 0;
  #wakeUp: (() => void) | undefined;

  constructor(deps: PartitionConsumerDeps) {
    this.#deps = deps;
    const now = deps.now ?? Date.now;
    const log = deps.logger.child({ partition: deps.partition });
    const core = new PartitionCore(deps.config);
    const token = `${deps.workerId}:${deps.partition}`;
    const fetcher = new JobFetcher({
      partition: deps.partition,
      prefix: deps.config.redis.prefix,
      leaseMs: deps.config.leaseMs,
      token,
      connection: deps.connection,
      logger: log,
      now,
    });
    const settler = new Settler({
      partition: deps.partition,
      token,
      fetcher,
      ledger: deps.ledger,
      barrier: deps.barrier,
      deadLetters: deps.deadLetters,
      logger: log,
      now,
      onBarrierChange: (clientKeys) => {
        core.heads.invalidate(clientKeys);
      },
      onOutcome: deps.onOutcome,
    });
    const sender = new RequestSender({
      clients: deps.clients,
      slots: deps.slots,
      onRequest: deps.onRequest,
    });
    this.#ctx = {
      deps,
      core,
      fetcher,
      settler,
      sender,
      log,
      now,
      leaseHeld: () => core.lease.held(now()),
      running: () => this.#running,
      aborted: () => this.#aborted,
    };
  }

  /** The lease was taken or renewed by a call that started at `at` (core/lease-clock.ts). */
  leaseRenewed(at: number): void {
    this.#ctx.core.lease.renewed(at);
  }

  get held(): number {
    return this.#ctx.core.held.size;
  }

  start(): void {
    this.#running = true;
    this.#done = this.#run().catch((error: unknown) => {
      this.#ctx.log.error({ err: error }, 'partition consumer failed');
    });
  }

  #isRunning(): boolean {
    return this.#running;
  }

  async #run(): Promise<void> {
    const { config } = this.#deps;
    // Taking over: the previous owner's jobs are foreign to the fence, so nothing is sent until
    // every one of them is back and held here (or settled): BullMQ puts them back at the head of
    // the queue in no particular order (they come from a set), and there may be more of them
    // than `batch.maxHeld` (an owner that fetched beyond it).
    this.#ctx.core.fence.takeOver(await this.#ctx.fetcher.open(), this.#ctx.now());
    while (this.#running && (await this.#ctx.fetcher.activeCount()) > 0)
      await sleep(Math.min(500, config.leaseMs / 4));
    // then hold and sort them before sending anything, or a terminal's later receipt could go first
    for (;;) {
      const fetched = await fetchAndAdmit(this.#ctx);
      if (fetched === 0 || this.held >= config.batch.maxHeld || !this.#isRunning()) break;
    }
    while (this.#running) {
      // admitted even when stopping: `stop()` hands every held job back in order
      const fetched = await fetchAndAdmit(this.#ctx);
      if (!this.#isRunning()) break;
      const started = await this.#round();
      await this.#extendLocks();
      // idle: wait for the next poll, or less when a delivery settles (its terminal may go on)
      if (fetched === 0 && !started) await this.#nap(this.#ctx.core.pollEveryMs);
    }
  }

  /** Fence → refunds → heads → select → deliver. True when a delivery started. */
  async #round(): Promise<boolean> {
    const ctx = this.#ctx;
    const { core, sender } = ctx;
    // no free request slot: nothing could start, so the barrier reads would be wasted (a
    // settling delivery wakes the loop)
    if (core.held.size === 0 || !ctx.leaseHeld() || !sender.canStart) return false;
    if (core.fence.needsCheck && !(await fenceClear(ctx))) return false;
    await checkRefunds(ctx);
    const now = ctx.now();
    const heads = await readHeads(ctx, core.clientsToRead(now), now);
    await removeStaleHeads(ctx, heads, now);
    const { groups, starvation } = core.select(heads, { now, inflight: this.#inflight.size });
    if (starvation)
      reportStarvation({ ...ctx, overflowWarned: this.#overflowWarned }, starvation, now);
    // Deliveries run in the background, at most `concurrency` at a time; the loop goes on
    // fetching and scheduling, and in-flight items are skipped until they settle.
    let started = false;
    for (const group of groups) {
      if (!sender.tryStart()) break;
      core.start(group);
      const task: Promise<void> = deliverGroup(ctx, group)
        .catch((error: unknown) => {
          ctx.log.error({ err: error }, 'delivery failed');
          core.unsent(group);
        })
        .finally(() => {
          sender.done();
          this.#inflight.delete(task);
          this.#wakeUp?.();
        });
      this.#inflight.add(task);
      started = true;
    }
    return started;
  }

  async #extendLocks(): Promise<void> {
    if (!this.#ctx.leaseHeld()) return; // an unsure owner lets the locks run out
    const now = this.#ctx.now();
    if (this.held === 0 || now - this.#lastLockExtension < this.#deps.config.leaseMs / 3) return;
    this.#lastLockExtension = now;
    await this.#ctx.fetcher.extendLocks(this.#ctx.core.lockIds());
  }

  /** Sleeps `ms`, or until a delivery settles. */
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
      for (const item of this.#ctx.core.held.handBackOrder())
        await this.#ctx.fetcher.handBack(item.jobId).catch(() => undefined);
      this.#ctx.core.held.clear();
    }
    await this.#ctx.fetcher.close();
  }

  /** The lease was lost: stop at once and leave everything to the next owner. */
  async abort(): Promise<void> {
    this.#aborted = true;
    this.#running = false;
    this.#ctx.settler.abort();
    await this.#ctx.fetcher.close();
  }
}
