/**
 * Transaction id collisions against a real Redis (a key prefix of the test's own, deleted after):
 * a different receipt under an id that is already taken becomes a `TRANSACTION_ID_COLLISION`
 * reject with its raw bytes kept and counted in the terminal's reject metric, whether the queue
 * finds it at hand-over (another terminal process used the id) or the terminal finds it before
 * its spool; the replay path (pipeline straight into the BullMQ sink) reports it the same way.
 * An identical re-send, also written with another UTC offset for the same instant, stays a
 * silent no-op: no reject, no second job.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createLogger } from '@pos-ga4/logger';
import { createMetricsRegistry } from '@pos-ga4/metrics';
import {
  FINGERPRINT_TTL_SECONDS,
  fingerprintKey,
  partitionOf,
  transactionQueueName,
} from '@pos-ga4/queue-contract';
import type { TransactionJobData } from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';
import { redisTestResource } from '@pos-ga4/testkit';
import type { RedisTestResource } from '@pos-ga4/testkit';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';

import {
  bullmqTransactionSink,
  buildTerminal,
  createTerminalMetrics,
  fileByteSource,
  fileRejectLog,
  JSONL_FORMAT,
  readRejects,
  runPipeline,
  TerminalConfigSchema,
} from '../src/index.js';
import type { RunningTerminal, TerminalMetrics } from '../src/index.js';

const STORE = { storeId: 'berlin-01', terminalId: 'till-1' } as const;
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

/** One journal line: receipt `receipt` selling `quantity` pens at `occurredAt`. */
function line(receipt: string, occurredAt: string, quantity = 1): string {
  return JSON.stringify({
    receiptNumber: receipt,
    kind: 'sale',
    occurredAt,
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: [{ sku: 'A', name: 'Pen', quantity, unitPrice: 100, lineTotal: 100 * quantity }],
    subtotal: 100 * quantity,
    tax: 0,
    total: 100 * quantity,
  });
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-ga4-collide-'));
  closers.push(() => {
    rmSync(dir, { recursive: true, force: true });
    return Promise.resolve();
  });
  return dir;
}

function journal(dir: string, name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
  return path;
}

/** Where line `index` of `lines` sits in its journal, as the file source's capture reference. */
function refOf(name: string, lines: readonly string[], index: number): string {
  const offset = lines.slice(0, index).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
  return `${name}@${offset}+${Buffer.byteLength(lines[index] ?? '')}`;
}

function redisFor(name: string): RedisTestResource {
  const redis = redisTestResource(name);
  closers.push(() => redis.cleanup());
  return redis;
}

/** The jobs of this store's till, by job id, with the pen count each one sells. */
async function queued(redis: RedisTestResource): Promise<Map<string, number>> {
  const queue = new Queue<TransactionJobData>(transactionQueueName(partitionOf(STORE, 8)), {
    connection: redis.redis,
    prefix: redis.prefix,
  });
  try {
    const jobs = await queue.getJobs(['wait'], 0, -1, true);
    return new Map(jobs.map((j) => [j.id ?? '', j.data.transaction.lines[0]?.quantity ?? 0]));
  } finally {
    await queue.close();
  }
}

async function runTerminal(
  redis: RedisTestResource,
  dataDir: string,
  path: string,
): Promise<{ terminal: RunningTerminal; metrics: TerminalMetrics }> {
  const connection = createRedisConnection({ url: redis.url }, 'producer');
  connection.on('error', () => undefined);
  closers.push(() => {
    connection.disconnect();
    return Promise.resolve();
  });
  const metrics = createTerminalMetrics(createMetricsRegistry({ defaultMetrics: false }));
  const terminal = await buildTerminal({
    config: TerminalConfigSchema.parse({
      ...STORE,
      timeZone: 'Europe/Berlin',
      redis: { url: redis.url, prefix: redis.prefix },
      dataDir,
      sources: [{ type: 'file', path, format: 'jsonl' }],
    }),
    redis: connection,
    logger: createLogger({ name: 'collide', level: 'silent' }),
    metrics,
  });
  await terminal.sourcesDone;
  await terminal.sink.flush({ timeoutMs: 10_000 });
  await terminal.close();
  return { terminal, metrics };
}

const rejectedCount = async (metrics: TerminalMetrics): Promise<string | undefined> =>
  /pos_ga4_receipts_rejected_total\{code="TRANSACTION_ID_COLLISION"\} (\d+)/.exec(
    await metrics.registry.metrics(),
  )?.[1];

