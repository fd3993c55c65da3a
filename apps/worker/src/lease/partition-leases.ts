/**
 * Partition leases: at most one worker consumes a partition at a time, so a terminal's jobs are
 * seen in order even with N worker processes. A lease is `SET <prefix>:lease:{tx-N} <workerId>
 * NX PX leaseMs`, renewed by its owner every third of `leaseMs` with a compare-and-expire script,
 * released by compare-and-delete. A worker that dies stops renewing; its partitions become free
 * after `leaseMs`. Workers also announce themselves in `<prefix>:workers` (score = last seen),
 * so each can take a fair share: ceil(partitions / live workers).
 * Lease keys carry the partition's hash tag, so they live in the queue's Cluster slot (keys:
 * `leaseKey`, `workersKey` in @pos-ga4/queue-contract redis-keys.ts).
 * Lifecycle: owned by the worker; `releaseAll()` on shutdown.
 */
import { leaseKey, workersKey } from '@pos-ga4/queue-contract';
import type { Redis } from 'ioredis';

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface PartitionLeasesOptions {
  readonly redis: Redis;
  readonly prefix: string;
  readonly workerId: string;
  readonly leaseMs: number;
}

export class PartitionLeases {
  readonly #options: PartitionLeasesOptions;

  constructor(options: PartitionLeasesOptions) {
    this.#options = options;
  }

  key(partition: number): string {
    return leaseKey(this.#options.prefix, partition);
  }

  async tryAcquire(partition: number): Promise<boolean> {
    const { redis, workerId, leaseMs } = this.#options;
    return (await redis.set(this.key(partition), workerId, 'PX', leaseMs, 'NX')) === 'OK';
  }

  async renew(partition: number): Promise<boolean> {
    const { redis, workerId, leaseMs } = this.#options;
    return (await redis.eval(RENEW, 1, this.key(partition), workerId, String(leaseMs))) === 1;
  }

  async release(partition: number): Promise<void> {
    await this.#options.redis.eval(RELEASE, 1, this.key(partition), this.#options.workerId);
  }

  async owner(partition: number): Promise<string | null> {
    return this.#options.redis.get(this.key(partition));
  }

  /** Announces this worker and returns how many workers were seen within one lease period. */
  async announce(now: number): Promise<number> {
    const { redis, prefix, workerId, leaseMs } = this.#options;
    const key = workersKey(prefix);
    await redis.zadd(key, now, workerId);
    await redis.zremrangebyscore(key, '-inf', now - 3 * leaseMs);
    return redis.zcount(key, now - leaseMs, '+inf');
  }

  async withdraw(): Promise<void> {
    await this.#options.redis.zrem(workersKey(this.#options.prefix), this.#options.workerId);
  }
}
