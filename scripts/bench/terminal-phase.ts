/**
 * Phase: terminal figures. (1) ESC/POS framing throughput: `splitEscposReceipts` over
 * fixtures/escpos/escpos-php/demo.bin, repeated until ~20 MB were framed (MB = 10^6 bytes).
 * (2) Hand-over latency: one transaction per `bullmqTransactionSink.enqueue` call, awaited one
 * after another (the enqueue step only; framing/parse/spool fsync are not in it). (3) Spool
 * drain: 10,000 transactions spooled with Redis "away" (an inner sink that always fails), then
 * a fresh durable sink over the same spool drains into a BullMQ sink; receipts/s until empty.
 * Keys and the spool directory are removed afterwards.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createRedisConnection, deleteKeysWithPrefix } from '@pos-ga4/redis';
import {
  bullmqTransactionSink,
  durableTransactionSink,
  openFileSpool,
  splitEscposReceipts,
} from '@pos-ga4/terminal';
import type { TransactionSink } from '@pos-ga4/terminal';
import type { Transaction } from '@pos-ga4/transaction';

import { benchPrefix, percentile, round } from './bench-util.js';

const DEMO_BIN = fileURLToPath(
  new URL('../../fixtures/escpos/escpos-php/demo.bin', import.meta.url),
);

export interface TerminalResult {
  readonly parseMb: number;
  readonly parseFrames: number;
  readonly parseMbPerSecond: number;
  readonly enqueueSamples: number;
  readonly enqueueP50Ms: number | undefined;
  readonly enqueueP99Ms: number | undefined;
  readonly drainReceipts: number;
  readonly drainMs: number;
  readonly drainPerSecond: number;
}

function measureParse(targetBytes: number): { mb: number; frames: number; mbPerSecond: number } {
  const demo = readFileSync(DEMO_BIN);
  let bytes = 0;
  let frames = 0;
  const started = performance.now();
  while (bytes < targetBytes) {
    frames += splitEscposReceipts(demo).length;
    bytes += demo.length;
  }
  const seconds = (performance.now() - started) / 1000;
  return { mb: round(bytes / 1e6), frames, mbPerSecond: round(bytes / 1e6 / seconds) };
}

async function measureEnqueue(
  transactions: readonly Transaction[],
  redisUrl: string,
): Promise<number[]> {
  const prefix = benchPrefix('cut');
  const connection = createRedisConnection({ url: redisUrl }, 'worker');
  const sink = bullmqTransactionSink({ connection, prefix });
  const samples: number[] = [];
  try {
    for (const transaction of transactions) {
      const started = performance.now();
      await sink.enqueue([transaction]);
      samples.push(performance.now() - started);
    }
  } finally {
    await sink.close();
    await deleteKeysWithPrefix(connection, prefix);
    connection.disconnect();
  }
  return samples;
}

const failingSink: TransactionSink = {
  enqueue: () => Promise.reject(new Error('redis away (bench)')),
  close: () => Promise.resolve(),
};

async function measureDrain(
  transactions: readonly Transaction[],
  settings: { redisUrl: string; timeoutMs: number },
): Promise<{ receipts: number; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-spool-'));
  const prefix = benchPrefix('drain');
  const connection = createRedisConnection({ url: settings.redisUrl }, 'worker');
  try {
    const offline = durableTransactionSink({
      spool: await openFileSpool({ dir }),
      createInnerSink: () => failingSink,
      retry: { minDelayMs: 60_000, maxDelayMs: 60_000 },
      onHandOverError: () => undefined,
    });
    for (let i = 0; i < transactions.length; i += 500)
      await offline.enqueue(transactions.slice(i, i + 500));
    await offline.close();
    const online = durableTransactionSink({
      spool: await openFileSpool({ dir }),
      createInnerSink: () => bullmqTransactionSink({ connection, prefix }),
    });
    const started = performance.now();
    await online.flush({ timeoutMs: settings.timeoutMs });
    const ms = performance.now() - started;
    await online.close();
    return { receipts: transactions.length, ms };
  } finally {
    await deleteKeysWithPrefix(connection, prefix);
    connection.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runTerminal(
  transactions: readonly Transaction[],
  settings: { redisUrl: string; timeoutMs: number },
): Promise<TerminalResult> {
  const parse = measureParse(20e6);
  const samples = await measureEnqueue(transactions.slice(0, 1_000), settings.redisUrl);
  const p50 = percentile(samples, 50);
  const p99 = percentile(samples, 99);
  const drain = await measureDrain(transactions.slice(0, 10_000), settings);
  return {
    parseMb: parse.mb,
    parseFrames: parse.frames,
    parseMbPerSecond: parse.mbPerSecond,
    enqueueSamples: samples.length,
    enqueueP50Ms: p50 === undefined ? undefined : round(p50, 2),
    enqueueP99Ms: p99 === undefined ? undefined : round(p99, 2),
    drainReceipts: drain.receipts,
    drainMs: round(drain.ms),
    drainPerSecond: round((drain.receipts / drain.ms) * 1000, 0),
  };
}
