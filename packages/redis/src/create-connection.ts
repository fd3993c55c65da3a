/**
 * ioredis connections with the settings BullMQ's production guide asks for, per role:
 * - `producer` (terminals, CLI tools): no offline queue and a short command timeout, so a call
 *   fails fast while Redis is unreachable instead of hanging (the caller spools or reports).
 * - `worker` (BullMQ workers and their blocking connections): `maxRetriesPerRequest: null`,
 *   offline queue on, reconnect forever with capped backoff.
 * `rediss://` URLs get TLS; ACL username/password come from the URL or the config fields.
 * Lifecycle: the caller owns the returned connection and must `quit()` or `disconnect()` it.
 */
import type { RedisConnectionConfig } from '@pos-ga4/config';
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';

export type ConnectionRole = 'producer' | 'worker';

export function redisOptions(
  config: Pick<RedisConnectionConfig, 'url' | 'username' | 'password'>,
  role: ConnectionRole,
): RedisOptions {
  const url = new URL(config.url);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  const username =
    config.username ?? (url.username === '' ? undefined : decodeURIComponent(url.username));
  const password =
    config.password ?? (url.password === '' ? undefined : decodeURIComponent(url.password));
  const base: RedisOptions = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? 6379 : Number(url.port),
    db,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    ...(url.protocol === 'rediss:' ? { tls: { servername: url.hostname } } : {}),
    connectionName: `pos-ga4-${role}`,
    retryStrategy: (times) => Math.min(1000 * 2 ** Math.min(times, 5), 20_000),
  };
  return role === 'producer'
    ? {
        ...base,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        commandTimeout: 5_000,
        connectTimeout: 5_000,
      }
    : { ...base, maxRetriesPerRequest: null, enableOfflineQueue: true };
}

export function createRedisConnection(
  config: Pick<RedisConnectionConfig, 'url' | 'username' | 'password'>,
  role: ConnectionRole,
): Redis {
  return new Redis(redisOptions(config, role));
}

/**
 * Answers whether a Redis answers PING at `url` within `timeoutMs`, without retrying.
 * Never throws; the connection is always closed.
 */
export async function pingRedis(
  url: string,
  timeoutMs = 1_000,
): Promise<{ ok: true; version: string } | { ok: false; error: string }> {
  const client = new Redis({
    ...redisOptions({ url }, 'producer'),
    lazyConnect: true,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    enableOfflineQueue: true,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    const info = await client.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    return { ok: true, version };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  } finally {
    client.disconnect();
  }
}

/** Deletes every key under `<prefix>:` (SCAN + UNLINK); for demos and tests with private prefixes. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
