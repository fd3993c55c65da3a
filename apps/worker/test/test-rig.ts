/**
 * What the worker's integration tests share, set up around each test: the shared Redis under a
 * key prefix of the test's own (`redisTestResource`, removed afterwards), the local collector on
 * port 0, and `closers`, run in reverse order after the test, before the collector and Redis go.
 * Call `useTestRig(name)` at the top level of a test file; read its fields inside tests.
 */
import { buildCollector } from '@pos-ga4/collector';
import type { Collector } from '@pos-ga4/collector';
import { createLogger } from '@pos-ga4/logger';
import { createRedisConnection } from '@pos-ga4/redis';
import { redisTestResource } from '@pos-ga4/testkit';
import type { RedisTestResource } from '@pos-ga4/testkit';
import { afterEach, beforeEach } from 'vitest';

import { bullmqTransactionSink } from '@pos-ga4/terminal';
import type { Transaction } from '@pos-ga4/transaction';

import { buildWorker, createMpClients, WorkerConfigSchema } from '../src/index.js';
import type {
  DeliveryOutcome,
  RunningWorker,
  WorkerConfig,
  WorkerConfigInput,
} from '../src/index.js';

export interface TestRig {
  readonly redis: RedisTestResource;
  readonly collector: Collector;
  readonly baseUrl: string;
  readonly closers: (() => Promise<void>)[];
}

export function useTestRig(name: string): TestRig {
  let current: { redis: RedisTestResource; collector: Collector; baseUrl: string } | undefined;
  const closers: (() => Promise<void>)[] = [];
  const now = (): NonNullable<typeof current> => {
    if (!current) throw new Error('the test rig is only there inside a test');
    return current;
  };
  beforeEach(async () => {
    const collector = buildCollector();
    const baseUrl = await collector.app.listen({ port: 0, host: '127.0.0.1' });
    current = { redis: redisTestResource(name), collector, baseUrl };
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    const { collector, redis } = now();
    await collector.app.close();
    await redis.cleanup();
    current = undefined;
  });
  return {
    get redis() {
      return now().redis;
    },
    get collector() {
      return now().collector;
    },
    get baseUrl() {
      return now().baseUrl;
    },
    closers,
  };
}

/**
 * A worker in this process on its own Redis connection, its delivery outcomes collected in
 * `outcomes`; closed (worker, MP clients, connection) with the rig's closers.
 */
export async function startWorkerInProcess(
  rig: TestRig,
  config: WorkerConfig,
): Promise<{ worker: RunningWorker; outcomes: DeliveryOutcome[] }> {
  const outcomes: DeliveryOutcome[] = [];
  const connection = createRedisConnection({ url: rig.redis.url }, 'worker');
  const mp = createMpClients(config);
  const worker = await buildWorker({
    config,
    connection,
    clients: mp.clients,
    logger: createLogger({ name: 'test', level: 'silent' }),
    onOutcome: (outcome) => outcomes.push(outcome),
  });
  rig.closers.push(async () => {
    await worker.close();
    await mp.closeAll();
    connection.disconnect();
  });
  return { worker, outcomes };
}

/**
 * A worker config on the rig's Redis prefix and collector, quick for tests (lease 1 s, batch
 * window 20 ms), with `overrides` on top.
 */
export function rigConfig(
  rig: TestRig,
  name: string,
  overrides: Partial<WorkerConfigInput> = {},
): WorkerConfig {
  return WorkerConfigSchema.parse({
    redis: { url: rig.redis.url, prefix: rig.redis.prefix },
    ga4: {
      baseUrl: rig.baseUrl,
      measurementId: `G-${name.toUpperCase()}`,
      apiSecret: `${name}-secret`,
    },
    leaseMs: 1000,
    batch: { windowMs: 20 },
    ...overrides,
  });
}

/** Hands transactions over as a terminal does (client barrier entries first, then the jobs). */
export async function enqueueThroughSink(
  rig: TestRig,
  transactions: readonly Transaction[],
  partitions?: number,
): Promise<void> {
  const connection = createRedisConnection({ url: rig.redis.url }, 'worker');
  const sink = bullmqTransactionSink({
    connection,
    prefix: rig.redis.prefix,
    ...(partitions === undefined ? {} : { partitions }),
  });
  await sink.enqueue(transactions);
  await sink.close();
  connection.disconnect();
}
