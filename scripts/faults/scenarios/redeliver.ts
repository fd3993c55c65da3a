/**
 * Scenario 8, `redeliver`: transactions that were already delivered come back as jobs, and none
 * may be sent again — the sent-ledger's job (docs/delivery.md). The other scenarios read the
 * ledger only for jobs that come back after a kill or an outage, where a resend is excused by the
 * crash window; here nothing dies (`kills` = 0), so every copy beyond the first fails the run.
 *
 * Two workers, terminals on the shared Redis as in the streaming scenarios. Full: 3,000 receipts
 * at 150/s into 8 terminals; `--short`: 400 at 100/s into 4. The feed stops after 60 % of the
 * receipts; once every one of those is at the collector and its job completed (so its ledger
 * entry is written), they are re-added in three ways, a third each (by feed position):
 * - **redrive**: the completed job is removed (as BullMQ's retention does after 7 days, while the
 *   ledger keeps 8), a dead letter is written for the transaction (`RETRIES_EXHAUSTED`, as when
 *   another job of it gave up), and `pos-ga4 redrive` re-adds it under its own job id;
 * - **replay**: the completed job is removed, then every terminal's raw capture is replayed with
 *   `pos-ga4 replay` (the terminal's enqueue path): the removed ones come back under their own
 *   job ids; for all others (completed jobs kept) BullMQ ignores the add;
 * - **new job id**: the transaction of the completed job is added again directly with bullmq's
 *   `Queue.add` to its partition queue, valid job data (`TransactionJobDataSchema`), the
 *   contract's `TRANSACTION_JOB_OPTIONS`, under a new job id `again-<transaction id>`.
 * The harness waits until every re-added job is finished, then feeds the other 40 % (the same
 * customers: a barrier entry the re-adds left behind would hold their later purchases).
 * Judged on top of the usual counts: `readdedUnsettled` (re-added jobs not finished within the
 * stall time) and `readdedNotDeduplicated` (re-added jobs finished other than as `deduplicated`),
 * both must be 0. The first hand-over's `enqueuedAt` counts for the client-order rule
 * (`jobsBefore`). Errors: the scenario fails (does not finish) when a re-add path did not re-add
 * what it was given (replay rejects, redrive count), so a pass always means the paths ran.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import {
  DeadLetterJobDataSchema,
  jobIdFor,
  QUEUE_NAMES,
  TRANSACTION_JOB_OPTIONS,
  transactionQueueName,
  decodeJobResult,
  decodeTransactionJob,
  encodeTransactionJob,
} from '@pos-ga4/queue-contract';
import type { DeadLetterJobData } from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';
import { runProcess } from '@pos-ga4/testkit';
import type { Transaction } from '@pos-ga4/transaction';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

import { BIN, ROOT } from '../processes.js';
import { readJobStates } from '../redis-state.js';
import type { JobState } from '../redis-state.js';
import type { Scenario, ScenarioContext } from '../scenario.js';
import { runStream, waitForProgress } from '../stream-run.js';
import type { StreamSystem } from '../stream-run.js';
import { waitUntilCaptured } from '../terminals.js';
import { partitionOfTransaction } from '../worker-watch.js';

/** The feed pauses after this share of the receipts for the re-adds. */
const FIRST_SHARE = 0.6;

type Path = 'redrive' | 'replay' | 'newJobId';

interface Readded {
  readonly path: Path;
  readonly transactionId: string;
  readonly jobId: string;
  readonly partition: number;
}

interface Outcomes {
  readonly byPath: Record<Path, number>;
  readonly outcomes: Record<string, number>;
  readonly unsettled: number;
  readonly notDeduplicated: number;
  readonly replay: Record<string, number>;
}

const CAPTURE_FILE = /^capture-\d{8}-\d{6}-(\d+)\.bin$/;

function captureFiles(dataDir: string): string[] {
  const dir = join(dataDir, 'capture', 'printer');
  return readdirSync(dir)
    .flatMap((name) => {
      const seq = CAPTURE_FILE.exec(name)?.[1];
      return seq === undefined ? [] : [{ name, seq: Number(seq) }];
    })
    .sort((a, b) => a.seq - b.seq)
    .map((file) => join(dir, file.name));
}

function parseJson(text: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text.trim().split('\n').at(-1) ?? '');
    if (typeof value === 'object' && value !== null) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new Error(`${what}: no JSON result in ${JSON.stringify(text.slice(-300))}`);
}

