/**
 * Phase: the plain BullMQ worker — what a user would write instead of pos-ga4 (plain-worker.ts:
 * one `fetch` POST of one mapped event per job, concurrency 128, no ordering, no batching, no
 * ledger) — in its own process, on a bundle built by `buildPlainWorker` and run by this node
 * binary (as the pos-ga4 worker runs on the production bundle, without tsx).
 * The same N transactions, with the same job data and job options as the terminal's sink
 * (`TRANSACTION_JOB_OPTIONS`, transaction id as job id), are added first to ONE queue (what such
 * a user would have: without ordering there is no reason to partition), then the worker process
 * starts against the local collector process at the given latency. Figures: tx/s from the first
 * job's start to the last job's completion (the worker's own clock); the worker's CPU
 * (utime + stime, /proc) between its `first-job` and `done` lines ÷ N, its RSS and peak RSS
 * (VmHWM) after the drain; the collector's and Redis's CPU over the same window. Then checks the
 * collector holds every transaction id. Aborts after `timeoutMs`; the worker is stopped with
 * SIGTERM (SIGKILL after 10 s), Redis keys under the phase's prefix are deleted, the collector
 * is closed.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { collectUrl } from '@pos-ga4/ga4-mp';
import { TRANSACTION_JOB_OPTIONS } from '@pos-ga4/queue-contract';
import type { TransactionJobData } from '@pos-ga4/queue-contract';
import { createRedisConnection, deleteKeysWithPrefix } from '@pos-ga4/redis';
import type { Transaction } from '@pos-ga4/transaction';
import { Queue } from 'bullmq';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';

import { startCollectorProcess, stopProcess } from './bench-env.js';
import { benchPrefix, round, withTimeout } from './bench-util.js';
import { parsePlainLine } from './plain-protocol.js';
import type { PlainDone } from './plain-protocol.js';
import { cpuMsOf, memoryOf, redisCpuMs } from './process-stats.js';

export const PLAIN_CONCURRENCY = 128; // as the pos-ga4 worker's default
const PLAIN_QUEUE = 'plain-transactions';
const ENTRY = fileURLToPath(new URL('./plain-worker.ts', import.meta.url));

export interface PlainResult {
  readonly latencyMs: number;
  readonly transactions: number;
  readonly concurrency: number;
  readonly enqueueMs: number;
  readonly drainMs: number;
  readonly transactionsPerSecond: number;
  readonly failed: number;
  readonly workerRssMb: number;
  readonly workerPeakRssMb: number;
  readonly workerCpuMsPerTransaction: number;
  readonly collectorCpuMsPerTransaction: number;
  readonly redisCpuMsPerTransaction: number;
}

/** Bare imports other than `@pos-ga4/*` stay imports, resolved from the checkout's node_modules. */
const thirdPartyExternal: Plugin = {
  name: 'third-party-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === 'entry-point' || args.path.startsWith('@pos-ga4/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/**
 * Bundles plain-worker.ts into `<outdir>/plain-worker.mjs` (as the production bundle is built:
 * ESM for Node 20, workspace packages in, third-party packages external). `outdir` must be inside
 * the checkout so node_modules resolves; the caller removes it. Returns the entry's path.
 */
export async function buildPlainWorker(outdir: string): Promise<string> {
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, 'plain-worker.mjs');
  await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
    plugins: [thirdPartyExternal],
  });
  return outfile;
}

async function addJobs(queue: Queue<TransactionJobData>, transactions: readonly Transaction[]) {
  const started = performance.now();
  const enqueuedAt = new Date().toISOString();
  for (let i = 0; i < transactions.length; i += 1_000)
    await queue.addBulk(
      transactions.slice(i, i + 1_000).map((transaction, n) => ({
        name: transaction.kind,
        data: { transaction, enqueuedAt, sequence: i + n + 1 },
        opts: { ...TRANSACTION_JOB_OPTIONS, jobId: transaction.transactionId },
      })),
    );
  return performance.now() - started;
}

