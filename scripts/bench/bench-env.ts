/**
 * Shared set-up for benchmark phases: a local collector on a free port (with optional latency)
 * and enqueueing a workload into the partition queues under a prefix.
 * Lifecycle: the caller closes what it gets (`collector.app.close()`, connections).
 */
import { buildCollector } from '@pos-ga4/collector';
import type { Collector } from '@pos-ga4/collector';
import { createRedisConnection } from '@pos-ga4/redis';
import { bullmqTransactionSink } from '@pos-ga4/terminal';
import type { Transaction } from '@pos-ga4/transaction';

export interface RunningCollector {
  readonly collector: Collector;
  readonly baseUrl: string;
}

export async function startCollector(latencyMs: number): Promise<RunningCollector> {
  const collector = buildCollector({ maxRequests: 1_000_000 });
  collector.setFaults({ latencyMs });
  const baseUrl = await collector.app.listen({ port: 0, host: '127.0.0.1' });
  return { collector, baseUrl };
}

/** Enqueues through the terminal's BullMQ sink in bulks of 1,000; returns the elapsed ms. */
export async function enqueueAll(
  transactions: readonly Transaction[],
  redis: { url: string; prefix: string },
): Promise<number> {
  const connection = createRedisConnection({ url: redis.url }, 'worker');
  const sink = bullmqTransactionSink({ connection, prefix: redis.prefix });
  const started = performance.now();
  for (let i = 0; i < transactions.length; i += 1_000)
    await sink.enqueue(transactions.slice(i, i + 1_000));
  const elapsed = performance.now() - started;
  await sink.close();
  connection.disconnect();
  return elapsed;
}
