/**
 * Who held what while a scenario ran, to tie a duplicate to the worker that sent its first copy
 * and a SIGKILL to the worker it killed (accounting.ts `attributeDuplicates`).
 *
 * Data (the worker's own keys, docs/delivery.md): every worker announces itself in
 * `<prefix>:workers` (sorted set, score = the worker's clock at its last announcement, every
 * `leaseMs / 3`; ids silent for 3 leases are removed), and a partition's lease
 * `<prefix>:lease:{tx-N}` holds its owner's worker id (a consumer sends only while it holds it).
 * Both are sampled every `intervalMs` (default 200 ms) over a connection of the harness's own.
 *
 * - `watchWorkers(options)`: starts sampling; `announcements()` (per worker id: first and last
 *   announcement seen), `leaseSamples()` (per sample: the owner of every partition), `sendersAt`
 *   (for `attributeDuplicates`), `stop()`.
 * - `leaseHoldersAt(samples, partition, at)`: the owners seen in the last sample at or before
 *   `at` and the first one at or after it, each only when within `LEASE_SAMPLE_MAX_GAP_MS` (1 s) of
 *   `at` (a lease changes hands only when it lapses, 2 s, or is handed back, so one of them held
 *   it at `at`); an empty set when the sampling has a gap there. Pure.
 * - `killedWorkerIds(kills, announcements)`: the worker id each SIGKILL (harness clock, ms, in
 *   any order) killed: among ids not given to an earlier kill, announced first at or before the
 *   kill, the one whose last announcement is the latest at or before the kill and at most
 *   `silenceMs` (default 6 s: the registry's own expiry) before it. A live worker announces
 *   again after the kill, a dead one never does. `undefined` when none fits (the process had not
 *   announced itself yet: it held no lease and sent nothing). Pure.
 * Errors: a failed sample (Redis away: redis-kill) is skipped; the sampler never throws.
 * Lifecycle: `stop()` ends the sampling and closes the connection (idempotent).
 */
import {
  DEFAULT_PARTITIONS,
  leaseKey,
  partitionOf,
  terminalOfTransactionId,
  workersKey,
} from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';

export interface Announcement {
  /** The worker's clock at the first and the last announcement seen (ms). */
  readonly first: number;
  readonly last: number;
}

export interface LeaseSample {
  /** The harness's clock when the answer came (ms). */
  readonly at: number;
  /** The worker id holding each partition's lease, `null` when nobody does. */
  readonly owners: readonly (string | null)[];
}

export interface WorkerWatch {
  announcements(): ReadonlyMap<string, Announcement>;
  leaseSamples(): readonly LeaseSample[];
  /** The worker ids that can have sent `transactionId` at `atMs` (its partition's lease holders). */
  sendersAt(transactionId: string, atMs: number): ReadonlySet<string>;
  stop(): Promise<void>;
}

/** Samples further than this from a moment say nothing about it. */
export const LEASE_SAMPLE_MAX_GAP_MS = 1_000;

/** A worker silent this long before a kill is not the one killed (3 leases of 2 s). */
export const VICTIM_SILENCE_MS = 6_000;

export function partitionOfTransaction(
  transactionId: string,
  partitions = DEFAULT_PARTITIONS,
): number | undefined {
  const terminal = terminalOfTransactionId(transactionId);
  return terminal === undefined ? undefined : partitionOf(terminal, partitions);
}

export function leaseHoldersAt(
  samples: readonly LeaseSample[],
  partition: number,
  at: number,
): Set<string> {
  const maxGapMs = LEASE_SAMPLE_MAX_GAP_MS;
  // samples are in time order: the first one at or after `at`
  let low = 0;
  let high = samples.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((samples[mid]?.at ?? Infinity) < at) low = mid + 1;
    else high = mid;
  }
  const holders = new Set<string>();
  const after = samples[low];
  const before = after !== undefined && after.at === at ? after : samples[low - 1];
  for (const sample of [before, after]) {
    if (sample === undefined || Math.abs(sample.at - at) > maxGapMs) continue;
    const owner = sample.owners[partition];
    if (owner !== undefined && owner !== null) holders.add(owner);
  }
  return holders;
}

export function killedWorkerIds(
  kills: readonly number[],
  announcements: ReadonlyMap<string, Announcement>,
  silenceMs = VICTIM_SILENCE_MS,
): (string | undefined)[] {
  const taken = new Set<string>();
  const result: (string | undefined)[] = kills.map(() => undefined);
  const order = kills.map((at, index) => ({ at, index })).sort((a, b) => a.at - b.at);
  for (const { at, index } of order) {
    let victim: string | undefined;
    let latest = -Infinity;
    for (const [id, seen] of announcements) {
      if (taken.has(id) || seen.first > at || seen.last > at || seen.last < at - silenceMs)
        continue;
      if (seen.last > latest) {
        latest = seen.last;
        victim = id;
      }
    }
    if (victim !== undefined) taken.add(victim);
    result[index] = victim;
  }
  return result;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function watchWorkers(options: {
  url: string;
  prefix: string;
  partitions?: number;
  intervalMs?: number;
}): WorkerWatch {
  const partitions = options.partitions ?? DEFAULT_PARTITIONS;
  const interval = options.intervalMs ?? 200;
  // fails fast while Redis is away (no offline queue): a missed sample is only a gap
  const redis = createRedisConnection({ url: options.url }, 'producer');
  redis.on('error', () => undefined);
  const seen = new Map<string, Announcement>();
  const samples: LeaseSample[] = [];
  const leaseKeys = Array.from({ length: partitions }, (_, partition) =>
    leaseKey(options.prefix, partition),
  );
  const state = { running: true };
  const sampleOnce = async (): Promise<void> => {
    const [workers, owners] = await Promise.all([
      redis.zrange(workersKey(options.prefix), 0, -1, 'WITHSCORES'),
      redis.mget(...leaseKeys),
    ]);
    samples.push({ at: Date.now(), owners });
    for (let i = 0; i + 1 < workers.length; i += 2) {
      const id = workers[i] ?? '';
      const score = Number(workers[i + 1]);
      const known = seen.get(id);
      seen.set(id, {
        first: Math.min(known?.first ?? score, score),
        last: Math.max(known?.last ?? score, score),
      });
    }
  };
  const loop = (async () => {
    while (state.running) {
      await sampleOnce().catch(() => undefined);
      await sleep(interval);
    }
  })();
  let stopped: Promise<void> | undefined;
  return {
    announcements: () => seen,
    leaseSamples: () => samples,
    sendersAt(transactionId, atMs) {
      const partition = partitionOfTransaction(transactionId, partitions);
      return partition === undefined ? new Set() : leaseHoldersAt(samples, partition, atMs);
    },
    stop() {
      stopped ??= (async () => {
        state.running = false;
        await loop;
        redis.disconnect();
      })();
      return stopped;
    },
  };
}
