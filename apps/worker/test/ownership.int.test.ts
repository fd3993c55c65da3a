/**
 * Contract (characterization, issue 15): who consumes a partition, pinned through `buildWorker`
 * before the delivery core is redesigned (docs/delivery.md "Partitions with leased consumers",
 * "The remaining crash window", "Operating it").
 * - A worker whose partition lease is taken from it stops that partition's consumer at its next
 *   lease renewal: no more requests for it (while its other partition keeps retrying), and it moves
 *   none of the jobs (they stay active). Another worker that gets the lease takes them over once
 *   their locks ran out and delivers everything once, in receipt order.
 * - A worker that holds every partition hands partitions back when a second worker joins, until
 *   each holds its share; no job is lost or sent twice, receipt order holds, and both deliver.
 * - A worker configured with another partition count than `<prefix>:meta` refuses to start
 *   (`WorkerStartError`, code PARTITIONS_MISMATCH) and takes nothing.
 * Real Redis (own prefix), workers in this process, the local collector.
 */
import type { MpRequest } from '@pos-ga4/ga4-mp';
import { createLogger } from '@pos-ga4/logger';
import { partitionOf, transactionQueueName } from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';
import type { Transaction } from '@pos-ga4/transaction';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';

import { buildWorker, createMpClients, WorkerStartError } from '../src/index.js';
import type { WorkerConfigInput } from '../src/index.js';
import { sale, until } from './sales.js';
import type { Till } from './sales.js';
import { enqueueThroughSink, rigConfig, startWorkerInProcess, useTestRig } from './test-rig.js';

const rig = useTestRig('ownership');
const HOUR = 3_600_000;

function config(overrides: Partial<WorkerConfigInput> = {}) {
  return rigConfig(rig, 'owner', { retry: { baseMs: 20, maxMs: 100 }, ...overrides });
}

/** Tills of store `store`, the first one found for each of `partitions` partitions in turn. */
function tillsPerPartition(store: string, partitions: number, perPartition: number): Till[] {
  const found = new Map<number, Till[]>();
  for (let n = 1; [...found.values()].flat().length < partitions * perPartition; n++) {
    const till = { storeId: store, terminalId: `till-${n}` };
    const list = found.get(partitionOf(till, partitions)) ?? [];
    if (list.length < perPartition) list.push(till);
    found.set(partitionOf(till, partitions), list);
  }
  return [...found.values()].flat();
}

/** Receipts 1…count of a till, a minute apart from `start`, anonymous. */
function receipts(till: Till, from: number, count: number, start: number): Transaction[] {
  return Array.from({ length: count }, (_, i) =>
    sale(till, from + i, { at: start + (from + i) * 60_000 }),
  );
}

/** How many recorded requests (any status) carry one of `ids`. */
function requestsFor(ids: ReadonlySet<string>): number {
  return rig.collector.store.requests().filter((r) =>
    (r.body as MpRequest).events.some((e) => {
      const id = e.params['transaction_id'];
      return typeof id === 'string' && ids.has(id);
    }),
  ).length;
}

