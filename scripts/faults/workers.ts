/**
 * Workers as real processes (`pos-ga4 worker`, configured by environment as in production),
 * each supervised (restarted 2 s after any exit, like deploy/systemd/pos-ga4-worker.service).
 *
 * Settings for quick recovery (docs/reliability.md): lease 2 s (a killed worker's partitions move
 * after it), retry backoff from 30 ms to 1 s, HTTP timeout 2 s (scenario 4 lowers it to 1 s
 * under its 3 s held "timeouts"), batch window 20 ms, log level warn. `env` overrides any of them.
 * The GA4 api secret is a fixed dummy for the local collector and is never printed.
 * Lifecycle: stopped (SIGTERM, graceful) through `context.defer`.
 */
import { spawnProcess, supervise } from './processes.js';
import type { Supervised } from './processes.js';
import type { ScenarioContext } from './scenario.js';

export interface WorkerOptions {
  readonly count: number;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly env?: Readonly<Record<string, string>>;
}

export const WORKER_ENV = {
  POS_GA4_LEASE_MS: '2000',
  POS_GA4_RETRY__BASE_MS: '30',
  POS_GA4_RETRY__MAX_MS: '1000',
  POS_GA4_HTTP_TIMEOUT_MS: '2000',
  POS_GA4_BATCH__WINDOW_MS: '20',
  POS_GA4_LOG__LEVEL: 'warn',
} as const;

export function startWorkers(context: ScenarioContext, options: WorkerOptions): Supervised[] {
  const workers = Array.from({ length: options.count }, (_, index) => {
    const name = `worker ${index + 1}`;
    const worker = supervise(name, () =>
      spawnProcess({
        name,
        args: ['worker'],
        env: {
          REDIS_URL: options.redisUrl,
          POS_GA4_REDIS__PREFIX: options.prefix,
          GA4_MEASUREMENT_ID: context.measurementId,
          GA4_API_SECRET: 'faults-dummy-secret',
          POS_GA4_GA4__BASE_URL: context.collector.baseUrl,
          ...WORKER_ENV,
          ...options.env,
        },
      }),
    );
    return worker;
  });
  context.defer(() => Promise.all(workers.map((worker) => worker.stop())));
  return workers;
}
