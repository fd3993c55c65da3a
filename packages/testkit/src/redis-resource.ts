/**
 * Redis for integration tests, shared safely: each test gets a unique key prefix on the Redis at
 * REDIS_URL (default 127.0.0.1:6379), and `cleanup()` deletes every key under it. Nothing here
 * mocks Redis.
 */
import { randomUUID } from 'node:crypto';

import { deleteKeysWithPrefix } from '@pos-ga4/redis';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export interface RedisTestResource {
  readonly url: string;
  readonly prefix: string;
  readonly redis: Redis;
  /** Deletes every key under the prefix and closes the admin connection. */
  cleanup(): Promise<void>;
}

export function redisTestResource(name = 'test'): RedisTestResource {
  const prefix = `pos-ga4-${name}-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 3 });
  return {
    url: TEST_REDIS_URL,
    prefix,
    redis,
    async cleanup() {
      await deleteKeysWithPrefix(redis, prefix);
      await redis.quit();
    },
  };
}
