/**
 * Phase: pos-ga4 end to end. Enqueue the workload first (terminal BullMQ sink), then start one
 * in-process worker (default config, `batch.windowMs` 20) against the local collector with the
 * given latency, and time from worker start until the collector holds every transaction id.
 * Also derives requests over the optimum, enqueue→received latency (a backlog drain, so this is
 * queueing time, not steady-state latency), this process's RSS and CPU time per transaction
 * during the drain (the worker and the bench driver; the collector is its own process, standing
 * in for Google). Redis keys under the phase's own prefix are deleted afterwards.
 */
import type { RecordedEvent, RecordedRequest } from '@pos-ga4/collector';
import { optimalRequestCount } from '@pos-ga4/ga4-mp';
import type { RequestEnvelope } from '@pos-ga4/ga4-mp';
import { createLogger } from '@pos-ga4/logger';
import { createRedisConnection, deleteKeysWithPrefix } from '@pos-ga4/redis';
import type { Transaction } from '@pos-ga4/transaction';
import { buildWorker, createMpClients, WorkerConfigSchema } from '@pos-ga4/worker';
import type { DeliveryOutcome } from '@pos-ga4/worker';

import { enqueueAll, startCollectorProcess } from './bench-env.js';
import { benchPrefix, percentile, round, waitUntil } from './bench-util.js';

export interface PosGa4Result {
  readonly latencyMs: number;
  readonly transactions: number;
  readonly enqueueMs: number;
  readonly enqueuePerSecond: number;
  readonly drainMs: number;
  readonly transactionsPerSecond: number;
  readonly requests: number;
  readonly optimalRequests: number;
  readonly requestsOverOptimum: number;
  readonly eventsPerRequest: number;
  readonly deadLettered: number;
  readonly latencyP50Ms: number | undefined;
  readonly latencyP99Ms: number | undefined;
  readonly rssMb: number;
  /** CPU time (user + system) of the worker's process per transaction during the drain. */
  readonly cpuMsPerTransaction: number;
  readonly concurrency: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One envelope (the body without `events`) per delivered event, for `optimalRequestCount`. */
function envelopesOf(requests: readonly RecordedRequest[]): { envelope: RequestEnvelope }[] {
  return requests.flatMap((request) => {
    if (!isRecord(request.body)) return [];
    const { events, ...envelope } = request.body;
    const count = Array.isArray(events) ? events.length : 0;
    return Array.from({ length: count }, () => ({ envelope }));
  });
}

export async function runPosGa4(
  transactions: readonly Transaction[],
  settings: { redisUrl: string; latencyMs: number; timeoutMs: number },
): Promise<PosGa4Result> {
  const prefix = benchPrefix(`e2e${settings.latencyMs}`);
  const redis = { url: settings.redisUrl, prefix };
  const collector = await startCollectorProcess(settings.latencyMs);
  const { baseUrl } = collector;
  const connection = createRedisConnection({ url: settings.redisUrl }, 'worker');
  const outcomes: { outcome: DeliveryOutcome; at: number }[] = [];
  try {
    const enqueueMs = await enqueueAll(transactions, redis);
    const config = WorkerConfigSchema.parse({
      redis,
      ga4: { baseUrl, measurementId: 'G-BENCH', apiSecret: 'bench-secret' },
      batch: { windowMs: 20 },
      log: { level: 'silent' },
    });
    const mp = createMpClients(config);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const worker = await buildWorker({
      config,
      connection,
      clients: mp.clients,
      logger: createLogger({ name: 'bench', level: 'silent' }),
      onOutcome: (outcome) => outcomes.push({ outcome, at: Date.now() }),
    });
    try {
      await waitUntil(
        () => outcomes.length >= transactions.length,
        { timeoutMs: settings.timeoutMs },
        () => `pos-ga4 @${settings.latencyMs} ms: ${outcomes.length}/${transactions.length}`,
      );
      const drainMs = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      const events: RecordedEvent[] = await collector.events();
      const received = new Map(
        events.map((e) => [String(e.params['transaction_id']), Date.parse(e.receivedAt)]),
      );
      const missing = transactions.filter((t) => !received.has(t.transactionId)).length;
      const deadLettered = outcomes.filter((o) => o.outcome.outcome === 'dead-lettered').length;
      if (missing > deadLettered)
        throw new Error(`pos-ga4: ${missing} transactions not at the collector`);
      const requests = (await collector.requests()).filter(
        (r) => r.endpoint === 'collect' && r.status >= 200 && r.status < 300,
      );
      const optimalRequests = optimalRequestCount(envelopesOf(requests));
      const latencies = outcomes.flatMap(({ outcome }) => {
        const at = received.get(outcome.transactionId);
        return outcome.enqueuedAt === undefined || at === undefined
          ? []
          : [at - Date.parse(outcome.enqueuedAt)];
      });
      const p50 = percentile(latencies, 50);
      const p99 = percentile(latencies, 99);
      return {
        latencyMs: settings.latencyMs,
        transactions: transactions.length,
        enqueueMs: round(enqueueMs),
        enqueuePerSecond: round((transactions.length / enqueueMs) * 1000, 0),
        drainMs: round(drainMs),
        transactionsPerSecond: round((transactions.length / drainMs) * 1000, 0),
        requests: requests.length,
        optimalRequests,
        requestsOverOptimum: round(requests.length / Math.max(1, optimalRequests), 3),
        eventsPerRequest: round(events.length / Math.max(1, requests.length), 2),
        deadLettered,
        latencyP50Ms: p50 === undefined ? undefined : round(p50, 0),
        latencyP99Ms: p99 === undefined ? undefined : round(p99, 0),
        rssMb: round(process.memoryUsage().rss / 1_048_576),
        cpuMsPerTransaction: round((cpu.user + cpu.system) / 1000 / transactions.length, 3),
        concurrency: config.concurrency,
      };
    } finally {
      await worker.close();
      await mp.closeAll();
    }
  } finally {
    await deleteKeysWithPrefix(connection, prefix);
    connection.disconnect();
    await collector.close();
  }
}
