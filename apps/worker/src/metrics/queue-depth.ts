/**
 * Job counts by state for every partition queue and the dead-letter queue, read on scrape:
 * BullMQ `getJobCounts`, all queues in parallel, cached for `cacheMs` (default 5 s) and bounded by
 * `timeoutMs` (default 2 s) so a scrape never waits on an unreachable Redis; then the last good
 * counts are answered with `stale: true`. Queue labels drop the hash-tag braces (`tx-3`).
 * Lifecycle: owns its Queue handles (not the connection); `close()` closes them.
 */
import { QUEUE_NAMES, transactionQueueName } from '@pos-ga4/queue-contract';
import { cachedRead } from '@pos-ga4/metrics';
import { Queue } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';

/** The states reported; `completed` and `failed` are retained jobs (7 days), not backlog. */
export const QUEUE_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'failed',
  'completed',
] as const;

export type QueueState = (typeof QUEUE_STATES)[number];

export interface QueueDepth {
  /** `tx-0` … `tx-N`, or `dead-letter`. */
  readonly queue: string;
  readonly counts: Readonly<Partial<Record<QueueState, number>>>;
}

export interface QueueDepthOptions {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  readonly partitions: number;
  readonly cacheMs?: number;
  readonly timeoutMs?: number;
}

export interface QueueDepthReader {
  read(): Promise<{ readonly depths: readonly QueueDepth[]; readonly stale: boolean }>;
  close(): Promise<void>;
}

export function queueLabel(name: string): string {
  return name.replace(/^\{(.*)\}$/, '$1');
}

export function queueDepthReader(options: QueueDepthOptions): QueueDepthReader {
  const names = [
    ...Array.from({ length: options.partitions }, (_, p) => transactionQueueName(p)),
    QUEUE_NAMES.deadLetter,
  ];
  const queues = names.map(
    (name) => new Queue(name, { connection: options.connection, prefix: options.prefix }),
  );
  const cache = cachedRead(
    () =>
      Promise.all(
        queues.map(async (queue): Promise<QueueDepth> => {
          const counts: Partial<Record<QueueState, number>> = {};
          const raw = await queue.getJobCounts(...QUEUE_STATES);
          for (const state of QUEUE_STATES) counts[state] = raw[state] ?? 0;
          return { queue: queueLabel(queue.name), counts };
        }),
      ),
    {
      ...(options.cacheMs === undefined ? {} : { ttlMs: options.cacheMs }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    },
  );
  return {
    async read() {
      const { value, stale } = await cache.read();
      return { depths: value ?? [], stale };
    },
    async close() {
      await Promise.all(queues.map((queue) => queue.close().catch(() => undefined)));
    },
  };
}
