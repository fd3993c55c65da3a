/**
 * build(deps) → a running worker; `main` (the CLI) only reads config and handles signals.
 *
 * A worker takes a fair share of the partitions (leases, lease/partition-leases.ts) and runs one
 * PartitionConsumer for each: ordered, batched delivery through the client and terminal
 * barriers, the sent-ledger, identity lookups, store → property routing, and dead letters (see
 * docs/delivery.md for the guarantees and the design). Leases are renewed every third of
 * `leaseMs`; a lost lease aborts its consumer at once; when workers join or leave, partitions are
 * rebalanced (a worker above its share hands partitions back gracefully).
 * Lifecycle: `close()` stops consumers gracefully within `shutdownTimeoutMs`, hands held jobs back
 * in order, releases leases and closes the queues. The connection and MP clients passed in are
 * owned by the caller.
 */
import { randomUUID } from 'node:crypto';

import type { MpClient } from '@pos-ga4/ga4-mp';
import type { Logger } from '@pos-ga4/logger';
import {
  ClientBarrier,
  metaKey,
  partitionOf,
  QUEUE_NAMES,
  recordedPartitions,
  terminalOfTransactionId,
  transactionQueueName,
} from '@pos-ga4/queue-contract';
import type { DeadLetterJobData } from '@pos-ga4/queue-contract';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

import type { WorkerConfig } from './config.js';
import { PartitionLeases } from './lease/partition-leases.js';
import { SentLedger } from './ledger/sent-ledger.js';
import { CachedIdentityLookup, IdentityStore } from './lookup/identity-store.js';
import type { WorkerErrorCode } from './outcome/worker-error-codes.js';
import { PartitionConsumer } from './schedule/partition-consumer.js';
import { RequestSlots } from './send/request-slots.js';
import type {
  DeliveryOutcome,
  RequestInfo,
  TransactionStatus,
} from './schedule/partition-consumer.js';

export class WorkerStartError extends Error {
  override readonly name = 'WorkerStartError';
  readonly code = 'PARTITIONS_MISMATCH' satisfies WorkerErrorCode;
}

export interface WorkerDeps {
  readonly config: WorkerConfig;
  /** Used for BullMQ and for the worker's own keys; must allow blocking (maxRetriesPerRequest: null). */
  readonly connection: Redis;
  /** One MP client per property name (`default` is `ga4`). */
  readonly clients: ReadonlyMap<string, MpClient>;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly workerId?: string;
  readonly onOutcome?: (outcome: DeliveryOutcome) => void;
  /** Each request to GA4 once its outcome is known (events, bytes, duration; metrics). */
  readonly onRequest?: (info: RequestInfo) => void;
}

export interface RunningWorker {
  readonly workerId: string;
  readonly deadLetters: Queue<DeadLetterJobData>;
  /** Partitions this worker consumes right now. */
  partitions(): number[];
  /** Jobs each owned partition holds right now (fetched, not yet settled). */
  held(): ReadonlyMap<number, number>;
  close(): Promise<void>;
}

function shuffled(count: number): number[] {
  const list = Array.from({ length: count }, (_, i) => i);
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [list[i], list[j]] = [list[j] ?? 0, list[i] ?? 0];
  }
  return list;
}

