/**
 * What a scenario reads back from Redis after (or while) it ran. Read-only, except
 * `deleteScenarioKeys`.
 *
 * - `readJobStates(url, prefix)`: every transaction job of the partition queues with its fate
 *   (delivered = completed as sent/deduplicated, skipped, dead-lettered with its reason code,
 *   pending) and its `enqueuedAt` (when the terminal handed it over) — the accounting's
 *   hand-over times and dead letters.
 * - `failedJobIds(url, prefix)`: ids of dead-lettered jobs only (cheap, for polling).
 * - `reconcileDifference(url, prefix)`: runs the real `pos-ga4 reconcile --json` and sums the
 *   per store/day `difference.count` (0 when every captured receipt is accounted for).
 * - `serialState(url, prefix, terminal)`: the state of a process terminal's serial source
 *   (`printer`) from its heartbeat hash, or undefined before the first heartbeat.
 * - `deleteScenarioKeys(url, prefix)`: removes every key under the prefix.
 * Errors: Redis errors reject; `reconcileDifference` rejects when the command fails (output in the
 * message). Lifecycle: each call opens and closes its own connection.
 */
import {
  decodeFailedReason,
  decodeJobResult,
  DEFAULT_PARTITIONS,
  heartbeatKey,
  transactionQueueName,
} from '@pos-ga4/queue-contract';
import { createRedisConnection, deleteKeysWithPrefix } from '@pos-ga4/redis';
import { decodeHeartbeat } from '@pos-ga4/terminal';
import { runProcess } from '@pos-ga4/testkit';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

import { BIN, ROOT } from './processes.js';
import type { TerminalIdentity } from './workload.js';

export type JobFate = 'delivered' | 'skipped' | 'dead-lettered' | 'pending';

export interface JobState {
  readonly fate: JobFate;
  /** A completed job's outcome as the worker reported it (`sent`, `deduplicated`, `skipped`). */
  readonly outcome?: string;
  readonly reason?: string;
  readonly enqueuedAtMs?: number;
  /** BullMQ's times (ms) and the producer's sequence, for post-mortems (`FAULTS_KEEP=1`). */
  readonly processedOn?: number;
  readonly finishedOn?: number;
  readonly sequence?: number;
}

function timesOf(job: { processedOn?: number; finishedOn?: number; data: unknown }) {
  const data = job.data;
  const sequence =
    typeof data === 'object' &&
    data !== null &&
    'sequence' in data &&
    typeof data.sequence === 'number'
      ? data.sequence
      : undefined;
  return {
    ...(job.processedOn === undefined ? {} : { processedOn: job.processedOn }),
    ...(job.finishedOn === undefined ? {} : { finishedOn: job.finishedOn }),
    ...(sequence === undefined ? {} : { sequence }),
  };
}

async function withRedis<T>(url: string, fn: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = createRedisConnection({ url }, 'worker');
  redis.on('error', () => undefined);
  try {
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

async function forEachQueue(
  redis: Redis,
  prefix: string,
  fn: (queue: Queue) => Promise<void>,
): Promise<void> {
  for (let partition = 0; partition < DEFAULT_PARTITIONS; partition++) {
    const queue = new Queue(transactionQueueName(partition), { connection: redis, prefix });
    try {
      await fn(queue);
    } finally {
      await queue.close();
    }
  }
}

function enqueuedAtOf(data: unknown): number | undefined {
  if (typeof data !== 'object' || data === null || !('enqueuedAt' in data)) return undefined;
  const value = data.enqueuedAt;
  return typeof value === 'string' ? Date.parse(value) : undefined;
}

export function readJobStates(url: string, prefix: string): Promise<Map<string, JobState>> {
  return withRedis(url, async (redis) => {
    const states = new Map<string, JobState>();
    await forEachQueue(redis, prefix, async (queue) => {
      for (const job of await queue.getJobs(['completed'])) {
        const outcome = decodeJobResult(job.returnvalue)?.outcome;
        const enqueuedAtMs = enqueuedAtOf(job.data);
        states.set(job.id ?? '', {
          fate: outcome === 'skipped' ? 'skipped' : 'delivered',
          ...(outcome === undefined ? {} : { outcome }),
          ...(enqueuedAtMs === undefined ? {} : { enqueuedAtMs }),
          ...timesOf(job),
        });
      }
      for (const job of await queue.getJobs(['failed'])) {
        const enqueuedAtMs = enqueuedAtOf(job.data);
        states.set(job.id ?? '', {
          fate: 'dead-lettered',
          reason: decodeFailedReason(job.failedReason)?.code ?? 'UNKNOWN',
          ...(enqueuedAtMs === undefined ? {} : { enqueuedAtMs }),
        });
      }
      for (const job of await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized'])) {
        const enqueuedAtMs = enqueuedAtOf(job.data);
        states.set(job.id ?? '', {
          fate: 'pending',
          ...(enqueuedAtMs === undefined ? {} : { enqueuedAtMs }),
        });
      }
    });
    return states;
  });
}

export function failedJobIds(url: string, prefix: string): Promise<Map<string, string>> {
  return withRedis(url, async (redis) => {
    const failed = new Map<string, string>();
    await forEachQueue(redis, prefix, async (queue) => {
      for (const job of await queue.getJobs(['failed']))
        failed.set(job.id ?? '', decodeFailedReason(job.failedReason)?.code ?? 'UNKNOWN');
    });
    return failed;
  });
}

export async function reconcileDifference(url: string, prefix: string): Promise<number> {
  const result = await runProcess(
    BIN,
    ['reconcile', '--json', '--redis-url', url, '--prefix', prefix],
    { cwd: ROOT, timeoutMs: 120_000 },
  );
  let rows: unknown;
  try {
    rows = JSON.parse(result.stdout);
  } catch {
    throw new Error(`pos-ga4 reconcile failed (exit ${result.code}): ${result.stderr.trim()}`);
  }
  if (!Array.isArray(rows)) throw new Error('pos-ga4 reconcile: expected a JSON array');
  return rows.reduce<number>((sum, row: { difference?: { count?: number } }) => {
    return sum + Math.abs(row.difference?.count ?? 0);
  }, 0);
}

export function serialState(
  url: string,
  prefix: string,
  terminal: TerminalIdentity,
): Promise<string | undefined> {
  return withRedis(url, async (redis) => {
    const hash = await redis.hgetall(heartbeatKey(prefix, terminal));
    return decodeHeartbeat(hash)?.devices['printer'];
  });
}

export function deleteScenarioKeys(url: string, prefix: string): Promise<number> {
  return withRedis(url, (redis) => deleteKeysWithPrefix(redis, prefix));
}
