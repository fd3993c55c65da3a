/**
 * Dead letters and redrive, identity import and lookups, and refunds waiting for their purchase:
 * an in-process worker on the real Redis (own prefix) and the local collector.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildCollector } from '@pos-ga4/collector';
import type { Collector } from '@pos-ga4/collector';
import { hashEmail } from '@pos-ga4/ga4-mp';
import { createLogger } from '@pos-ga4/logger';
import { createRedisConnection } from '@pos-ga4/redis';
import { bullmqTransactionSink } from '@pos-ga4/terminal';
import { redisTestResource } from '@pos-ga4/testkit';
import type { RedisTestResource } from '@pos-ga4/testkit';
import { completeTransaction } from '@pos-ga4/transaction';
import type { Transaction } from '@pos-ga4/transaction';
import { buildWorker, createMpClients, WorkerConfigSchema } from '@pos-ga4/worker';
import type { DeliveryOutcome, RunningWorker } from '@pos-ga4/worker';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { importIdentities } from '../src/identities/import-identities.js';
import { readJobSnapshots } from '../src/reconcile/read-job-snapshots.js';
import { reconcile } from '../src/reconcile/reconcile-jobs.js';
import { redriveDeadLetters } from '../src/redrive/redrive-dead-letters.js';

let redis: RedisTestResource;
let connection: Redis;
let collector: Collector;
let baseUrl: string;
const outcomes: DeliveryOutcome[] = [];
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  outcomes.length = 0;
  redis = redisTestResource('redrive');
  connection = createRedisConnection({ url: redis.url }, 'worker');
  collector = buildCollector();
  baseUrl = await collector.app.listen({ port: 0, host: '127.0.0.1' });
});

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await collector.app.close();
  connection.disconnect();
  await redis.cleanup();
});

async function startWorker(): Promise<RunningWorker> {
  const config = WorkerConfigSchema.parse({
    redis: { url: redis.url, prefix: redis.prefix },
    ga4: { baseUrl, measurementId: 'G-REDRIVE', apiSecret: 'redrive-secret' },
    leaseMs: 3000,
    batch: { windowMs: 20 },
    retry: { baseMs: 20, maxMs: 200 },
  });
  const mp = createMpClients(config);
  const worker = await buildWorker({
    config,
    connection,
    clients: mp.clients,
    logger: createLogger({ name: 't', level: 'silent' }),
    onOutcome: (o) => outcomes.push(o),
  });
  closers.push(async () => {
    await worker.close();
    await mp.closeAll();
  });
  return worker;
}

function sale(overrides: Record<string, unknown>): Transaction {
  const result = completeTransaction({
    storeId: 'berlin-01',
    terminalId: 'till-1',
    receiptNumber: '1',
    kind: 'sale',
    occurredAt: new Date(Date.now() - 3600_000).toISOString(),
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: [{ sku: 'A', name: 'Pen', quantity: 1, unitPrice: 500, lineTotal: 500 }],
    subtotal: 500,
    tax: 80,
    total: 500,
    source: { format: 'jsonl' },
    ...overrides,
  });
  if (!result.ok) throw new Error(result.rejection.reason);
  return result.transaction;
}

async function enqueue(transactions: Transaction[]): Promise<void> {
  const sink = bullmqTransactionSink({ connection, prefix: redis.prefix });
  await sink.enqueue(transactions);
  await sink.close();
}

async function until(predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('dead letters and redrive', () => {
  it('dead-letters 4xx with reason, then redrives by reason once fixed: delivered exactly once', async () => {
    collector.setFaults({ badRequestRate: 1 });
    const worker = await startWorker();
    const transactions = [1, 2, 3].map((n) =>
      sale({
        receiptNumber: String(n),
        occurredAt: new Date(Date.now() - 3600_000 + n * 1000).toISOString(),
      }),
    );
    await enqueue(transactions);
    await until(() => outcomes.length === 3);
    const letters = await worker.deadLetters.getJobs(['waiting']);
    expect(letters.map((l) => l.data.reason)).toEqual(['HTTP_4XX', 'HTTP_4XX', 'HTTP_4XX']);
    expect(collector.store.events()).toHaveLength(0);
    const before = reconcile(
      await readJobSnapshots({ redis: connection, prefix: redis.prefix, partitions: 8 }),
    );
    expect(before).toMatchObject([
      {
        storeId: 'berlin-01',
        captured: { sales: { count: 3, total: 1500 } },
        deadLettered: { HTTP_4XX: { count: 3, total: 1500 } },
        difference: { count: 0, total: 0 },
      },
    ]);

    expect(
      await redriveDeadLetters({
        redis: connection,
        prefix: redis.prefix,
        partitions: 8,
        reason: 'TOO_OLD',
      }),
    ).toMatchObject({ selected: 0 });
    collector.setFaults({});
    outcomes.length = 0;
    const result = await redriveDeadLetters({
      redis: connection,
      prefix: redis.prefix,
      partitions: 8,
      reason: 'HTTP_4XX',
    });
    expect(result).toEqual({ selected: 3, redriven: 3, byReason: { HTTP_4XX: 3 } });
    await until(() => outcomes.length === 3);
    expect(outcomes.map((o) => o.outcome)).toEqual(['sent', 'sent', 'sent']);
    expect(collector.store.events().map((e) => e.params['transaction_id'])).toEqual(
      transactions.map((t) => t.transactionId),
    );
    expect(await worker.deadLetters.count()).toBe(0);
    const after = reconcile(
      await readJobSnapshots({ redis: connection, prefix: redis.prefix, partitions: 8 }),
    );
    expect(after).toMatchObject([
      {
        delivered: { purchases: { count: 3, total: 1500 } },
        deadLettered: {},
        pending: { count: 0 },
        difference: { count: 0, total: 0 },
      },
    ]);
    // redriving again finds nothing
    expect(
      await redriveDeadLetters({ redis: connection, prefix: redis.prefix, partitions: 8 }),
    ).toMatchObject({ selected: 0, redriven: 0 });
  });
});

describe('identity store', () => {
  it('imports a CSV (hashing email and phone) and joins loyalty-card purchases to client_id, user_id, consent and user_data', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ids-')), 'crm.csv');
    writeFileSync(
      file,
      'kind,token,clientId,userId,adUserData,adPersonalization,email,phone\n' +
        'loyalty-card,LOY-1,1111111111.1700000000,crm-42,GRANTED,DENIED, Jane.Doe@GMAIL.com ,+49 30 1234567\n' +
        'loyalty-card,LOY-2,not-a-client-id,,,,,\n' +
        'bogus,LOY-3,1.2,,,,,\n',
    );
    const result = await importIdentities({ file, redis: connection, prefix: redis.prefix });
    expect(result.imported).toBe(1);
    expect(result.rejected.map((r) => r.line)).toEqual([3, 4]);
    const raw = await connection.get(`${redis.prefix}:identity:loyalty-card:LOY-1`);
    expect(raw).not.toContain('Jane');
    await startWorker();
    await enqueue([sale({ identities: [{ kind: 'loyalty-card', value: 'LOY-1' }] })]);
    await until(() => outcomes.length === 1);
    const [request] = collector.store.requests();
    expect(request?.body).toMatchObject({
      client_id: '1111111111.1700000000',
      user_id: 'crm-42',
      consent: { ad_user_data: 'GRANTED', ad_personalization: 'DENIED' },
      user_data: { sha256_email_address: [hashEmail('janedoe@gmail.com')] },
    });
    expect(request?.validationMessages).toEqual([]);
  });
});

describe('refunds', () => {
  it('never sends a refund before its purchase, even from another till and enqueued first', async () => {
    const purchase = sale({
      receiptNumber: '77',
      identities: [{ kind: 'ga-client-id', value: '2222222222.1700000000' }],
    });
    const refund = sale({
      terminalId: 'till-9',
      receiptNumber: 'R-1',
      kind: 'refund',
      refundOf: purchase.transactionId,
      occurredAt: new Date(Date.now() - 1800_000).toISOString(),
    });
    await startWorker();
    await enqueue([refund]);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(collector.store.events()).toHaveLength(0);
    await enqueue([purchase]);
    await until(() => outcomes.length === 2);
    expect(collector.store.events().map((e) => e.name)).toEqual(['purchase', 'refund']);
  });
});
