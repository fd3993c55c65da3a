/**
 * The per-client order barrier, across partitions and workers.
 *
 * Every event waiting for delivery is registered in its client's sorted set
 * (`<prefix>:client:<client_id>`, score = the event's order timestamp in µs, member =
 * transaction id). An event may be sent only when it is at the head of its client's set (or
 * right behind heads sent in the same request): so a client's events go out in `occurredAt`
 * order, and no request for a client leaves while an earlier one has not succeeded. Other
 * clients are never blocked. Sent or dead-lettered events leave the set. Terminals register
 * events with a scanned client id at enqueue (see @pos-ga4/queue-contract client-order.ts).
 * Each client's set is its own key and every command is single-key (Cluster-safe); on an
 * auto-pipelined connection the commands of one call leave in one write.
 */
import { clientBarrierKey } from '@pos-ga4/queue-contract';
import type { Redis } from 'ioredis';

export interface BarrierEntry {
  readonly clientKey: string;
  readonly score: number;
  readonly transactionId: string;
}

export class ClientBarrier {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(options: { redis: Redis; prefix: string }) {
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
