/**
 * `pos-ga4 dashboard` in a real headless Chromium (Debian `chromium`, driven by playwright-core)
 * against the shared Redis (unique prefix, removed afterwards): demo-day transactions waiting in
 * two partition queues, one of them dead-lettered the way the worker does it (original job
 * failed, letter in `dead-letter`). The board lists every partition queue and the dead-letter
 * queue with their counts; read-only mode hides Retry all / Clean all and the API answers 405 to
 * job actions, while a read-write board shows them. `UPDATE_SCREENSHOTS=1` rewrites
 * docs/images/dashboard-*.png.
 */
import { readFileSync } from 'node:fs';

import type { Transaction } from '@pos-ga4/transaction';
import { completeTransaction } from '@pos-ga4/transaction';
import {
  jobIdFor,
  partitionOf,
  QUEUE_NAMES,
  TRANSACTION_JOB_OPTIONS,
  transactionQueueName,
} from '@pos-ga4/queue-contract';
import type { DeadLetterJobData, TransactionJobData } from '@pos-ga4/queue-contract';
import { captureOutput, launchHeadlessChromium, redisTestResource } from '@pos-ga4/testkit';
import type { RedisTestResource } from '@pos-ga4/testkit';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dashboardCommand } from '../src/commands/dashboard.js';
import { buildDashboard } from '../src/dashboard/index.js';
import type { Dashboard } from '../src/dashboard/index.js';

const UPDATE_SCREENSHOTS = process.env['UPDATE_SCREENSHOTS'] === '1';
const PARTITIONS = 4;
const JOURNAL = new URL('../../../fixtures/receipts/demo-day.jsonl', import.meta.url);
const IMAGES = new URL('../../../docs/images/', import.meta.url);

let redis: RedisTestResource;
let browser: Browser;
let readOnlyBoard: Dashboard;
let base: string;
let deadLettered: string;

function demoTransactions(): Transaction[] {
  return readFileSync(JOURNAL, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const record: unknown = JSON.parse(line);
      const result = completeTransaction({
        ...(record as Record<string, unknown>),
        source: { format: 'jsonl', captureRef: 'demo-day.jsonl' },
      });
      if (!result.ok) throw new Error(result.rejection.reason);
      return result.transaction;
    });
}

/** Waiting transactions as terminals add them; the first one of {tx-0} dead-lettered (HTTP_4XX). */
async function seed(): Promise<string> {
  const queueOf = (partition: number): Queue<TransactionJobData> =>
    new Queue<TransactionJobData>(transactionQueueName(partition), {
      connection: redis.redis,
      prefix: redis.prefix,
    });
  const queues = new Map<number, Queue<TransactionJobData>>();
  const deadLetters = new Queue<DeadLetterJobData>(QUEUE_NAMES.deadLetter, {
    connection: redis.redis,
    prefix: redis.prefix,
  });
  const workerConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const worker = new Worker<TransactionJobData>(transactionQueueName(0), null, {
    connection: workerConnection,
    prefix: redis.prefix,
    autorun: false,
  });
  try {
    let sequence = 0;
    for (const transaction of demoTransactions()) {
      const partition = partitionOf(transaction, PARTITIONS);
      const queue = queues.get(partition) ?? queueOf(partition);
      queues.set(partition, queue);
      await queue.add(
        transaction.kind,
        { transaction, enqueuedAt: new Date().toISOString(), sequence: sequence++ },
        { ...TRANSACTION_JOB_OPTIONS, jobId: jobIdFor(transaction) },
      );
    }
    // what the worker does with a 400 from /mp/collect: a letter, and the original job failed
    const job = await worker.getNextJob('dashboard-test');
    const transaction = job.data.transaction;
    const message = '/mp/collect answered 400 Bad Request';
    await deadLetters.add(
      'HTTP_4XX',
      {
        reason: 'HTTP_4XX',
        message,
        transaction,
        attempts: 1,
        failedAt: new Date().toISOString(),
        originalJobId: jobIdFor(transaction),
      },
      { jobId: jobIdFor(transaction), removeOnComplete: false, removeOnFail: false },
    );
    const error = new UnrecoverableError(`HTTP_4XX: ${message}`);
    error.stack = `UnrecoverableError: HTTP_4XX: ${message}`;
    await job.moveToFailed(error, 'dashboard-test', false);
    return jobIdFor(transaction);
  } finally {
    await worker.close();
    workerConnection.disconnect();
    await Promise.all([...queues.values(), deadLetters].map((queue) => queue.close()));
  }
}

async function listen(dashboard: Dashboard): Promise<string> {
  return dashboard.app.listen({ port: 0, host: '127.0.0.1' });
}

async function openPage(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  return page;
}

function queueCard(page: Page, displayName: string) {
  return page.locator('li', { has: page.locator(`a[title="${displayName}"]`) });
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (UPDATE_SCREENSHOTS) {
    await page.screenshot({ path: new URL(name, IMAGES).pathname });
  }
}

const queuePath = (name: string, status: string): string =>
  `/queue/${encodeURIComponent(name)}?status=${status}`;

