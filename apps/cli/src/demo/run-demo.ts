/**
 * The main job on embedded defaults: Redis (existing or private), the local collector on a free
 * port, a worker pointed at it, and the fixture receipts replayed through the terminal pipeline
 * (dates moved to the last day, since GA4 accepts at most 72 h). Waits until every receipt is
 * accounted for (delivered, skipped, dead-lettered, or rejected), then returns the summary:
 * counts, events at the collector by name (`purchase`, `refund`), and, read from the collector's
 * JSON API, revenue per currency (gross / refunded / net) and the transactions whose refunds GA4
 * nets against their purchase (`netted`: purchase, refunded, net).
 * Everything it starts is stopped and its Redis keys (a unique prefix) are removed, unless
 * `keepOpen` is set, in which case `close()` is returned to the caller.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildCollector } from '@pos-ga4/collector';
import type { RealtimeStats, RevenueTotal, TransactionNet } from '@pos-ga4/collector';
import type { Logger } from '@pos-ga4/logger';
import { createRedisConnection, deleteKeysWithPrefix } from '@pos-ga4/redis';
import {
  bullmqTransactionSink,
  JSONL_FORMAT,
  daysToRecent,
  fileByteSource,
  fileRejectLog,
  runPipeline,
} from '@pos-ga4/terminal';
import type { TransactionSink } from '@pos-ga4/terminal';
import { buildWorker, createMpClients, WorkerConfigSchema } from '@pos-ga4/worker';

import { fixtureReceiptsDir } from '../repo-paths.js';

import { resolveDemoRedis } from './demo-redis.js';

/** A purchase and the refunds counted against it (same transaction id), from the collector. */
export interface NettedTransaction {
  transactionId: string;
  purchase: number;
  refunded: number;
  net: number;
  currency: string;
}

export interface DemoSummary {
  receipts: number;
  rejected: number;
  enqueued: number;
  /** Enqueued transactions by kind (`sale`, `refund`, `void`). */
  enqueuedByKind: Record<string, number>;
  delivered: number;
  skipped: number;
  deadLettered: number;
  requests: number;
  /** Events the collector received, by name (`purchase`, `refund`). */
  events: Record<string, number>;
  /** Revenue per currency at the collector: gross, refunded, net. */
  revenue: RevenueTotal[];
  /** Transactions with a purchase and at least one refund netted against it. */
  netted: NettedTransaction[];
  collectorUrl: string;
  redis: { url: string; origin: 'existing' | 'private'; version: string };
  durationMs: number;
}

export interface DemoOptions {
  readonly redisUrl: string;
  readonly logger: Logger;
  readonly fixturesDir?: string;
  readonly timeoutMs?: number;
  readonly keepOpen?: boolean;
  readonly port?: number;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** Purchases with refunds netted against them, as the collector's API reports them. */
function nettedOf(transactions: readonly TransactionNet[]): NettedTransaction[] {
  return transactions.flatMap((t) =>
    t.purchase === null || t.refunds === 0
      ? []
      : [
          {
            transactionId: t.transactionId,
            purchase: t.purchase,
            refunded: t.refunded,
            net: t.net,
            currency: t.currency,
          },
        ],
  );
}

function occurredAtOf(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      const match = /"occurredAt"\s*:\s*"([^"]+)"/.exec(line);
      return match?.[1] === undefined ? [] : [match[1]];
    });
}

export async function runDemo(
  options: DemoOptions,
): Promise<{ summary: DemoSummary; close: () => Promise<void> }> {
  const started = Date.now();
  const redisInfo = await resolveDemoRedis(options.redisUrl);
  const prefix = `pos-ga4-demo-${randomUUID().slice(0, 8)}`;
  const collector = buildCollector();
  const address = await collector.app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const config = WorkerConfigSchema.parse({
    redis: { url: redisInfo.url, prefix },
    ga4: { baseUrl: address, measurementId: 'G-DEMO000000', apiSecret: 'demo-api-secret' },
  });
  const workerConnection = createRedisConnection(config.redis, 'worker');
  // the demo's producer may wait for Redis: it was just checked or started
  const producerConnection = createRedisConnection(config.redis, 'worker');
  const mp = createMpClients(config);
  const outcomes = { sent: 0, skipped: 0, deadLettered: 0 };
  const worker = await buildWorker({
    config,
    connection: workerConnection,
    clients: mp.clients,
    logger: options.logger,
    onOutcome: (outcome) => {
      if (outcome.outcome === 'sent' || outcome.outcome === 'deduplicated') outcomes.sent++;
      else if (outcome.outcome === 'skipped') outcomes.skipped++;
      else outcomes.deadLettered++;
    },
  });

  const close = async (): Promise<void> => {
    await worker.close();
    await mp.closeAll();
    await collector.app.close();
    await deleteKeysWithPrefix(producerConnection, prefix).catch(() => 0);
    workerConnection.disconnect();
    producerConnection.disconnect();
    await redisInfo.stop();
  };

  try {
    const dir = options.fixturesDir ?? fixtureReceiptsDir();
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .sort()
      .map((f) => join(dir, f));
    const shiftDays = daysToRecent(files.flatMap(occurredAtOf), Date.now());
    const queueSink = bullmqTransactionSink({ connection: producerConnection, prefix });
    const enqueuedByKind: Record<string, number> = {};
    // counts what the queue took, by kind (a refused id collision is not counted)
    const sink: TransactionSink = {
      async enqueue(transactions, onCollision) {
        const refused = new Set<(typeof transactions)[number]>();
        await queueSink.enqueue(
          transactions,
          onCollision &&
            ((collision) => {
              refused.add(collision.transaction);
              onCollision(collision);
            }),
        );
        for (const t of transactions)
          if (!refused.has(t)) enqueuedByKind[t.kind] = (enqueuedByKind[t.kind] ?? 0) + 1;
      },
      close: () => queueSink.close(),
    };
    const rejects = fileRejectLog(mkdtempSync(join(tmpdir(), 'pos-ga4-demo-rejects-')));
    let receipts = 0;
    let rejected = 0;
    let enqueued = 0;
    for (const file of files) {
      const stats = await runPipeline({
        source: fileByteSource(file),
        sink,
        rejects,
        format: JSONL_FORMAT,
        shiftDays,
      });
      receipts += stats.receipts;
      rejected += stats.rejected;
      enqueued += stats.enqueued;
    }
    await sink.close();

    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    while (outcomes.sent + outcomes.skipped + outcomes.deadLettered < enqueued) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out: ${JSON.stringify(outcomes)} of ${enqueued} transactions finished`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const { sent: delivered, skipped, deadLettered } = outcomes;
    const events: Record<string, number> = {};
    for (const event of collector.store.events())
      events[event.name] = (events[event.name] ?? 0) + 1;
    const stats = await getJson<RealtimeStats>(`${address}/api/stats`);
    const transactions = await getJson<TransactionNet[]>(`${address}/api/transactions`);
    const summary: DemoSummary = {
      receipts,
      rejected,
      enqueued,
      enqueuedByKind,
      delivered,
      skipped,
      deadLettered,
      requests: collector.store.requests().filter((r) => r.endpoint === 'collect').length,
      events,
      revenue: [...stats.revenueTotals],
      netted: nettedOf(transactions),
      collectorUrl: address,
      redis: { url: redisInfo.url, origin: redisInfo.origin, version: redisInfo.version },
      durationMs: Date.now() - started,
    };
    if (options.keepOpen === true) return { summary, close };
    await close();
    return { summary, close: () => Promise.resolve() };
  } catch (error) {
    await close();
    throw error;
  }
}
