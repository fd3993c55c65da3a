/**
 * Phase: pos-ga4 end to end. Enqueue the workload first (terminal BullMQ sink), then start the
 * real worker process as deployed (`node <production bundle> worker`, default config but
 * `batch.windowMs` 20 and log level info) against the local collector process with the given latency, and time from its first
 * "partition acquired" log line until every job of the phase is completed or failed (Redis job
 * counts, polled every 100 ms); then check the collector holds every transaction id.
 * Also derives requests over the optimum, enqueue→received latency (a backlog drain, so this is
 * queueing time, not steady-state latency), and the worker process's CPU time per transaction
 * (/proc/<pid>/stat, during the drain) and RSS (VmRSS at the end, VmHWM peak), and the CPU the
 * collector process and Redis spent meanwhile (where a transaction's CPU goes). The collector
 * stands in for Google in its own process. Redis keys under the phase's prefix are deleted
 * afterwards; the worker is stopped with SIGTERM (SIGKILL after 10 s).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

import type { RecordedEvent, RecordedRequest } from '@pos-ga4/collector';
import { optimalRequestCount } from '@pos-ga4/ga4-mp';
import type { RequestEnvelope } from '@pos-ga4/ga4-mp';
import { DEFAULT_PARTITIONS, transactionQueueName } from '@pos-ga4/queue-contract';
import { createRedisConnection, deleteKeysWithPrefix } from '@pos-ga4/redis';
import type { Transaction } from '@pos-ga4/transaction';
import { Queue } from 'bullmq';

import { enqueueAll, startCollectorProcess, stopProcess } from './bench-env.js';
import { benchPrefix, percentile, round, sleep, waitUntil } from './bench-util.js';
import { cpuMsOf, memoryOf, redisCpuMs } from './process-stats.js';
const WORKER_CONCURRENCY = 128; // the config default, stated here for the report

export interface PosGa4Result {
  readonly latencyMs: number;
  readonly transactions: number;
  readonly enqueueMs: number;
  readonly enqueuePerSecond: number;
  readonly drainMs: number;
  readonly transactionsPerSecond: number;
  readonly requests: number;
  readonly optimalRequests: number;
  readonly requestsOverOptimum: number;
  readonly eventsPerRequest: number;
  readonly deadLettered: number;
  readonly latencyP50Ms: number | undefined;
  readonly latencyP99Ms: number | undefined;
  /** The worker process: RSS at the end and its peak (MB = 2^20 bytes). */
  readonly workerRssMb: number;
  readonly workerPeakRssMb: number;
  /** CPU time (user + system) of the worker process per transaction during the drain. */
  readonly workerCpuMsPerTransaction: number;
  /** The collector (standing in for Google) and Redis during the drain, per transaction. */
  readonly collectorCpuMsPerTransaction: number;
  readonly redisCpuMsPerTransaction: number;
  readonly concurrency: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One envelope (the body without `events`) per delivered event, for `optimalRequestCount`. */
function envelopesOf(requests: readonly RecordedRequest[]): { envelope: RequestEnvelope }[] {
  return requests.flatMap((request) => {
    if (!isRecord(request.body)) return [];
    const { events, ...envelope } = request.body;
    const count = Array.isArray(events) ? events.length : 0;
    return Array.from({ length: count }, () => ({ envelope }));
  });
}

function startWorkerProcess(
  bundle: string,
  options: { env: Record<string, string>; nodeArgs: readonly string[] },
): {
  child: ChildProcess;
  ready: Promise<number>;
} {
  // as deploy/systemd/pos-ga4-worker.service runs it: node on the production bundle
  const child = spawn(process.execPath, [...options.nodeArgs, bundle, 'worker'], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<number>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      if (buffered.includes('partition acquired')) {
        resolve(performance.now());
        buffered = '';
      } else if (buffered.length > 65_536) buffered = buffered.slice(-1024);
    });
    child.once('exit', (code) => {
      reject(new Error(`worker exited with ${String(code)} before it took a partition`));
    });
  });
  return { child, ready };
}

