/**
 * Heartbeats in Redis (layout in heartbeat-record.ts).
 * - `write(heartbeat)`: one MULTI: replace the terminal's hash, set its TTL, update the index
 *   score, refresh the index's TTL, prune index members older than the TTL. Rejects when Redis
 *   does not take it (with a fail-fast producer connection: at once while disconnected).
 * - `list()`: every indexed terminal with its heartbeat (undefined when the hash expired or
 *   cannot be read), in index order.
 * Inputs: an ioredis connection owned by the caller, the BullMQ prefix, TTL (default 7 days: a
 * terminal silent that long is forgotten, e.g. decommissioned).
 */
import {
  heartbeatIndexKey,
  heartbeatKey,
  heartbeatKeyOfMember,
  heartbeatMember,
  parseHeartbeatMember,
} from '@pos-ga4/queue-contract';
import type { Redis } from 'ioredis';

import { decodeHeartbeat, encodeHeartbeat } from './heartbeat-record.js';
import type { TerminalHeartbeat } from './heartbeat-record.js';
import type { HeartbeatListing } from './terminal-liveness.js';

export const DEFAULT_HEARTBEAT_TTL_SECONDS = 7 * 24 * 3600;

export interface HeartbeatStore {
  write(heartbeat: TerminalHeartbeat): Promise<void>;
  list(): Promise<HeartbeatListing[]>;
}

export interface RedisHeartbeatStoreOptions {
  readonly connection: Redis;
  readonly prefix: string;
  readonly ttlSeconds?: number;
}

export function redisHeartbeatStore(options: RedisHeartbeatStoreOptions): HeartbeatStore {
  const { connection: redis, prefix } = options;
  const ttl = options.ttlSeconds ?? DEFAULT_HEARTBEAT_TTL_SECONDS;
  const index = heartbeatIndexKey(prefix);
  return {
    async write(heartbeat) {
      const key = heartbeatKey(prefix, heartbeat);
      const seenMs = Date.parse(heartbeat.lastSeenAt);
      const results = await redis
        .multi()
        .del(key)
        .hset(key, encodeHeartbeat(heartbeat))
        .expire(key, ttl)
        .zadd(index, seenMs, heartbeatMember(heartbeat))
        .expire(index, ttl)
        .zremrangebyscore(index, '-inf', `(${seenMs - ttl * 1000}`)
        .exec();
      if (results === null) throw new Error('the heartbeat transaction was discarded');
      const failed = results.find(([error]) => error !== null)?.[0];
      if (failed) throw failed;
    },

    async list() {
      const flat = await redis.zrange(index, 0, -1, 'WITHSCORES');
      const members: { member: string; score: number }[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        members.push({ member: flat[i] ?? '', score: Number(flat[i + 1]) });
      }
      if (members.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const { member } of members) pipeline.hgetall(heartbeatKeyOfMember(prefix, member));
      const hashes = (await pipeline.exec()) ?? [];
      return members.map(({ member, score }, i) => {
        const [error, hash] = hashes[i] ?? [null, {}];
        const heartbeat =
          error === null && typeof hash === 'object' && hash !== null
            ? decodeHeartbeat(hash as Record<string, string>)
            : undefined;
        return { ...parseHeartbeatMember(member), lastSeenMs: score, heartbeat };
      });
    },
  };
}
