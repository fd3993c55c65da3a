/**
 * The job fetcher: the only user of BullMQ's Worker for a partition. It claims jobs in queue
 * order, keeps their locks, reads the active list (for the fence), moves jobs out of active
 * (completed, failed, back to wait) and remembers which jobs it holds or is moving, so the fence
 * can tell its own jobs from foreign ones.
 *
 * Fetching: while the queue has jobs, claims go in parallel rounds on one connection (Redis runs
 * them in the order sent, so the jobs still come in order); once it is empty, one probe per poll
 * interval, collected for at most `windowMs`.
 * Lifecycle: `open()` before use, `close()` once (the connection belongs to the caller).
 */
import { encodeFailedReason, encodeJobResult, transactionQueueName } from '@pos-ga4/queue-contract';
import type { JobResult, TransactionJobData } from '@pos-ga4/queue-contract';
import type { Logger } from '@pos-ga4/logger';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';

import type { Failure } from '../core/outcomes.js';

/** Jobs claimed per parallel round (one pipelined write of moveToActive calls). */
const FETCH_ROUND = 32;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface JobFetcherOptions {
  readonly partition: number;
  readonly prefix: string;
  readonly leaseMs: number;
  /** The lock token: `<workerId>:<partition>`. */
  readonly token: string;
  readonly connection: Redis;
  readonly logger: Logger;
  readonly now: () => number;
}

export interface FetchPlan {
  /** How many more jobs may be taken, given how many this fetch has taken so far. */
  readonly room: (fetched: number) => number;
  readonly windowMs: number;
  readonly pollEveryMs: number;
  /** Jobs are held: an empty queue is probed only once per poll interval. */
  readonly holding: boolean;
  readonly running: () => boolean;
}

export class JobFetcher {
  readonly #options: JobFetcherOptions;
  readonly #jobs = new Map<string, Job<TransactionJobData>>();
  /** Jobs whose move out of active is under way (still this fetcher's own for the fence). */
  readonly #moving = new Set<string>();
  #worker: Worker<TransactionJobData> | undefined;
  #queue: Queue | undefined;
  #drained = false;
  #nextPollAt = 0;

  constructor(options: JobFetcherOptions) {
    this.#options = options;
  }

  /** Starts the stalled-job checker; returns the jobs active now (a previous owner's). */
  async open(): Promise<string[]> {
    const { partition, prefix, leaseMs, connection, logger } = this.#options;
    const worker = new Worker<TransactionJobData>(transactionQueueName(partition), null, {
      connection,
      prefix,
      lockDuration: leaseMs,
      stalledInterval: Math.max(500, Math.floor(leaseMs / 2)),
      maxStalledCount: 1_000_000,
      autorun: false,
    });
    worker.on('error', (error) => {
      logger.warn({ err: error }, 'queue error');
    });
    this.#worker = worker;
    await worker.startStalledCheckTimer();
    this.#queue = new Queue(transactionQueueName(partition), { connection, prefix });
    return this.activeIds();
  }

  async activeCount(): Promise<number> {
    return this.#queue ? this.#queue.getActiveCount() : 0;
  }

  async activeIds(): Promise<string[]> {
    const queue = this.#queue;
    return queue ? this.#options.connection.lrange(queue.keys['active'] ?? '', 0, -1) : [];
  }

  /** Held by this fetcher or being moved out of active by it. */
  isOwn(jobId: string): boolean {
    return this.#jobs.has(jobId) || this.#moving.has(jobId);
  }

  job(jobId: string): Job<TransactionJobData> | undefined {
    return this.#jobs.get(jobId);
  }

  /** Where foreign jobs that left the active list are: settled (or gone), or queued again. */
  async whereAre(jobIds: readonly string[]): Promise<Map<string, 'settled' | 'queued'>> {
    const queue = this.#queue;
    const states = new Map<string, 'settled' | 'queued'>();
    for (const id of jobIds) {
      const state = queue ? await queue.getJobState(id) : 'unknown';
      states.set(
        id,
        state === 'completed' || state === 'failed' || state === 'unknown' ? 'settled' : 'queued',
      );
    }
    return states;
  }

  async fetch(plan: FetchPlan): Promise<Job<TransactionJobData>[]> {
    const worker = this.#worker;
    const { now } = this.#options;
    const jobs: Job<TransactionJobData>[] = [];
    if (!worker) return jobs;
    if (this.#drained && plan.holding && now() < this.#nextPollAt) return jobs;
    const deadline = now() + plan.windowMs;
    for (;;) {
      const room = plan.room(jobs.length);
      if (!plan.running() || room <= 0) break;
      const round = this.#drained ? 1 : Math.min(room, FETCH_ROUND);
      const got = await Promise.all(
        Array.from(
          { length: round },
          () =>
            worker.getNextJob(this.#options.token, { block: false }) as Promise<
              Job<TransactionJobData> | undefined
            >,
        ),
      );
      for (const job of got) if (job) jobs.push(job);
      this.#drained = got.some((job) => job === undefined);
      if (!this.#drained) continue;
      this.#nextPollAt = now() + plan.pollEveryMs;
      if (now() >= deadline || jobs.length === 0) break;
      await sleep(Math.min(10, plan.windowMs));
    }
    // the latest claim of a job wins (one that came back while held is held once)
    for (const job of jobs) this.#jobs.set(job.id ?? '', job);
    return jobs;
  }

  async extendLocks(jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    await this.#worker?.extendJobLocks(
      [...jobIds],
      jobIds.map(() => this.#options.token),
      this.#options.leaseMs,
    );
  }

  complete(jobId: string, result: JobResult): Promise<void> {
    return this.#move(jobId, (job) =>
      job.moveToCompleted(encodeJobResult(result), this.#options.token, false),
    );
  }

  /**
   * Fails a job for good (never retried by BullMQ): its failedReason is `<code>: <message>`.
   * `before` runs first, while the job still counts as this fetcher's own (the dead letter).
   */
  fail(jobId: string, failure: Failure, before?: () => Promise<void>): Promise<void> {
    return this.#move(jobId, async (job) => {
      await before?.();
      await job.moveToFailed(
        new UnrecoverableError(encodeFailedReason(failure.reason, failure.message)),
        this.#options.token,
        false,
      );
    });
  }

  /** Back to the head of the wait list; call last first, so the first ends up first. */
  handBack(jobId: string): Promise<void> {
    return this.#move(jobId, (job) => job.moveToWait(this.#options.token));
  }

  async #move(jobId: string, move: (job: Job) => Promise<unknown>): Promise<void> {
    const job = this.#jobs.get(jobId);
    if (!job) return;
    this.#moving.add(jobId);
    try {
      await move(job);
    } finally {
      // moved, or the move failed (its lock was lost): no longer this fetcher's either way
      this.#jobs.delete(jobId);
      this.#moving.delete(jobId);
    }
  }

  async close(): Promise<void> {
    await this.#worker?.close(true).catch(() => undefined);
    await this.#queue?.close().catch(() => undefined);
  }
}
