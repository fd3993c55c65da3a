/**
 * The worker's `/metrics` endpoint, for the CLI: a registry with Node process metrics, the worker
 * metrics, a queue depth reader on the worker's connection, and the HTTP server on
 * `config.metrics` (or `port` given here). Pass `hooks` to `buildWorker`, then `observe(worker)`.
 * Lifecycle: `close()` stops the server, then closes the queue handles; call it before the
 * connection is disconnected. The connection stays the caller's.
 */
import { createMetricsRegistry, startMetricsServer } from '@pos-ga4/metrics';
import type { ConnectionOptions } from 'bullmq';

import type { WorkerConfig } from '../config.js';
import type { DeliveryOutcome, RequestInfo } from '../schedule/partition-consumer.js';

import { queueDepthReader } from './queue-depth.js';
import { createWorkerMetrics } from './worker-metrics.js';
import type { WorkerMetrics, WorkerMetricsSource } from './worker-metrics.js';

export interface WorkerMetricsEndpoint {
  readonly url: string;
  readonly metrics: WorkerMetrics;
  /** For `buildWorker`. */
  readonly hooks: {
    readonly onRequest: (info: RequestInfo) => void;
    readonly onOutcome: (outcome: DeliveryOutcome) => void;
  };
  observe(worker: WorkerMetricsSource): void;
  close(): Promise<void>;
}

export async function startWorkerMetrics(options: {
  readonly config: WorkerConfig;
  readonly connection: ConnectionOptions;
  /** Overrides `config.metrics.port` (tests: 0). */
  readonly port?: number;
}): Promise<WorkerMetricsEndpoint> {
  const { config } = options;
  const metrics = createWorkerMetrics(createMetricsRegistry());
  const queues = queueDepthReader({
    connection: options.connection,
    prefix: config.redis.prefix,
    partitions: config.partitions,
  });
  metrics.observe({ queues });
  const server = await startMetricsServer({
    registry: metrics.registry,
    port: options.port ?? config.metrics.port ?? 0,
    host: config.metrics.host,
  }).catch(async (error: unknown) => {
    await queues.close();
    throw error;
  });
  return {
    url: server.url,
    metrics,
    hooks: { onRequest: metrics.onRequest, onOutcome: metrics.onOutcome },
    observe(worker) {
      metrics.observe({ worker });
    },
    async close() {
      await server.close();
      await queues.close();
    },
  };
}