describe('transaction id collisions', () => {
  it('rejects a different receipt under an id the queue has, keeping its raw bytes; an identical re-send is silent', async () => {
    const redis = redisFor('collide-queue');
    const dir = tempDir();
    const day1 = [
      line('0001', '2026-11-26T10:00:00+01:00', 1),
      line('0002', '2026-11-26T10:05:00+01:00', 2),
    ];
    const first = await runTerminal(redis, join(dir, 'till-a'), journal(dir, 'day1.jsonl', day1));
    expect(readRejects(join(dir, 'till-a', 'rejects'))).toEqual([]);

    // A second terminal process with the same ids (a reinstalled till, or a second till
    // configured as till-1): 0001 is the same sale written in UTC, 0002 is another sale.
    const day2 = [
      line('0001', '2026-11-26T09:00:00Z', 1),
      line('0002', '2026-11-26T16:30:00+01:00', 5),
      line('0003', '2026-11-26T16:31:00+01:00', 3),
    ];
    const second = await runTerminal(redis, join(dir, 'till-b'), journal(dir, 'day2.jsonl', day2));

    expect(await queued(redis)).toEqual(
      new Map([
        ['berlin-01_till-1_20261126_0001', 1],
        ['berlin-01_till-1_20261126_0002', 2],
        ['berlin-01_till-1_20261126_0003', 3],
      ]),
    );
    const rejects = readRejects(join(dir, 'till-b', 'rejects'));
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({
      code: 'TRANSACTION_ID_COLLISION',
      format: 'jsonl',
      captureRef: refOf('day2.jsonl', day2, 1),
      issues: [{ path: 'transactionId', code: 'TRANSACTION_ID_COLLISION' }],
    });
    expect(rejects[0]?.reason).toContain('berlin-01_till-1_20261126_0002');
    expect(Buffer.from(rejects[0]?.rawBase64 ?? '', 'base64').toString('utf8')).toBe(day2[1]);
    expect(await rejectedCount(second.metrics)).toBe('1');
    expect(await rejectedCount(first.metrics)).toBeUndefined();
    expect(second.terminal.sink.status()).toMatchObject({ depth: 0, handedOver: 3 });
    // the fingerprint that told them apart, in the partition's slot, kept 8 days
    const fingerprint = fingerprintKey(
      redis.prefix,
      partitionOf(STORE, 8),
      'berlin-01_till-1_20261126_0002',
    );
    expect(fingerprint).toContain(':fp:{tx-');
    expect(await redis.redis.ttl(fingerprint)).toBeGreaterThan(FINGERPRINT_TTL_SECONDS - 60);

    // The whole first day again (a replay of its journal): nothing new, nothing rejected.
    await runTerminal(redis, join(dir, 'till-c'), journal(dir, 'day1-again.jsonl', day1));
    expect(readRejects(join(dir, 'till-c', 'rejects'))).toEqual([]);
    expect((await queued(redis)).size).toBe(3);
  });

  it('rejects a collision within one terminal before its spool', async () => {
    const redis = redisFor('collide-spool');
    const dir = tempDir();
    const day = [
      line('0005', '2026-11-26T11:00:00+01:00', 1),
      line('0005', '2026-11-26T18:00:00+01:00', 4),
      line('0005', '2026-11-26T10:00:00Z', 1),
    ];
    const { terminal, metrics } = await runTerminal(
      redis,
      join(dir, 'till'),
      journal(dir, 'day.jsonl', day),
    );
    expect(await terminal.sourcesDone).toEqual([
      {
        receipts: 3,
        enqueued: 2,
        rejected: 1,
        rejectedByCode: { TRANSACTION_ID_COLLISION: 1 },
      },
    ]);
    const rejects = readRejects(join(dir, 'till', 'rejects'));
    expect(rejects.map((r) => [r.code, r.captureRef])).toEqual([
      ['TRANSACTION_ID_COLLISION', refOf('day.jsonl', day, 1)],
    ]);
    expect(rejects[0]?.reason).toContain("this terminal's spool");
    expect(Buffer.from(rejects[0]?.rawBase64 ?? '', 'base64').toString('utf8')).toBe(day[1]);
    expect(await rejectedCount(metrics)).toBe('1');
    expect(await queued(redis)).toEqual(new Map([['berlin-01_till-1_20261126_0005', 1]]));
  });

  it('reports it on the replay path too (pipeline into the BullMQ sink)', async () => {
    const redis = redisFor('collide-replay');
    const dir = tempDir();
    // the replay command's connection: commands wait for the connection instead of failing fast
    const connection = createRedisConnection({ url: redis.url }, 'worker');
    closers.push(() => {
      connection.disconnect();
      return Promise.resolve();
    });
    const sink = bullmqTransactionSink({ connection, prefix: redis.prefix });
    closers.push(() => sink.close());
    const replay = async (name: string, lines: readonly string[]) =>
      runPipeline({
        source: fileByteSource(journal(dir, name, lines)),
        sink,
        rejects: fileRejectLog(join(dir, 'rejects')),
        format: JSONL_FORMAT,
        ...STORE,
        timeZone: 'Europe/Berlin',
      });
    // 23:30 UTC on the 25th is already the 26th in Berlin
    const day = [line('0007', '2026-11-25T23:30:00Z', 1)];
    expect(await replay('day.jsonl', day)).toMatchObject({ enqueued: 1, rejected: 0 });
    expect(await queued(redis)).toEqual(new Map([['berlin-01_till-1_20261126_0007', 1]]));

    const other = [
      line('0007', '2026-11-26T00:30:00+01:00', 1),
      line('0007', '2026-11-26T09:00:00+01:00', 2),
    ];
    expect(await replay('other.jsonl', other)).toEqual({
      receipts: 2,
      enqueued: 1,
      rejected: 1,
      rejectedByCode: { TRANSACTION_ID_COLLISION: 1 },
    });
    const rejects = readRejects(join(dir, 'rejects'));
    expect(rejects.map((r) => [r.code, r.captureRef])).toEqual([
      ['TRANSACTION_ID_COLLISION', refOf('other.jsonl', other, 1)],
    ]);
    expect(Buffer.from(rejects[0]?.rawBase64 ?? '', 'base64').toString('utf8')).toBe(other[1]);
    expect(await queued(redis)).toEqual(new Map([['berlin-01_till-1_20261126_0007', 1]]));
  });
});
