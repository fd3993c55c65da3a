/**
 * Phase: terminal figures. (1) ESC/POS framing throughput: `splitEscposReceipts` over
 * fixtures/escpos/escpos-php/demo.bin, repeated until ~20 MB were framed (MB = 10^6 bytes).
 * (2) Receipt cut → in Redis, and terminal RSS (cut-to-redis.ts): the real terminal daemon
 * (`pos-ga4 terminal`, a child process; by default from the production bundle with the systemd
 * unit's node flags, `daemonEntry` / `daemonCommand` say what ran) reads ESC/POS receipts
 * (hudson-market-us profile) from a socat pseudo-terminal, written one at a time every 5–20 ms
 * (`cutReceipts`, default 1,000, after 20 warm-up receipts); per receipt, the time from the write of its last byte to its job's
 * `added` event in the partition queue's events stream (Redis server ms: 1 ms resolution). Serial
 * read, framing, profile parse, spool fsync and the BullMQ add are all in it; no HID source, so no
 * receipt waits for scans. Then the daemon's VmRSS and peak VmHWM (MB = 10^6 bytes; undefined
 * off Linux). When this part fails (no socat, daemon error, timeout), its fields are undefined,
 * `cutToRedisError` says why and the other measures still run. (3) Enqueue call only: one
 * transaction per `bullmqTransactionSink.enqueue` call, awaited one after another, in-process
 * (framing/parse/spool fsync are not in it). (4) Spool drain: 10,000 transactions spooled with
 * Redis "away" (an inner sink that always fails), then a fresh durable sink over the same spool
 * drains into a BullMQ sink; receipts/s until empty.
 * Keys, child processes and temporary directories are removed afterwards, also on failure.
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
import { measureCutToRedis } from './cut-to-redis.js';
import type { DaemonEntry } from './cut-to-redis.js';

const DEMO_BIN = fileURLToPath(
  new URL('../../fixtures/escpos/escpos-php/demo.bin', import.meta.url),
);

export interface TerminalResult {
  readonly parseMb: number;
  readonly parseFrames: number;
  readonly parseMbPerSecond: number;
  /** Receipt cut (last byte written to the serial line) → job added in Redis, real daemon. */
  readonly cutToRedisSamples: number;
  readonly cutToRedisP50Ms: number | undefined;
  readonly cutToRedisP99Ms: number | undefined;
  readonly cutToRedisMaxMs: number | undefined;
  /** Why the cut → Redis run did not measure (its fields are then undefined). */
  readonly cutToRedisError: string | undefined;
  /** The terminal daemon's VmRSS after the cut → Redis run, MB (10^6 bytes). */
  readonly rssMb: number | undefined;
  /** The terminal daemon's peak RSS (VmHWM) over its life, MB (10^6 bytes). */
  readonly peakRssMb: number | undefined;
  /** What the daemon ran: `bundle` (dist build, as deployed) or `sources` (tsx). */
  readonly daemonEntry: DaemonEntry;
  /** Its command line, e.g. `node --max-semi-space-size=1 <bundle>/pos-ga4.js terminal`. */
  readonly daemonCommand: string | undefined;
  /** Enqueue call only (in-process `bullmqTransactionSink.enqueue`, one transaction each). */
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

interface CutToRedisFigures {
  readonly samples: readonly number[];
  readonly error: string | undefined;
  readonly rssMb: number | undefined;
  readonly peakRssMb: number | undefined;
  readonly daemonCommand: string | undefined;
}

async function cutToRedis(
  receipts: number,
  settings: {
    redisUrl: string;
    timeoutMs: number;
    daemonEntry: DaemonEntry;
    nodeFlags?: readonly string[];
  },
): Promise<CutToRedisFigures> {
  try {
    const run = await measureCutToRedis({ ...settings, receipts, paceMs: { min: 5, max: 20 } });
    return { ...run, error: undefined };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
    const why = cause === '' ? message : `${message}: ${cause}`;
    process.stderr.write(`terminal cut → Redis not measured: ${why}\n`);
    return {
      samples: [],
      error: why,
      rssMb: undefined,
      peakRssMb: undefined,
      daemonCommand: undefined,
    };
  }
}

const ms2 = (value: number | undefined): number | undefined =>
  value === undefined ? undefined : round(value, 2);

export async function runTerminal(
  transactions: readonly Transaction[],
  settings: {
    redisUrl: string;
    timeoutMs: number;
    cutReceipts?: number;
    /** Default `bundle`, as deployed. */
    daemonEntry?: DaemonEntry;
    /** The daemon's node flags; default the systemd unit's. */
    nodeFlags?: readonly string[];
  },
): Promise<TerminalResult> {
  const parse = measureParse(20e6);
  const daemonEntry = settings.daemonEntry ?? 'bundle';
  const cut = await cutToRedis(settings.cutReceipts ?? 1_000, { ...settings, daemonEntry });
  const samples = await measureEnqueue(transactions.slice(0, 1_000), settings.redisUrl);
  const p50 = percentile(samples, 50);
  const p99 = percentile(samples, 99);
  const drain = await measureDrain(transactions.slice(0, 10_000), settings);
  return {
    parseMb: parse.mb,
    parseFrames: parse.frames,
    parseMbPerSecond: parse.mbPerSecond,
    cutToRedisSamples: cut.samples.length,
    cutToRedisP50Ms: ms2(percentile(cut.samples, 50)),
    cutToRedisP99Ms: ms2(percentile(cut.samples, 99)),
    cutToRedisMaxMs: ms2(percentile(cut.samples, 100)),
    cutToRedisError: cut.error,
    rssMb: cut.rssMb,
    peakRssMb: cut.peakRssMb,
    daemonEntry,
    daemonCommand: cut.daemonCommand,
    enqueueSamples: samples.length,
    enqueueP50Ms: ms2(p50),
    enqueueP99Ms: ms2(p99),
    drainReceipts: drain.receipts,
    drainMs: round(drain.ms),
    drainPerSecond: round((drain.receipts / drain.ms) * 1000, 0),
  };
}