class Queues {
  readonly #queues = new Map<number, Queue>();
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  of(partition: number): Queue {
    let queue = this.#queues.get(partition);
    if (queue === undefined) {
      queue = new Queue(transactionQueueName(partition), {
        connection: this.#redis,
        prefix: this.#prefix,
      });
      this.#queues.set(partition, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#queues.values()].map((queue) => queue.close()));
  }
}

/** The transaction a completed job carries (the terminal's own, as it was handed over). */
async function completedTransaction(queue: Queue, id: string): Promise<Transaction> {
  const job = await queue.getJob(id);
  const data = decodeTransactionJob(job?.data);
  if (job === undefined || !data.ok) throw new Error(`no valid job ${id} to re-add`);
  const state = await job.getState();
  if (state !== 'completed') throw new Error(`job ${id} is ${state}, expected completed`);
  return data.data.transaction;
}

async function readd(
  system: StreamSystem,
  redis: Redis,
  ids: readonly string[],
): Promise<{ readded: Readded[]; replay: Record<string, number> }> {
  const { context, prefix, redisUrl } = system;
  const queues = new Queues(redis, prefix);
  const deadLetters = new Queue<DeadLetterJobData>(QUEUE_NAMES.deadLetter, {
    connection: redis,
    prefix,
  });
  const readded: Readded[] = [];
  try {
    const paths: Path[] = ['replay', 'newJobId', 'redrive'];
    const byPath = (path: Path) => ids.filter((_, i) => paths[i % paths.length] === path);
    const located = async (id: string) => {
      const partition = partitionOfTransaction(id);
      if (partition === undefined) throw new Error(`no partition for transaction ${id}`);
      return { partition, transaction: await completedTransaction(queues.of(partition), id) };
    };

    // 1. redrive: retention removed the completed job; a dead letter of the transaction is redriven
    const now = new Date();
    for (const id of byPath('redrive')) {
      const { partition, transaction } = await located(id);
      await (await queues.of(partition).getJob(id))?.remove();
      const letter = DeadLetterJobDataSchema.parse({
        reason: 'RETRIES_EXHAUSTED',
        message: 'fault suite: a letter of a transaction another job delivered',
        transaction,
        attempts: 1,
        failedAt: now.toISOString(),
        originalJobId: jobIdFor(transaction),
      });
      await deadLetters.add(letter.reason, letter, {
        jobId: letter.originalJobId,
        removeOnComplete: false,
        removeOnFail: false,
      });
      readded.push({ path: 'redrive', transactionId: id, jobId: id, partition });
    }
    const redrive = await runProcess(
      BIN,
      ['redrive', '--json', '--redis-url', redisUrl, '--prefix', prefix],
      { cwd: ROOT, timeoutMs: 120_000 },
    );
    const redriven = parseJson(redrive.stdout, `pos-ga4 redrive (exit ${redrive.code})`);
    const expectedRedrive = byPath('redrive').length;
    if (redriven['redriven'] !== expectedRedrive)
      throw new Error(
        `pos-ga4 redrive re-added ${String(redriven['redriven'])} of ${expectedRedrive} letters: ${redrive.stderr.trim()}`,
      );
    context.log(`redrive: ${expectedRedrive} delivered transactions redriven`);

    // 2. replay: retention removed the completed job; every terminal's capture is replayed
    for (const id of byPath('replay')) {
      const { partition } = await located(id);
      await (await queues.of(partition).getJob(id))?.remove();
      readded.push({ path: 'replay', transactionId: id, jobId: id, partition });
    }
    const replay = { receipts: 0, enqueued: 0, rejected: 0 };
    for (const terminal of system.terminals) {
      const files = captureFiles(terminal.dataDir);
      const result = await runProcess(
        BIN,
        [
          'replay',
          ...files,
          '--format',
          'jsonl',
          '--store',
          terminal.identity.storeId,
          '--terminal',
          terminal.identity.terminalId,
          '--redis-url',
          redisUrl,
          '--prefix',
          prefix,
          '--rejects',
          join(
            context.dir,
            `replay-rejects-${terminal.identity.terminalId}-${terminal.identity.storeId}`,
          ),
          '--json',
        ],
        { cwd: ROOT, timeoutMs: 120_000 },
      );
      const stats = parseJson(result.stdout, `pos-ga4 replay (exit ${result.code})`);
      for (const key of ['receipts', 'enqueued', 'rejected'] as const) {
        const value = stats[key];
        if (typeof value === 'number') replay[key] += value;
      }
    }
    // the captures hold exactly the receipts fed so far
    if (replay.rejected > 0 || replay.enqueued !== ids.length)
      throw new Error(
        `pos-ga4 replay enqueued ${replay.enqueued} of ${ids.length} captured receipts (${replay.rejected} rejected)`,
      );
    context.log(
      `replay: ${replay.enqueued} captured receipts replayed, ${byPath('replay').length} of them with their job removed`,
    );

    // 3. the same transaction under a new job id, straight into its partition queue
    let sequence = Date.now() * 1000;
    for (const id of byPath('newJobId')) {
      const { partition, transaction } = await located(id);
      const jobId = jobIdFor({ transactionId: `again-${id}` });
      const data = encodeTransactionJob({
        transaction,
        enqueuedAt: new Date().toISOString(),
        sequence: ++sequence,
      });
      await queues.of(partition).add(transaction.kind, data, {
        ...TRANSACTION_JOB_OPTIONS,
        jobId,
      });
      readded.push({ path: 'newJobId', transactionId: id, jobId, partition });
    }
    context.log(`new job ids: ${byPath('newJobId').length} transactions added again`);
    return { readded, replay };
  } finally {
    await deadLetters.close();
    await queues.close();
  }
}

/** Waits until every re-added job is finished (or no progress for the stall time); their fates. */
async function settle(
  context: ScenarioContext,
  queues: Queues,
  readded: readonly Readded[],
): Promise<Omit<Outcomes, 'replay'>> {
  const fates = new Map<string, string>();
  try {
    const read = async (): Promise<number> => {
      for (const item of readded) {
        if (fates.has(item.jobId)) continue;
        const queue = queues.of(item.partition);
        const state = await queue.getJobState(item.jobId);
        if (state === 'completed') {
          const job = await queue.getJob(item.jobId);
          fates.set(item.jobId, decodeJobResult(job?.returnvalue)?.outcome ?? 'completed');
        } else if (state === 'failed') fates.set(item.jobId, 'dead-lettered');
      }
      return fates.size;
    };
    await waitForProgress({
      progress: read,
      target: readded.length,
      stallMs: context.short ? 30_000 : 60_000,
      log: context.log,
      pollMs: 500,
    });
  } catch (error) {
    context.log(
      `reading the re-added jobs failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const byPath: Record<Path, number> = { redrive: 0, replay: 0, newJobId: 0 };
  const outcomes: Record<string, number> = {};
  let notDeduplicated = 0;
  for (const item of readded) {
    byPath[item.path]++;
    const fate = fates.get(item.jobId) ?? 'unsettled';
    const key = `${item.path}:${fate}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
    if (fate !== 'unsettled' && fate !== 'deduplicated') notDeduplicated++;
  }
  return {
    byPath,
    outcomes,
    unsettled: readded.length - fates.size,
    notDeduplicated,
  };
}

export const redeliver: Scenario = {
  name: 'redeliver',
  summary: 'delivered transactions re-added (redrive, replay, new job id): none sent twice',
  run(context) {
    const receipts = context.short ? 400 : 3_000;
    const firstPart = Math.floor(receipts * FIRST_SHARE);
    let before: Map<string, JobState> | undefined;
    let result: Outcomes | undefined;
    return runStream(
      context,
      {
        receipts,
        terminals: context.short ? 4 : 8,
        workers: 2,
        ratePerSecond: context.short ? 100 : 150,
        redis: 'shared',
      },
      (system) => ({
        atSent: [
          {
            sent: firstPart,
            action: async () => {
              const ids = system.planned.slice(0, firstPart).map((r) => r.transactionId);
              await waitUntilCaptured(system.terminals);
              // every first copy at the collector, and every job completed: the ledger has them
              await waitForProgress({
                progress: async () => {
                  const delivered = system.deliveredIds();
                  const arrived = ids.filter((id) => delivered.has(id)).length;
                  if (arrived < ids.length) return arrived;
                  const jobs = await readJobStates(system.redisUrl, system.prefix);
                  before = jobs;
                  return arrived + ids.filter((id) => jobs.get(id)?.fate === 'delivered').length;
                },
                target: 2 * ids.length,
                stallMs: context.short ? 30_000 : 60_000,
                log: context.log,
                pollMs: 500,
              });
              context.log(`${firstPart} receipts delivered; re-adding them`);
              const redis = createRedisConnection({ url: system.redisUrl }, 'worker');
              redis.on('error', () => undefined);
              try {
                const { readded, replay } = await readd(system, redis, ids);
                const queues = new Queues(redis, system.prefix);
                const settled = await settle(context, queues, readded).finally(() =>
                  queues.close(),
                );
                result = { ...settled, replay };
                context.log(
                  `re-added ${readded.length} jobs: ${JSON.stringify(settled.outcomes)}; feeding the rest`,
                );
              } finally {
                redis.disconnect();
              }
            },
          },
        ],
        kills: () => 0,
        crashes: () => [],
        jobsBefore: () => before,
        extra: () => ({
          readded: result?.byPath ?? {},
          readdedOutcomes: result?.outcomes ?? {},
          replayed: result?.replay ?? {},
          // not re-added at all (the feed stopped first) counts as unsettled
          readdedUnsettled: result === undefined ? firstPart : result.unsettled,
          readdedNotDeduplicated: result?.notDeduplicated ?? 0,
        }),
      }),
    );
  },
};
