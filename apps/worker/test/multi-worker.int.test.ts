/**
 * Ordered, exactly-once-in-effect delivery with real worker processes (`pos-ga4 worker`), the
 * real Redis (own prefix) and the local collector injecting 5xx, 429, timeouts and resets.
 * Every transaction is accounted for; per terminal the first deliveries follow receipt order,
 * per client they follow occurredAt; `kill -9` of a worker loses nothing.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildCollector } from '@pos-ga4/collector';
import type { Collector, RecordedEvent } from '@pos-ga4/collector';
import { createRedisConnection } from '@pos-ga4/redis';
import { bullmqTransactionSink } from '@pos-ga4/terminal';
import { redisTestResource } from '@pos-ga4/testkit';
import type { RedisTestResource } from '@pos-ga4/testkit';
import { completeTransaction } from '@pos-ga4/transaction';
import type { Transaction } from '@pos-ga4/transaction';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'node_modules', '.bin', 'pos-ga4');

let redis: RedisTestResource;
let collector: Collector;
let baseUrl: string;
const workers: ChildProcess[] = [];

beforeEach(async () => {
  redis = redisTestResource('multi');
  collector = buildCollector();
  baseUrl = await collector.app.listen({ port: 0, host: '127.0.0.1' });
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map(stopWorker));
  await collector.app.close();
  await redis.cleanup();
});

function startWorker(): ChildProcess {
  const child = spawn(BIN, ['worker'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      REDIS_URL: redis.url,
      POS_GA4_REDIS__PREFIX: redis.prefix,
      GA4_MEASUREMENT_ID: 'G-MULTI',
      GA4_API_SECRET: 'multi-secret',
      POS_GA4_GA4__BASE_URL: baseUrl,
      POS_GA4_LEASE_MS: '2000',
      POS_GA4_RETRY__BASE_MS: '30',
      POS_GA4_RETRY__MAX_MS: '300',
      POS_GA4_HTTP_TIMEOUT_MS: '400',
      POS_GA4_BATCH__WINDOW_MS: '20',
      POS_GA4_CONCURRENCY: '4',
      POS_GA4_LOG__LEVEL: process.env['DEBUG_WORKERS'] === '1' ? 'info' : 'warn',
    },
  });
  child.stdout.on('data', (chunk: Buffer) => {
    if (process.env['DEBUG_WORKERS'] === '1') process.stderr.write(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    if (process.env['DEBUG_WORKERS'] === '1') process.stderr.write(chunk);
  });
  workers.push(child);
  return child;
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** 12 terminals × 25 receipts; 30 customers, many buying at several stores; 40 % anonymous. */
function workload(now: number): Transaction[] {
  const out: Transaction[] = [];
  let rng = 7;
  const random = (): number => {
    rng = (rng * 1103515245 + 12345) % 2147483648;
    return rng / 2147483648;
  };
  for (let r = 0; r < 25; r++) {
    for (let t = 0; t < 12; t++) {
      const occurredAt = new Date(now - 2 * 3600_000 + (r * 12 + t) * 7_000)
        .toISOString()
        .replace('Z', '+00:00');
      const client =
        random() < 0.6 ? `${1_000_000_000 + Math.floor(random() * 30)}.1700000000` : undefined;
      const result = completeTransaction({
        storeId: `store-${t % 6}`,
        terminalId: `till-${Math.floor(t / 6)}`,
        receiptNumber: String(1000 + r),
        kind: 'sale',
        occurredAt,
        currency: 'EUR',
        pricesIncludeTax: true,
        lines: [
          { sku: `SKU-${r}`, name: 'Item', quantity: 1, unitPrice: 100 + r, lineTotal: 100 + r },
        ],
        subtotal: 100 + r,
        tax: 16,
        total: 100 + r,
        identities: client === undefined ? [] : [{ kind: 'ga-client-id', value: client }],
        source: { format: 'jsonl' },
      });
      if (!result.ok) throw new Error(result.rejection.reason);
      out.push(result.transaction);
    }
  }
  return out;
}

async function enqueue(transactions: readonly Transaction[]): Promise<void> {
  const connection = createRedisConnection({ url: redis.url }, 'worker');
  const sink = bullmqTransactionSink({ connection, prefix: redis.prefix });
  await sink.enqueue(transactions);
  await sink.close();
  connection.disconnect();
}

