/**
 * Phase: the ceiling. The same N jobs (same job data shape as pos-ga4's) in one BullMQ queue on
 * the same Redis, drained by a plain BullMQ `Worker` whose processor returns at once
 * (concurrency 50). Jobs/s from worker start until N completed. No HTTP, no ordering, no
 * batching: what BullMQ on this Redis can move at most. Also the CPU per job of this process and
 * of Redis during the drain. Keys are deleted afterwards.
 */
import { createRedisConnection, deleteKeysWithPrefix } from '@pos-ga4/redis';
import type { Transaction } from '@pos-ga4/transaction';
import { Queue, Worker } from 'bullmq';

import { benchPrefix, round, waitUntil } from './bench-util.js';
import { ownCpuMs, redisCpuMs } from './process-stats.js';

export interface CeilingResult {
  readonly jobs: number;
  readonly concurrency: number;
  readonly drainMs: number;
  readonly jobsPerSecond: number;
  /** CPU per job during the drain: this process (the no-op worker) and Redis. */
  readonly workerCpuMsPerJob: number;
  readonly redisCpuMsPerJob: number;
}

export async function runCeiling(
  transactions: readonly Transaction[],
  settings: { redisUrl: string; timeoutMs: number; concurrency?: number },
): Promise<CeilingResult> {
  const prefix = benchPrefix('ceiling');
  const concurrency = settings.concurrency ?? 50;
  const connection = createRedisConnection({ url: settings.redisUrl }, 'worker');
  const queue = new Queue('ceiling', { connection, prefix });
  try {
    const enqueuedAt = new Date().toISOString();
    for (let i = 0; i < transactions.length; i += 1_000)
      await queue.addBulk(
        transactions.slice(i, i + 1_000).map((transaction) => ({
          name: 'transaction',
          data: { transaction, enqueuedAt },
          opts: { jobId: transaction.transactionId, removeOnComplete: true },
        })),
      );
    let completed = 0;
    const redisCpuBefore = await redisCpuMs(connection);
    const cpuBefore = ownCpuMs();
    const started = performance.now();
    const worker = new Worker('ceiling', () => Promise.resolve(), {
      connection: createRedisConnection({ url: settings.redisUrl }, 'worker'),
      prefix,
      concurrency,
    });
    worker.on('completed', () => {
      completed++;
    });
    try {
      await waitUntil(
        () => completed >= transactions.length,
        { timeoutMs: settings.timeoutMs, everyMs: 10 },
        () => `ceiling: ${completed}/${transactions.length}`,
      );
      const drainMs = performance.now() - started;
      const workerCpuMs = ownCpuMs() - cpuBefore;
      const redisCpuMsUsed = (await redisCpuMs(connection)) - redisCpuBefore;
      return {
        jobs: transactions.length,
        concurrency,
        drainMs: round(drainMs),
        jobsPerSecond: round((transactions.length / drainMs) * 1000, 0),
        workerCpuMsPerJob: round(workerCpuMs / transactions.length, 3),
        redisCpuMsPerJob: round(redisCpuMsUsed / transactions.length, 3),
      };
    } finally {
      await worker.close();
      worker.disconnect().catch(() => undefined);
    }
  } finally {
    await queue.close();
    await deleteKeysWithPrefix(connection, prefix);
    connection.disconnect();
  }
}
