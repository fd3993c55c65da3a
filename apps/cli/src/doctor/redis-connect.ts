/**
 * One fail-fast Redis connection for the doctor: no retries, a short connect timeout, and the
 * real cause (ECONNREFUSED, WRONGPASS…) instead of ioredis' "connection is closed".
 * Input: url plus optional ACL username/password (they win over the URL's, as in the configs).
 * Output: `{ ok: true, redis }` (the caller must `disconnect()` it) or `{ ok: false, error }`;
 * never throws. `describeRedisUrl` renders a URL without its password, for messages.
 */
import { redisOptions } from '@pos-ga4/redis';
import { Redis } from 'ioredis';

import { messageOf } from './check-result.js';

export interface RedisTarget {
  readonly url: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
}

export type RedisConnectResult =
  { readonly ok: true; readonly redis: Redis } | { readonly ok: false; readonly error: string };

const CONNECT_TIMEOUT_MS = 3_000;

/** `redis://user@host:port` without the password (`?` when the URL does not parse). */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username === '' ? '' : `${decodeURIComponent(parsed.username)}@`;
    return `${parsed.protocol}//${user}${parsed.host}`;
  } catch {
    return '(unparseable URL)';
  }
}

export async function connectRedis(target: RedisTarget): Promise<RedisConnectResult> {
  let options;
  try {
    options = redisOptions(
      {
        url: target.url,
        ...(target.username === undefined ? {} : { username: target.username }),
        ...(target.password === undefined ? {} : { password: target.password }),
      },
      'producer',
    );
  } catch (error) {
    return { ok: false, error: `invalid Redis URL: ${messageOf(error)}` };
  }
  const redis = new Redis({
    ...options,
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: () => null,
    connectionName: 'pos-ga4-doctor',
  });
  let cause: unknown;
  redis.on('error', (error: unknown) => {
    cause = error; // connect() itself only says the connection closed
  });
  try {
    await redis.connect();
    return { ok: true, redis };
  } catch (error) {
    redis.disconnect();
    return { ok: false, error: messageOf(cause ?? error) };
  }
}