async function waitForAll(ids: ReadonlySet<string>, timeoutMs: number): Promise<RecordedEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = collector.store.events();
    const delivered = new Set(events.map((e) => String(e.params['transaction_id'])));
    if ([...ids].every((id) => delivered.has(id))) return events;
    if (Date.now() > deadline)
      throw new Error(
        `${[...ids].filter((id) => !delivered.has(id)).length} of ${ids.size} not delivered`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Counts lost, duplicated and reordered transactions from what the collector received, in arrival order. */
function account(
  transactions: readonly Transaction[],
  events: readonly RecordedEvent[],
): { lost: number; duplicated: number; reordered: number } {
  const byId = new Map(transactions.map((t) => [t.transactionId, t]));
  const seen = new Set<string>();
  let duplicated = 0;
  const firsts: Transaction[] = [];
  for (const event of events) {
    const id = String(event.params['transaction_id']);
    if (seen.has(id)) {
      duplicated++;
      continue;
    }
    seen.add(id);
    const transaction = byId.get(id);
    if (transaction) firsts.push(transaction);
  }
  const lost = transactions.filter((t) => !seen.has(t.transactionId)).length;
  let reordered = 0;
  const lastReceipt = new Map<string, number>();
  const lastTime = new Map<string, number>();
  const clientOf = new Map(
    events.map((e) => [String(e.params['transaction_id']), e.client_id ?? '']),
  );
  for (const t of firsts) {
    const terminal = `${t.storeId}/${t.terminalId}`;
    const receipt = Number(t.receiptNumber);
    if ((lastReceipt.get(terminal) ?? -1) > receipt) reordered++;
    lastReceipt.set(terminal, receipt);
    const client = clientOf.get(t.transactionId) ?? '';
    const time = Date.parse(t.occurredAt);
    if ((lastTime.get(client) ?? -1) > time) reordered++;
    lastTime.set(client, time);
  }
  return { lost, duplicated, reordered };
}

describe('three worker processes against a faulty GA4', () => {
  it('delivers everything once, in terminal and client order, with 5xx, 429, timeouts and resets', async () => {
    collector.setFaults({
      errorRate: 0.2,
      rateLimitRate: 0.05,
      retryAfterSeconds: 0,
      timeoutRate: 0.02,
      timeoutHoldMs: 1500,
      resetRate: 0.02,
      seed: 11,
    });
    const transactions = workload(Date.now());
    await enqueue(transactions);
    startWorker();
    startWorker();
    startWorker();
    const events = await waitForAll(new Set(transactions.map((t) => t.transactionId)), 90_000);
    const faulted = collector.store.requests().filter((r) => r.fault !== 'none').length;
    expect(faulted).toBeGreaterThan(20);
    expect(account(transactions, events)).toEqual({ lost: 0, duplicated: 0, reordered: 0 });
    // batching: fewer requests than events (repeat customers share requests)
    expect(collector.store.requests().filter((r) => r.status === 204).length).toBeLessThanOrEqual(
      events.length,
    );
  });

  it('loses nothing when a worker is killed with SIGKILL mid-stream', async () => {
    collector.setFaults({ latencyMs: 15, seed: 5 });
    const transactions = workload(Date.now());
    await enqueue(transactions);
    const victim = startWorker();
    startWorker();
    const ids = new Set(transactions.map((t) => t.transactionId));
    const killAfter = Date.now() + 30_000;
    while (
      new Set(collector.store.events().map((e) => String(e.params['transaction_id']))).size <=
      transactions.length / 4
    ) {
      if (Date.now() > killAfter) throw new Error('workers delivered too little before the kill');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    victim.kill('SIGKILL');
    const events = await waitForAll(ids, 90_000);
    const result = account(transactions, events);
    expect(result.lost).toBe(0);
    expect(result.reordered).toBe(0);
    // only requests in flight at the kill can repeat (the sent-ledger catches the rest); concurrency is 4
    expect(result.duplicated).toBeLessThanOrEqual(4 * 25);
  });

  it('an idle worker stops cleanly on SIGTERM, well before its shutdown deadline, releasing its leases', async () => {
    const worker = startWorker();
    const admin = createRedisConnection({ url: redis.url }, 'worker');
    try {
      const deadline = Date.now() + 20_000;
      while ((await admin.keys(`${redis.prefix}:lease:*`)).length < 8) {
        if (Date.now() > deadline) throw new Error('the worker took no partitions');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const exited = new Promise<number | null>((resolve) => {
        worker.once('exit', (code) => {
          resolve(code);
        });
      });
      const started = Date.now();
      worker.kill('SIGTERM');
      expect(await exited).toBe(0);
      // shutdownTimeoutMs is 10 s: an idle worker has nothing to wait for (a leftover deadline timer once kept it alive)
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(await admin.keys(`${redis.prefix}:lease:*`)).toEqual([]);
    } finally {
      admin.disconnect();
    }
  });
});
