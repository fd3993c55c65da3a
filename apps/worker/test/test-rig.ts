/**
 * What the worker's integration tests share, set up around each test: the shared Redis under a
 * key prefix of the test's own (`redisTestResource`, removed afterwards), the local collector on
 * port 0, and `closers`, run in reverse order after the test, before the collector and Redis go.
 * Call `useTestRig(name)` at the top level of a test file; read its fields inside tests.
 */
import { buildCollector } from '@pos-ga4/collector';
import type { Collector } from '@pos-ga4/collector';
import { redisTestResource } from '@pos-ga4/testkit';
import type { RedisTestResource } from '@pos-ga4/testkit';
import { afterEach, beforeEach } from 'vitest';

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