beforeAll(async () => {
  redis = redisTestResource('dashboard');
  deadLettered = await seed();
  readOnlyBoard = buildDashboard({
    redis: redis.redis,
    prefix: redis.prefix,
    partitions: PARTITIONS,
    readOnly: true,
  });
  base = await listen(readOnlyBoard);
  browser = await launchHeadlessChromium();
});

afterAll(async () => {
  await browser.close();
  await readOnlyBoard.close();
  await redis.cleanup();
});

describe('pos-ga4 dashboard (Bull Board) in headless Chromium', () => {
  it('lists every partition queue and the dead-letter queue with their counts', async () => {
    const page = await openPage(`${base}/`);
    const expected: [string, string][] = [
      ['transactions p0', '6 Jobs'], // 5 waiting, 1 failed (dead-lettered)
      ['transactions p1', '0 Jobs'],
      ['transactions p2', '1 Job'],
      ['transactions p3', '2 Jobs'],
      ['dead-letter', '1 Job'],
    ];
    for (const [name, total] of expected) {
      await queueCard(page, name).filter({ hasText: total }).waitFor({ timeout: 10_000 });
    }
    expect(await page.locator('a[title^="transactions p"]').count()).toBe(PARTITIONS);
    expect(await page.title()).toContain('pos-ga4 (read-only)');
    await screenshot(page, 'dashboard-queues.png');

    await page.goto(`${base}${queuePath(transactionQueueName(0), 'latest')}`);
    await page.getByText(deadLettered).first().waitFor({ timeout: 10_000 });
    expect(await page.getByText('berlin-01_till-1_20261126_000102').count()).toBeGreaterThan(0);
    await screenshot(page, 'dashboard-jobs.png');

    await page.goto(`${base}${queuePath(QUEUE_NAMES.deadLetter, 'waiting')}`);
    await page.getByText(deadLettered).first().waitFor({ timeout: 10_000 });
    expect(await page.locator('body').textContent()).toContain('HTTP_4XX');
    await screenshot(page, 'dashboard-dead-letter.png');
    await page.close();

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, redis: 'ready' });
  });

  it('read-only: no Retry all / Clean all on failed jobs, and the API refuses job actions with 405', async () => {
    const failedPage = queuePath(transactionQueueName(0), 'failed');
    const page = await openPage(`${base}${failedPage}`);
    await page.getByText(deadLettered).first().waitFor({ timeout: 10_000 });
    expect(await page.getByRole('button', { name: 'Retry all' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Clean all' }).count()).toBe(0);
    await page.close();

    const queue = encodeURIComponent(transactionQueueName(0));
    for (const path of [
      `/api/queues/${queue}/retry/failed`,
      `/api/queues/${queue}/clean/failed`,
      `/api/queues/${queue}/${encodeURIComponent(deadLettered)}/retry`,
      `/api/queues/${queue}/promote`,
      `/api/queues/${encodeURIComponent(QUEUE_NAMES.deadLetter)}/empty`,
    ]) {
      const response = await fetch(`${base}${path}`, { method: 'PUT' });
      expect(`${path} ${response.status}`).toBe(`${path} 405`);
      expect(await response.json()).toEqual({ error: { key: 'ERRORS.QUEUE_READ_ONLY' } });
    }
    // nothing moved
    const api = (await (await fetch(`${base}/api/queues`)).json()) as {
      queues: { name: string; readOnlyMode: boolean; counts: Record<string, number> }[];
    };
    const p0 = api.queues.find((q) => q.name === transactionQueueName(0));
    expect(p0?.counts).toMatchObject({ waiting: 5, failed: 1 });
    expect(api.queues.every((q) => q.readOnlyMode)).toBe(true);
    // a read-only board wrote nothing: no meta hash for the partition that never had a job
    expect(await redis.redis.exists(`${redis.prefix}:${transactionQueueName(1)}:meta`)).toBe(0);

    // the same page on a --read-write board offers them (so their absence above means something)
    const readWrite = buildDashboard({
      redis: redis.redis,
      prefix: redis.prefix,
      partitions: PARTITIONS,
      readOnly: false,
    });
    try {
      const page2 = await openPage(`${await listen(readWrite)}${failedPage}`);
      await page2.getByRole('button', { name: 'Retry all' }).waitFor({ timeout: 10_000 });
      expect(await page2.getByRole('button', { name: 'Clean all' }).count()).toBe(1);
      await page2.close();
    } finally {
      await readWrite.close();
    }
  });

  it('the command says how to use it and fails fast with exit code 2 when Redis is away', async () => {
    const help = await captureOutput(async () => {
      await dashboardCommand(() => undefined)
        .exitOverride()
        .parseAsync(['node', 'dashboard', '--help'])
        .catch(() => undefined);
    });
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('--read-write');

    let code = 0;
    const down = await captureOutput(async () => {
      await dashboardCommand((c) => {
        code = c;
      })
        .exitOverride()
        .parseAsync(['node', 'dashboard', '--redis-url', 'redis://127.0.0.1:1', '--port', '0']);
    });
    expect(code).toBe(2);
    expect(down.stderr).toContain('REDIS_UNAVAILABLE');
  });
});
