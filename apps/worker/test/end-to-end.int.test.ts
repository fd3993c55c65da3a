/**
 * The spine, end to end with real parts: journal file → terminal pipeline → BullMQ on the real
 * Redis (unique prefix, removed afterwards) → worker → MP client → the local collector over HTTP.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createLogger } from '@pos-ga4/logger';
import { DEFAULT_PARTITIONS, transactionQueueName } from '@pos-ga4/queue-contract';
import type { DeadLetterJobData } from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';
import {
  bullmqTransactionSink,
  JSONL_FORMAT,
  daysToRecent,
  fileByteSource,
  fileRejectLog,
  readRejects,
  runPipeline,
} from '@pos-ga4/terminal';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { beforeEach, describe, expect, it } from 'vitest';

import { buildWorker, createMpClients, WorkerConfigSchema } from '../src/index.js';
import { useTestRig } from './test-rig.js';
import type { DeliveryOutcome, RunningWorker, WorkerConfigInput } from '../src/index.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../../fixtures/${name}`, import.meta.url));
const DEMO = fixture('receipts/demo-day.jsonl');
const MIXED = fixture('journals/mixed-day.jsonl');

function shiftFor(file: string): number {
  const dates = [...readFileSync(file, 'utf8').matchAll(/"occurredAt":"([^"]+)"/g)].flatMap((m) =>
    m[1] === undefined ? [] : [m[1]],
  );
  return daysToRecent(dates, Date.now());
}

const rig = useTestRig('e2e');

beforeEach(() => {
  outcomes.length = 0;
});

function connection(): Redis {
  const c = createRedisConnection({ url: rig.redis.url }, 'worker');
  rig.closers.push(() => {
    c.disconnect();
    return Promise.resolve();
  });
  return c;
}

const outcomes: DeliveryOutcome[] = [];

async function startWorker(overrides: Partial<WorkerConfigInput> = {}): Promise<RunningWorker> {
  const config = WorkerConfigSchema.parse({
    redis: { url: rig.redis.url, prefix: rig.redis.prefix },
    ga4: { baseUrl: rig.baseUrl, measurementId: 'G-E2E', apiSecret: 'e2e-secret' },
    httpTimeoutMs: 2000,
    retry: { baseMs: 20, maxMs: 200 },
    leaseMs: 3000,
    batch: { windowMs: 20 },
    ...overrides,
  });
  const mp = createMpClients(config);
  const worker = await buildWorker({
    config,
    connection: connection(),
    clients: mp.clients,
    logger: createLogger({ name: 'test', level: 'silent' }),
    onOutcome: (outcome) => outcomes.push(outcome),
  });
  rig.closers.push(async () => {
    await worker.close();
    await mp.closeAll();
  });
  return worker;
}

async function replay(
  file: string,
  options: { shiftDays?: number } = {},
): Promise<{ stats: Awaited<ReturnType<typeof runPipeline>>; rejectsDir: string }> {
  const sink = bullmqTransactionSink({ connection: connection(), prefix: rig.redis.prefix });
  const rejectsDir = mkdtempSync(join(tmpdir(), 'rejects-'));
  const stats = await runPipeline({
    source: fileByteSource(file, { chunkSize: 97 }),
    sink,
    rejects: fileRejectLog(rejectsDir),
    format: JSONL_FORMAT,
    shiftDays: options.shiftDays ?? shiftFor(file),
  });
  await sink.close();
  return { stats, rejectsDir };
}

async function settle(
  expected: number,
  timeoutMs = 20_000,
): Promise<{ completed: number; failed: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failed = outcomes.filter((o) => o.outcome === 'dead-lettered').length;
    const completed = outcomes.length - failed;
    if (outcomes.length >= expected) return { completed, failed };
    if (Date.now() > deadline) throw new Error(`only ${outcomes.length} of ${expected} finished`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function deadLetters(worker: RunningWorker): Promise<DeadLetterJobData[]> {
  return (await worker.deadLetters.getJobs(['waiting'])).map((job) => job.data);
}

describe('end to end: journal → Redis → worker → collector', () => {
  it('delivers every fixture receipt as one purchase event with the right values', async () => {
    await startWorker();
    const { stats } = await replay(DEMO);
    expect(stats).toMatchObject({ receipts: 9, enqueued: 9, rejected: 0 });
    await settle(9);
    const events = rig.collector.store.events();
    expect(events.map((e) => e.name)).toEqual(Array(9).fill('purchase'));
    const byReceipt = new Map(
      events.map((e) => [String(e.params['transaction_id']).split('_').at(-1), e]),
    );
    // receipt 000101: VAT-inclusive 10.77 with 1.72 included tax → value 9.05, scanned client id used as is
    expect(byReceipt.get('000101')).toMatchObject({
      client_id: '1857116524.1675709798',
      params: { value: 9.05, tax: 1.72, currency: 'EUR' },
    });
    // GA cookie form is normalised; tax-exclusive USD
    expect(byReceipt.get('R-88120')).toMatchObject({
      client_id: '998877665.1700000000',
      params: { value: 24.57, currency: 'USD' },
    });
    // no scan: a deterministic pseudo client id in GA's shape
    expect(byReceipt.get('000102')?.client_id).toMatch(/^\d{10}\.\d{10}$/);
    for (const request of rig.collector.store.requests())
      expect(request.validationMessages).toEqual([]);
  });

  it('ignores a second replay of the same receipts (deterministic job ids)', async () => {
    const { stats: first } = await replay(DEMO);
    const { stats: second } = await replay(DEMO);
    expect([first.enqueued, second.enqueued]).toEqual([9, 9]);
    let queued = 0;
    for (let p = 0; p < DEFAULT_PARTITIONS; p++) {
      const queue = new Queue(transactionQueueName(p), {
        connection: connection(),
        prefix: rig.redis.prefix,
      });
      queued += await queue.count();
      await queue.close();
    }
    expect(queued).toBe(9);
    await startWorker();
    await settle(9);
    expect(rig.collector.store.events()).toHaveLength(9);
  });

  it('keeps every bad line with its raw bytes and code, skips voids, sends refunds', async () => {
    await startWorker();
    const { stats, rejectsDir } = await replay(MIXED);
    expect(stats).toMatchObject({
      receipts: 6,
      enqueued: 3,
      rejected: 3,
      rejectedByCode: { TOTALS_MISMATCH: 1, JSON_INVALID: 1, CURRENCY_UNKNOWN: 1 },
    });
    const rejects = readRejects(rejectsDir);
    const lines = readFileSync(MIXED, 'utf8').split('\n');
    expect(rejects.map((r) => Buffer.from(r.rawBase64, 'base64').toString('utf8'))).toEqual([
      lines[3],
      lines[4],
      lines[5],
    ]);
    expect(rejects[0]?.captureRef).toMatch(/^mixed-day\.jsonl@\d+\+\d+$/);
    const { completed } = await settle(3);
    expect(completed).toBe(3);
    expect(
      rig.collector.store
        .events()
        .map((e) => e.name)
        .sort(),
    ).toEqual(['purchase', 'refund']);
    const refund = rig.collector.store.events({ name: 'refund' })[0];
    expect(refund?.params['items']).toHaveLength(1);
  });

  it('retries 5xx and 429 until delivered, once each', async () => {
    rig.collector.setFaults({ errorRate: 0.35, rateLimitRate: 0.1, retryAfterSeconds: 0, seed: 3 });
    await startWorker();
    await replay(DEMO);
    const { completed } = await settle(9, 40_000);
    expect(completed).toBe(9);
    const delivered = rig.collector.store.events();
    expect(new Set(delivered.map((e) => e.params['transaction_id'])).size).toBe(9);
    expect(delivered).toHaveLength(9);
    expect(rig.collector.store.requests().some((r) => r.fault !== 'none')).toBe(true);
  });

  it('dead-letters a 4xx with reason, transaction and last request, and never resends it', async () => {
    rig.collector.setFaults({ badRequestRate: 1 });
    const worker = await startWorker();
    await replay(DEMO);
    const { failed } = await settle(9);
    expect(failed).toBe(9);
    const letters = await deadLetters(worker);
    expect(letters).toHaveLength(9);
    expect(letters[0]).toMatchObject({
      reason: 'HTTP_4XX',
      attempts: 1,
      lastRequest: { client_id: expect.any(String) as unknown },
    });
    expect(rig.collector.store.requests()).toHaveLength(9);
    expect(JSON.stringify(letters)).not.toContain('e2e-secret');
  });

  it('dead-letters receipts older than the backdating window as TOO_OLD, or re-dates them by setting', async () => {
    const worker = await startWorker();
    await replay(DEMO, { shiftDays: shiftFor(DEMO) - 4 });
    await settle(9);
    expect((await deadLetters(worker)).map((l) => l.reason)).toEqual(Array(9).fill('TOO_OLD'));
    expect(rig.collector.store.requests()).toHaveLength(0);
  });

  it('re-dates old receipts and flags them when configured', async () => {
    await startWorker({ mapping: { tooOld: 'redate' } });
    await replay(DEMO, { shiftDays: shiftFor(DEMO) - 4 });
    await settle(9);
    const events = rig.collector.store.events();
    expect(events).toHaveLength(9);
    expect(events.every((e) => e.params['pos_redated'] === 1)).toBe(true);
  });

  it('in debug mode asks /debug/mp/collect and delivers nothing to reports', async () => {
    await startWorker({
      ga4: { baseUrl: rig.baseUrl, measurementId: 'G-E2E', apiSecret: 'e2e-secret', debug: true },
    });
    await replay(DEMO);
    const { completed } = await settle(9);
    expect(completed).toBe(9);
    expect(rig.collector.store.requests().map((r) => r.endpoint)).toEqual(Array(9).fill('debug'));
    expect(rig.collector.store.events()).toEqual([]);
  });

  it('on close finishes in flight, hands held jobs back in order and releases its leases; the next worker delivers the rest once', async () => {
    rig.collector.setFaults({ latencyMs: 30 });
    const first = await startWorker();
    await replay(DEMO);
    await settle(2);
    await first.close();
    const delivered = outcomes.length;
    expect(delivered).toBeLessThan(9);
    let active = 0;
    for (let p = 0; p < DEFAULT_PARTITIONS; p++) {
      const queue = new Queue(transactionQueueName(p), {
        connection: connection(),
        prefix: rig.redis.prefix,
      });
      active += await queue.getActiveCount();
      await queue.close();
      expect(await connection().get(`${rig.redis.prefix}:lease:{tx-${p}}`)).toBeNull();
    }
    expect(active).toBe(0);
    await startWorker();
    await settle(9);
    const ids = rig.collector.store.events().map((e) => e.params['transaction_id']);
    expect(ids).toHaveLength(9);
    expect(new Set(ids).size).toBe(9);
  });

  it('routes each store to its GA4 property', async () => {
    await startWorker({
      properties: { us: { baseUrl: rig.baseUrl, measurementId: 'G-US', apiSecret: 'us-secret' } },
      routes: { 'nyc-05': 'us' },
    });
    await replay(DEMO);
    await settle(9);
    const byStream = new Map<string, string[]>();
    for (const request of rig.collector.store.requests()) {
      const ids = rig.collector.store
        .events()
        .filter((e) => e.requestId === request.id)
        .map((e) => String(e.params['transaction_id']));
      byStream.set(request.measurementId ?? '', [
        ...(byStream.get(request.measurementId ?? '') ?? []),
        ...ids,
      ]);
    }
    expect(byStream.get('G-US')?.every((id) => id.startsWith('nyc-05_'))).toBe(true);
    expect(byStream.get('G-US')).toHaveLength(3);
    expect(byStream.get('G-E2E')?.some((id) => id.startsWith('nyc-05_'))).toBe(false);
  });
});