async function untilAsync(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const delivered = (): string[] =>
  rig.collector.store.events().map((event) => String(event.params['transaction_id']));

describe('a worker whose partition lease is taken', () => {
  it('stops sending that partition at its next renewal, leaves its jobs, and the next owner delivers them once in order', async () => {
    // two partitions: p (five receipts held while GA4 answers 503) and q (one receipt, retrying)
    const cfg = config({ partitions: 2 });
    const [tillP, tillQ] = tillsPerPartition('lease-1', 2, 1);
    if (!tillP || !tillQ) throw new Error('no tills');
    const p = partitionOf(tillP, 2);
    const start = Date.now() - HOUR;
    const onP = receipts(tillP, 1, 5, start);
    const onQ = receipts(tillQ, 1, 1, start);
    const idsP = new Set(onP.map((t) => t.transactionId));
    const idsQ = new Set(onQ.map((t) => t.transactionId));
    rig.collector.setFaults({ errorRate: 1 });
    const a = await startWorkerInProcess(rig, cfg);
    expect(a.worker.partitions()).toEqual([0, 1]);
    await enqueueThroughSink(rig, [...onP, ...onQ], cfg.partitions);
    await until(() => a.worker.held().get(p) === 5, 'five held receipts on p');
    await until(() => requestsFor(idsP) >= 2, 'p retrying');

    // someone else owns p now
    const leaseKey = `${rig.redis.prefix}:lease:{tx-${p}}`;
    await rig.redis.redis.set(leaseKey, 'thief', 'PX', 60_000);
    await until(() => !a.worker.partitions().includes(p), 'worker A dropped p', 5_000);
    // a request for p in flight at that moment has settled once q has retried twice more
    const qBefore = requestsFor(idsQ);
    await until(() => requestsFor(idsQ) >= qBefore + 2, 'q retrying');
    const pAfterStop = requestsFor(idsP);
    const qNow = requestsFor(idsQ);
    await until(() => requestsFor(idsQ) >= qNow + 5, 'q retrying five times more');
    expect(requestsFor(idsP)).toBe(pAfterStop);
    expect(a.worker.partitions()).toEqual([1 - p]);
    // the aborted consumer moved none of its jobs: all five are still active
    const connection = createRedisConnection({ url: rig.redis.url }, 'worker');
    const queueP = new Queue(transactionQueueName(p), { connection, prefix: rig.redis.prefix });
    rig.closers.push(async () => {
      await queueP.close();
      connection.disconnect();
    });
    expect(await queueP.getActiveCount()).toBe(5);

    // worker B joins (share 1 each: A, holding q, takes nothing more); then p's lease is free
    const b = await startWorkerInProcess(rig, cfg);
    const bJoinedAt = Date.now();
    expect(b.worker.partitions()).toEqual([]);
    const workersKey = `${rig.redis.prefix}:workers`;
    // A has rebalanced since B announced itself (its announce comes first in a rebalance)
    await untilAsync(
      async () => Number(await rig.redis.redis.zscore(workersKey, a.worker.workerId)) > bJoinedAt,
      'worker A rebalanced with B in view',
    );
    await rig.redis.redis.del(leaseKey);
    rig.collector.setFaults({});
    await until(() => b.worker.partitions().includes(p), 'worker B took p', 5_000);
    await until(() => b.outcomes.length === 5 && a.outcomes.length === 1, 'all delivered', 15_000);

    expect(a.worker.partitions()).toEqual([1 - p]);
    expect(b.outcomes.map((o) => [o.transactionId, o.outcome])).toEqual(
      onP.map((t) => [t.transactionId, 'sent']),
    );
    expect(a.outcomes.map((o) => [o.transactionId, o.outcome])).toEqual(
      onQ.map((t) => [t.transactionId, 'sent']),
    );
    expect(delivered().filter((id) => idsP.has(id))).toEqual(onP.map((t) => t.transactionId));
    expect(delivered().filter((id) => idsQ.has(id))).toEqual(onQ.map((t) => t.transactionId));
  });
});

describe('a second worker joining', () => {
  it('gets partitions handed back until each holds its share, with no job lost or sent twice', async () => {
    const cfg = config();
    const tills = tillsPerPartition('hand-1', cfg.partitions, 2);
    const start = Date.now() - HOUR;
    const firstWave = tills.flatMap((till) => receipts(till, 1, 25, start));
    rig.collector.setFaults({ latencyMs: 40 });
    const a = await startWorkerInProcess(rig, cfg);
    expect(a.worker.partitions()).toHaveLength(cfg.partitions);
    await enqueueThroughSink(rig, firstWave, cfg.partitions);
    await until(() => a.outcomes.length >= tills.length, 'worker A delivering');

    const b = await startWorkerInProcess(rig, cfg);
    const share = cfg.partitions / 2;
    await until(
      () => a.worker.partitions().length === share && b.worker.partitions().length === share,
      'each worker at its share',
      15_000,
    );
    const owned = [...a.worker.partitions(), ...b.worker.partitions()].sort((x, y) => x - y);
    expect(owned).toEqual(Array.from({ length: cfg.partitions }, (_, i) => i));
    // a second wave after the hand-over: both workers deliver their own partitions' receipts
    const secondWave = tills.flatMap((till) => receipts(till, 26, 3, start));
    await enqueueThroughSink(rig, secondWave, cfg.partitions);
    const all = [...firstWave, ...secondWave];
    await until(
      () => a.outcomes.length + b.outcomes.length >= all.length,
      'every receipt settled',
      30_000,
    );

    const outcomes = [...a.outcomes, ...b.outcomes];
    expect(outcomes.every((o) => o.outcome === 'sent')).toBe(true);
    expect(outcomes.map((o) => o.transactionId).sort()).toEqual(
      all.map((t) => t.transactionId).sort(),
    );
    const ids = delivered();
    expect(ids).toHaveLength(all.length);
    expect(new Set(ids).size).toBe(all.length);
    for (const till of tills) {
      const mine = all.filter((t) => t.terminalId === till.terminalId).map((t) => t.transactionId);
      expect(ids.filter((id) => mine.includes(id))).toEqual(mine);
    }
    // the hand-over came while the first wave was under way: B delivered part of it
    const firstIds = new Set(firstWave.map((t) => t.transactionId));
    expect(b.outcomes.filter((o) => firstIds.has(o.transactionId)).length).toBeGreaterThan(0);
    const bPartitions = new Set(b.worker.partitions());
    const secondByB = secondWave.filter((t) => bPartitions.has(partitionOf(t, cfg.partitions)));
    expect(secondByB.length).toBeGreaterThan(0);
    const bIds = new Set(b.outcomes.map((o) => o.transactionId));
    expect(secondByB.every((t) => bIds.has(t.transactionId))).toBe(true);
  });
});

describe('a partition count other than the one Redis was set up with', () => {
  it('makes the worker refuse to start with PARTITIONS_MISMATCH, taking nothing', async () => {
    await rig.redis.redis.hset(`${rig.redis.prefix}:meta`, 'partitions', '8');
    const cfg = config({ partitions: 16 });
    const connection = createRedisConnection({ url: rig.redis.url }, 'worker');
    const mp = createMpClients(cfg);
    try {
      const starting = buildWorker({
        config: cfg,
        connection,
        clients: mp.clients,
        logger: createLogger({ name: 'test', level: 'silent' }),
      });
      await expect(starting).rejects.toBeInstanceOf(WorkerStartError);
      await expect(starting).rejects.toMatchObject({
        code: 'PARTITIONS_MISMATCH',
        message: expect.stringContaining('8 partitions') as unknown,
      });
    } finally {
      await mp.closeAll();
      connection.disconnect();
    }
    expect(await rig.redis.redis.hget(`${rig.redis.prefix}:meta`, 'partitions')).toBe('8');
    expect(await rig.redis.redis.keys(`${rig.redis.prefix}:lease:*`)).toEqual([]);
    expect(await rig.redis.redis.exists(`${rig.redis.prefix}:workers`)).toBe(0);
    // the recorded count starts
    const { worker } = await startWorkerInProcess(rig, config({ partitions: 8 }));
    expect(worker.partitions()).toHaveLength(8);
  });
});