/** Calls `onFirstJob` and resolves `done` from the worker's stdout; rejects if it exits first. */
function watchWorker(child: ChildProcess, onFirstJob: () => void): Promise<PlainDone> {
  return new Promise<PlainDone>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const parsed = parsePlainLine(line);
        if (parsed?.kind === 'first-job') onFirstJob();
        else if (parsed?.kind === 'done') resolve(parsed);
      }
    });
    child.once('exit', (code, signal) => {
      reject(new Error(`plain worker exited (${String(code ?? signal)}) before its last job`));
    });
  });
}

interface Snapshot {
  readonly workerCpuMs: number;
  readonly collectorCpuMs: number;
  readonly redisCpuMs: Promise<number>;
}

export async function runPlain(
  transactions: readonly Transaction[],
  settings: { redisUrl: string; latencyMs: number; timeoutMs: number; entry: string },
): Promise<PlainResult> {
  const prefix = benchPrefix(`plain${settings.latencyMs}`);
  const collector = await startCollectorProcess(settings.latencyMs);
  const connection = createRedisConnection({ url: settings.redisUrl }, 'worker');
  const queue = new Queue<TransactionJobData>(PLAIN_QUEUE, { connection, prefix });
  let child: ChildProcess | undefined;
  try {
    const enqueueMs = await addJobs(queue, transactions);
    const url = collectUrl(
      {
        region: 'global',
        baseUrl: collector.baseUrl,
        stream: { measurementId: 'G-PLAIN' },
        apiSecret: 'plain-secret',
      },
      false,
    );
    child = spawn(process.execPath, [settings.entry], {
      env: {
        ...process.env,
        REDIS_URL: settings.redisUrl,
        BENCH_PREFIX: prefix,
        BENCH_QUEUE: PLAIN_QUEUE,
        BENCH_COLLECT_URL: url,
        BENCH_JOBS: String(transactions.length),
        BENCH_CONCURRENCY: String(PLAIN_CONCURRENCY),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const pid = child.pid ?? 0;
    const snapshot = (): Snapshot => {
      const redis = redisCpuMs(connection);
      redis.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
      return {
        workerCpuMs: cpuMsOf(pid),
        collectorCpuMs: cpuMsOf(collector.pid ?? 0),
        redisCpuMs: redis,
      };
    };
    let before: Snapshot | undefined;
    const watching = watchWorker(child, () => {
      before = snapshot();
    });
    watching.catch(() => undefined); // after a timeout, stopping the worker rejects it too
    const done = await withTimeout(
      watching,
      settings.timeoutMs,
      () => `plain worker @${settings.latencyMs} ms: no "done" line`,
    );
    const after = snapshot();
    const memory = memoryOf(pid);
    if (before === undefined) throw new Error('plain worker: "done" without "first-job"');
    const redisCpuMsUsed = (await after.redisCpuMs) - (await before.redisCpuMs);
    const received = new Set(
      (await collector.events()).map((e) => String(e.params['transaction_id'])),
    );
    const missing = transactions.filter((t) => !received.has(t.transactionId)).length;
    if (missing > done.failed)
      throw new Error(`plain worker: ${missing} transactions not at the collector`);
    const perTx = (ms: number): number => round(ms / transactions.length, 3);
    return {
      latencyMs: settings.latencyMs,
      transactions: transactions.length,
      concurrency: PLAIN_CONCURRENCY,
      enqueueMs: round(enqueueMs),
      drainMs: round(done.drainMs),
      transactionsPerSecond: round((transactions.length / done.drainMs) * 1000, 0),
      failed: done.failed,
      workerRssMb: memory.rssMb,
      workerPeakRssMb: memory.peakRssMb,
      workerCpuMsPerTransaction: perTx(after.workerCpuMs - before.workerCpuMs),
      collectorCpuMsPerTransaction: perTx(after.collectorCpuMs - before.collectorCpuMs),
      redisCpuMsPerTransaction: perTx(redisCpuMsUsed),
    };
  } finally {
    if (child) await stopProcess(child);
    await queue.close();
    await deleteKeysWithPrefix(connection, prefix);
    connection.disconnect();
    await collector.close();
  }
}