export async function buildWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const { config, connection: redis, logger } = deps;
  const prefix = config.redis.prefix;
  const now = deps.now ?? Date.now;
  const workerId = deps.workerId ?? randomUUID();
  const log = logger.child({ workerId });

  await redis.hsetnx(metaKey(prefix), 'partitions', String(config.partitions));
  const recorded = await recordedPartitions(redis, prefix);
  if (recorded !== config.partitions) {
    throw new WorkerStartError(
      `this Redis is set up for ${recorded ?? 'an unreadable number of'} partitions, the config says ${config.partitions}; see docs/delivery.md to change it`,
    );
  }

  // The worker's own keys (leases, ledger, barriers, identities) go over a connection of their
  // own with auto-pipelining: the small commands every partition issues in one event-loop turn
  // leave in one write (measured: one socket write per command was the worker's largest cost).
  // Not on the BullMQ connection: BullMQ loads its ~50 scripts there and ioredis copies them into
  // every pipeline.
  const keys = redis.duplicate({ enableAutoPipelining: true });
  keys.on('error', (error) => {
    log.debug({ err: error }, 'redis connection (worker keys)');
  });
  const leases = new PartitionLeases({ redis: keys, prefix, workerId, leaseMs: config.leaseMs });
  const ledger = new SentLedger({ redis: keys, prefix });
  const barrier = new ClientBarrier({ redis: keys, prefix });
  const identities = new CachedIdentityLookup({
    store: new IdentityStore({ redis: keys, prefix }),
    ttlMs: config.identityCache.ttlMs,
    maxEntries: config.identityCache.maxEntries,
  });
  const deadLetters = new Queue<DeadLetterJobData>(QUEUE_NAMES.deadLetter, {
    connection: redis,
    prefix,
  });
  const queues = new Map<number, Queue>();
  const queueOf = (partition: number): Queue => {
    let queue = queues.get(partition);
    if (!queue) {
      queue = new Queue(transactionQueueName(partition), { connection: redis, prefix });
      queues.set(partition, queue);
    }
    return queue;
  };

  /**
   * Where a transaction stands anywhere in the system: sent (ledger or completed), pending,
   * dead-lettered, or unknown; with its sent-ledger entry when it has one (a refund's purchase:
   * whom it was sent for). One ledger read.
   */
  const transactionStatus = async (transactionId: string): Promise<TransactionStatus> => {
    const terminal = terminalOfTransactionId(transactionId);
    if (!terminal) return { state: 'unknown' };
    const partition = partitionOf(terminal, config.partitions);
    const entry = (await ledger.lookup(partition, [transactionId])).get(transactionId);
    if (entry) return { state: 'sent', entry };
    const state = await queueOf(partition).getJobState(transactionId);
    if (state === 'completed') return { state: 'sent' };
    if (state === 'failed') return { state: 'failed' };
    return { state: state === 'unknown' ? 'unknown' : 'pending' };
  };

  // The partition consumers' BullMQ traffic (a claim and a finish script per job, issued in
  // parallel rounds) also goes auto-pipelined, on one connection of its own. They never block on
  // it (they poll with `block: false`).
  const jobs = redis.duplicate({ enableAutoPipelining: true });
  jobs.on('error', (error) => {
    log.debug({ err: error }, 'redis connection (jobs)');
  });
  const slots = new RequestSlots(config.concurrency);
  const consumers = new Map<number, PartitionConsumer>();
  const startConsumer = (partition: number, acquiredAt: number): void => {
    const consumer = new PartitionConsumer({
      partition,
      workerId,
      config,
      connection: jobs,
      ledger,
      barrier,
      identities,
      clients: deps.clients,
      slots,
      deadLetters,
      logger: log,
      transactionStatus,
      now,
      ...(deps.onOutcome === undefined ? {} : { onOutcome: deps.onOutcome }),
      ...(deps.onRequest === undefined ? {} : { onRequest: deps.onRequest }),
    });
    consumers.set(partition, consumer);
    consumer.leaseRenewed(acquiredAt);
    consumer.start();
    log.info({ partition }, 'partition acquired');
  };

  const state = { closing: false };
  const isClosing = (): boolean => state.closing;
  const rebalance = async (): Promise<void> => {
    const live = Math.max(1, await leases.announce(now()));
    const share = Math.ceil(config.partitions / live);
    for (const [partition, consumer] of consumers) {
      const renewing = now();
      if (await leases.renew(partition)) consumer.leaseRenewed(renewing);
      else {
        log.warn({ partition }, 'lease lost; stopping at once');
        consumers.delete(partition);
        await consumer.abort();
      }
    }
    if (isClosing()) return;
    if (consumers.size > share) {
      const [partition, consumer] = [...consumers][0] ?? [];
      if (partition !== undefined && consumer) {
        consumers.delete(partition);
        await consumer.stop(config.shutdownTimeoutMs);
        await leases.release(partition);
        log.info({ partition, share }, 'partition handed back');
      }
    }
    for (const partition of shuffled(config.partitions)) {
      if (consumers.size >= share || isClosing()) break;
      const acquiring = now();
      if (!consumers.has(partition) && (await leases.tryAcquire(partition)))
        startConsumer(partition, acquiring);
    }
  };

  let rebalancing = rebalance();
  await rebalancing;
  const timer = setInterval(
    () => {
      rebalancing = rebalancing.then(rebalance).catch((error: unknown) => {
        log.error({ err: error }, 'lease maintenance failed');
      });
    },
    Math.max(200, Math.floor(config.leaseMs / 3)),
  );

  let closed: Promise<void> | undefined;
  return {
    workerId,
    deadLetters,
    partitions: () => [...consumers.keys()].sort((a, b) => a - b),
    held: () => new Map([...consumers].map(([partition, consumer]) => [partition, consumer.held])),
    close() {
      // idempotent: a second call waits for the first (the worker's own connections close once)
      closed ??= (async () => {
        state.closing = true;
        clearInterval(timer);
        await rebalancing.catch(() => undefined);
        await Promise.all(
          [...consumers].map(async ([partition, consumer]) => {
            await consumer.stop(config.shutdownTimeoutMs);
            await leases.release(partition);
          }),
        );
        consumers.clear();
        await leases.withdraw();
        await Promise.all([...queues.values()].map((queue) => queue.close()));
        await deadLetters.close();
        for (const own of [keys, jobs])
          await own.quit().catch(() => {
            own.disconnect();
          });
      })();
      return closed;
    },
  };
}
