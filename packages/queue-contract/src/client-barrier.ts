/**
 * The per-client order barrier, across terminals, partitions and workers: the one implementation
 * both sides use (terminals register scanned clients at enqueue, workers register the rest when
 * they take a job, read heads, and release).
 *
 * Every event waiting for delivery is registered in its client's sorted set
 * (`clientBarrierKey`: `<prefix>:client:<client_id>`, score = the event's order timestamp in µs,
 * member = transaction id). An event may be sent only when it is at the head of its client's set
 * (or right behind heads sent in the same request): so a client's events go out in `occurredAt`
 * order, and no request for a client leaves while an earlier one has not succeeded. Other
 * clients are never blocked. Sent or dead-lettered events leave the set. Vocabulary (client ids,
 * scores): client-order.ts; guarantees: docs/delivery.md.
 * - `register(entries)`: `ZADD <key> NX <score> <id>` per entry (re-registering keeps the first
 *   score: harmless for a retry or a replay).
 * - `heads(keys, count)`: the first `count` members of each distinct key (`ZRANGE 0 count-1`).
 * - `release(entries)`: `ZREM <key> <id>` per entry.
 * Each client's set is its own key and every command is single-key (Cluster-safe); the commands
 * of one call are issued together (on an auto-pipelined connection they leave in one write) and
 * the call settles when all have. Redis errors reject. Works over any client with these three
 * commands (`ClientBarrierRedis`; ioredis fits); the connection is the caller's.
 */
import { clientBarrierKey } from './redis-keys.js';

/** What the barrier needs of a Redis client (an ioredis `Redis` fits). */
export interface ClientBarrierRedis {
  zadd(key: string, nx: 'NX', score: number, member: string): Promise<unknown>;
  zrange(key: string, start: number, stop: number): Promise<string[]>;
  zrem(key: string, member: string): Promise<unknown>;
}

export interface BarrierEntry {
  /** The client's barrier key (`ClientBarrier.clientKey`). */
  readonly clientKey: string;
  /** The order timestamp in µs (`orderScoreOf`, or a terminal's monotonic score). */
  readonly score: number;
  readonly transactionId: string;
}

export class ClientBarrier {
  readonly #redis: ClientBarrierRedis;
  readonly #prefix: string;

  constructor(options: { redis: ClientBarrierRedis; prefix: string }) {
    this.#redis = options.redis;
    this.#prefix = options.prefix;
  }

  clientKey(clientId: string): string {
    return clientBarrierKey(this.#prefix, clientId);
  }

  async register(entries: readonly BarrierEntry[]): Promise<void> {
    await Promise.all(
      entries.map((e) => this.#redis.zadd(e.clientKey, 'NX', e.score, e.transactionId)),
    );
  }

  /** The first `count` waiting transaction ids of each client, in order. */
  async heads(clientKeys: readonly string[], count: number): Promise<Map<string, string[]>> {
    const unique = [...new Set(clientKeys)];
    const lists = await Promise.all(unique.map((key) => this.#redis.zrange(key, 0, count - 1)));
    return new Map(unique.map((key, index) => [key, lists[index] ?? []]));
  }

  async release(
    entries: readonly Pick<BarrierEntry, 'clientKey' | 'transactionId'>[],
  ): Promise<void> {
    await Promise.all(entries.map((e) => this.#redis.zrem(e.clientKey, e.transactionId)));
  }
}