export async function runPosGa4(
  transactions: readonly Transaction[],
  settings: {
    redisUrl: string;
    latencyMs: number;
    timeoutMs: number;
    bundle: string;
    /** Write the worker's V8 CPU profile here (`worker-<latency>ms.cpuprofile`, on exit). */
    cpuProfDir?: string;
  },
): Promise<PosGa4Result> {
  const prefix = benchPrefix(`e2e${settings.latencyMs}`);
  const redis = { url: settings.redisUrl, prefix };
  const collector = await startCollectorProcess(settings.latencyMs);
  const connection = createRedisConnection({ url: settings.redisUrl }, 'worker');
  const queues = Array.from(
    { length: DEFAULT_PARTITIONS },
    (_, p) => new Queue(transactionQueueName(p), { connection, prefix }),
  );
  let worker: ChildProcess | undefined;
  try {
    const enqueueStarted = Date.now();
    const enqueueMs = await enqueueAll(transactions, redis);
    const nodeArgs =
      settings.cpuProfDir === undefined
        ? []
        : [
            '--cpu-prof',
            `--cpu-prof-dir=${settings.cpuProfDir}`,
            `--cpu-prof-name=worker-${settings.latencyMs}ms.cpuprofile`,
          ];
    const { child, ready } = startWorkerProcess(settings.bundle, {
      nodeArgs,
      env: {
        REDIS_URL: settings.redisUrl,
        POS_GA4_REDIS__PREFIX: prefix,
        GA4_MEASUREMENT_ID: 'G-BENCH',
        GA4_API_SECRET: 'bench-secret',
        POS_GA4_GA4__BASE_URL: collector.baseUrl,
        POS_GA4_BATCH__WINDOW_MS: '20',
        POS_GA4_CONCURRENCY: String(WORKER_CONCURRENCY),
        POS_GA4_LOG__LEVEL: 'info',
      },
    });
    worker = child;
    const started = await ready;
    const pid = child.pid ?? 0;
    const cpuBefore = cpuMsOf(pid);
    const collectorCpuBefore = cpuMsOf(collector.pid ?? 0);
    const redisCpuBefore = await redisCpuMs(connection);
    let settled = 0;
    let failed = 0;
    const poll = async (): Promise<void> => {
      for (;;) {
        const counts = await Promise.all(queues.map((q) => q.getJobCounts('completed', 'failed')));
        settled = counts.reduce((sum, c) => sum + (c['completed'] ?? 0) + (c['failed'] ?? 0), 0);
        failed = counts.reduce((sum, c) => sum + (c['failed'] ?? 0), 0);
        if (settled >= transactions.length || child.exitCode !== null) return;
        await sleep(100);
      }
    };
    const polling = poll();
    await waitUntil(
      () => settled >= transactions.length || child.exitCode !== null,
      { timeoutMs: settings.timeoutMs, everyMs: 20 },
      () => `pos-ga4 @${settings.latencyMs} ms: ${settled}/${transactions.length}`,
    );
    await polling;
    if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode}`);
    const drainMs = performance.now() - started;
    const workerCpuMs = cpuMsOf(pid) - cpuBefore;
    const collectorCpuMs = cpuMsOf(collector.pid ?? 0) - collectorCpuBefore;
    const redisCpuMsUsed = (await redisCpuMs(connection)) - redisCpuBefore;
    const memory = memoryOf(pid);
    const events: RecordedEvent[] = await collector.events();
    const received = new Map(
      events.map((e) => [String(e.params['transaction_id']), Date.parse(e.receivedAt)]),
    );
    const missing = transactions.filter((t) => !received.has(t.transactionId)).length;
    if (missing > failed) throw new Error(`pos-ga4: ${missing} transactions not at the collector`);
    const requests = (await collector.requests()).filter(
      (r) => r.endpoint === 'collect' && r.status >= 200 && r.status < 300,
    );
    const optimalRequests = optimalRequestCount(envelopesOf(requests));
    // enqueue time per transaction: the sink's bulks finish within enqueueMs of the start
    const latencies = [...received.values()].map((at) => at - enqueueStarted);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    return {
      latencyMs: settings.latencyMs,
      transactions: transactions.length,
      enqueueMs: round(enqueueMs),
      enqueuePerSecond: round((transactions.length / enqueueMs) * 1000, 0),
      drainMs: round(drainMs),
      transactionsPerSecond: round((transactions.length / drainMs) * 1000, 0),
      requests: requests.length,
      optimalRequests,
      requestsOverOptimum: round(requests.length / Math.max(1, optimalRequests), 3),
      eventsPerRequest: round(events.length / Math.max(1, requests.length), 2),
      deadLettered: failed,
      latencyP50Ms: p50 === undefined ? undefined : round(p50, 0),
      latencyP99Ms: p99 === undefined ? undefined : round(p99, 0),
      workerRssMb: memory.rssMb,
      workerPeakRssMb: memory.peakRssMb,
      workerCpuMsPerTransaction: round(workerCpuMs / transactions.length, 3),
      collectorCpuMsPerTransaction: round(collectorCpuMs / transactions.length, 3),
      redisCpuMsPerTransaction: round(redisCpuMsUsed / transactions.length, 3),
      concurrency: WORKER_CONCURRENCY,
    };
  } finally {
    if (worker) await stopProcess(worker);
    await Promise.all(queues.map((queue) => queue.close()));
    await deleteKeysWithPrefix(connection, prefix);
    connection.disconnect();
    await collector.close();
  }
}
