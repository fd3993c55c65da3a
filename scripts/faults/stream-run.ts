/**
 * The run shared by the streaming scenarios (worker-kill, redis-kill, redis-cut,
 * collector-faults, three-workers): real terminal processes on socat serial lines, real worker
 * processes, Redis, the run's collector; receipts written at a steady rate while the scenario's
 * fault plan acts; then wait until every receipt arrived (or deliveries stall), read the jobs
 * back, run `pos-ga4 reconcile`, and account.
 *
 * Inputs: `StreamRunOptions` (sizes, rate, collector faults, worker env, which Redis) and
 * `plan(system)`, the scenario's faults: actions at given `sent` counts (the feed waits for
 * them), something running `alongside` the feed and the wait (e.g. kills at delivery
 * thresholds), a step `afterFeed` (e.g. restore a cut), its `kills()` and `crashes()` (the crash
 * windows that may explain duplicates), and `jobsBefore()` (job states read before the scenario
 * re-added jobs: their hand-over times count).
 * After the wait, the kills stop and the harness listens `context.quietMs` more (`quietPeriod`)
 * before its final read of the collector, so late copies are counted. A `WorkerWatch`
 * (worker-watch.ts) samples the workers' announcements and partition leases throughout, so a
 * duplicate can be tied to the worker that sent its first copy (`attributeDuplicates`).
 * Output: the scenario's `ScenarioResult` (counts per docs/reliability.md and details).
 * Errors: set-up failures reject (the runner reports the scenario as not finished); a stall
 * never hangs: after `stallMs` without a new delivery the missing receipts count as lost.
 * Lifecycle: every process, pty, proxy, Redis server and key prefix is released through the
 * context's cleanup stack, also on failure.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { FaultSettingsInput } from '@pos-ga4/collector';
import { startRedisServer } from '@pos-ga4/testkit';
import type { RedisServerProcess } from '@pos-ga4/testkit';

import { account, attributeDuplicates } from './accounting.js';
import type { Accounting, CrashWindow, Delivery, ExpectedReceipt } from './accounting.js';
import type { DeliveryReader } from './collector-process.js';
import type { Supervised } from './processes.js';
import { feed } from './pty-feeder.js';
import type { FeedHook } from './pty-feeder.js';
import { deleteScenarioKeys, readJobStates, reconcileDifference } from './redis-state.js';
import type { JobState } from './redis-state.js';
import type { Extra, ScenarioResult } from './report.js';
import type { ScenarioContext } from './scenario.js';
import { startTcpProxy } from './tcp-proxy.js';
import type { TcpProxy } from './tcp-proxy.js';
import { startProcessTerminals, waitUntilCaptured } from './terminals.js';
import type { ProcessTerminal } from './terminals.js';
import { watchWorkers } from './worker-watch.js';
import type { WorkerWatch } from './worker-watch.js';
import { startWorkers } from './workers.js';
import { planReceipts } from './workload.js';
import type { TerminalIdentity } from './workload.js';

export interface StreamRunOptions {
  readonly receipts: number;
  readonly terminals: number;
  readonly workers: number;
  readonly ratePerSecond: number;
  /** Identified customers (shared by all terminals); 40 % of receipts carry one. */
  readonly customers?: number;
  readonly faults?: FaultSettingsInput;
  readonly workerEnv?: Readonly<Record<string, string>>;
  /**
   * `shared`: the Redis at REDIS_URL (own key prefix); `private-aof`: a redis-server of the
   * scenario's own with AOF `appendfsync always`; `proxy`: the shared Redis, the terminals
   * reaching it through a TCP proxy that can be cut.
   */
  readonly redis: 'shared' | 'private-aof' | 'proxy';
  /** No new delivery for this long ends the wait (default 60 s; 30 s with --short). */
  readonly stallMs?: number;
}

export interface StreamSystem {
  readonly context: ScenarioContext;
  readonly terminals: readonly ProcessTerminal[];
  readonly workers: readonly Supervised[];
  /** Where workers and the harness reach Redis. */
  readonly redisUrl: string;
  readonly prefix: string;
  readonly redisServer: RedisServerProcess | undefined;
  readonly proxy: TcpProxy | undefined;
  readonly expected: number;
  /** What the accounting expects of each planned receipt, in feed order. */
  readonly planned: readonly ExpectedReceipt[];
  /** The workers' announcements and partition leases, sampled while the scenario runs. */
  readonly watch: WorkerWatch;
  /** Distinct transaction ids delivered so far. */
  delivered(): number;
  /** The distinct transaction ids delivered so far (any, expected or not). */
  deliveredIds(): ReadonlySet<string>;
}

export interface FaultPlan {
  readonly atSent?: readonly FeedHook[];
  readonly alongside?: () => { stop(): Promise<void> };
  readonly afterFeed?: () => Promise<void>;
  kills(): number;
  /** When processes died (SIGKILL moments, Redis outages) and whose sends that can explain. */
  crashes(): readonly CrashWindow[];
  /**
   * Job states read before the scenario re-added jobs: preferred for the ids they hold (the
   * first hand-over's `enqueuedAt` is what the client-order rule compares with).
   */
  jobsBefore?(): ReadonlyMap<string, JobState> | undefined;
  extra?(): Readonly<Record<string, Extra>>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** With `FAULTS_KEEP=1`: the jobs, the expected receipts (and what else a scenario gives) as JSON in the temp dir, for a post-mortem. */
export function keepForPostMortem(context: ScenarioContext, data: unknown): void {
  if (process.env['FAULTS_KEEP'] !== '1') return;
  const file = join(tmpdir(), `pos-ga4-faults-${context.name}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(data));
  context.log(`kept jobs and expected receipts in ${file}`);
}

/** Faults off and the collector's memory freed for the next scenario (if it still runs). */
export async function resetCollector(context: ScenarioContext): Promise<void> {
  if (!context.collector.running()) return;
  await context.collector.setFaults({});
  await context.collector.clear();
}

export function scenarioPrefix(name: string): string {
  return `pos-ga4-faults-${name}-${randomUUID().slice(0, 8)}`;
}

/** `<code>-<n>` stores with two tills each: `wk-1/till-1`, `wk-1/till-2`, `wk-2/till-1`, … */
export function terminalIdentities(code: string, count: number): TerminalIdentity[] {
  return Array.from({ length: count }, (_, i) => ({
    storeId: `${code}-${Math.floor(i / 2) + 1}`,
    terminalId: `till-${(i % 2) + 1}`,
  }));
}

/**
 * The quiet period: after the last first delivery (or the stall), listen `context.quietMs` more
 * before the final read, so that late copies (a resend after a lock ran out, a stalled check) are
 * counted instead of falling after the read.
 */
export async function quietPeriod(context: ScenarioContext, reader: DeliveryReader): Promise<void> {
  if (context.quietMs <= 0) return;
  const before = reader.poll().deliveries.length;
  await sleep(context.quietMs);
  const during = reader.poll().deliveries.length - before;
  context.log(`quiet period of ${context.quietMs / 1000} s: ${during} more deliveries`);
}

/**
 * Polls until `done()` or no progress for `stallMs`; `progress()` is any growing number
 * (delivered ids, accounted streams).
 */
export async function waitForProgress(options: {
  progress: () => Promise<number> | number;
  target: number;
  stallMs: number;
  log: (message: string) => void;
  pollMs?: number;
}): Promise<boolean> {
  let last = -1;
  let lastChange = Date.now();
  let lastLog = 0;
  for (;;) {
    const now = await options.progress();
    if (now >= options.target) return true;
    if (now !== last) {
      last = now;
      lastChange = Date.now();
    }
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      options.log(`waiting: ${now}/${options.target}`);
    }
    if (Date.now() - lastChange > options.stallMs) {
      options.log(`no progress for ${options.stallMs / 1000} s at ${now}/${options.target}`);
      return false;
    }
    await sleep(options.pollMs ?? 250);
  }
}

/** Counts, hand-over times and job fates in one place, for every scenario's result. */
export function accountWithJobs(input: {
  expected: readonly ExpectedReceipt[];
  deliveries: readonly Delivery[];
  jobs: ReadonlyMap<string, JobState>;
  kept?: ReadonlyMap<string, string>;
}): { accounting: Accounting; deadLettered: Record<string, number>; pending: number } {
  const handedOverAt = new Map<string, number>();
  const deadLettered: Record<string, number> = {};
  let pending = 0;
  for (const receipt of input.expected) {
    const job = input.jobs.get(receipt.transactionId);
    if (job?.enqueuedAtMs !== undefined) handedOverAt.set(receipt.transactionId, job.enqueuedAtMs);
    if (job?.fate === 'dead-lettered') {
      const reason = job.reason ?? 'UNKNOWN';
      deadLettered[reason] = (deadLettered[reason] ?? 0) + 1;
    }
    if (job?.fate === 'pending') pending++;
  }
  return {
    accounting: account({
      expected: input.expected,
      deliveries: input.deliveries,
      handedOverAt,
      ...(input.kept === undefined ? {} : { kept: input.kept }),
    }),
    deadLettered,
    pending,
  };
}

/** Where lost receipts stand in Redis, for the log (first few). */
export function describeLost(
  lostSample: readonly string[],
  jobs: ReadonlyMap<string, JobState>,
): string {
  return lostSample
    .map((id) => {
      const job = jobs.get(id);
      return `${id}: ${job === undefined ? 'not in Redis' : `${job.fate}${job.reason === undefined ? '' : ` ${job.reason}`}`}`;
    })
    .join('; ');
}

async function redisFor(
  context: ScenarioContext,
  kind: StreamRunOptions['redis'],
  prefix: string,
): Promise<{
  url: string;
  terminalUrl: string;
  server: RedisServerProcess | undefined;
  proxy: TcpProxy | undefined;
}> {
  if (kind === 'private-aof') {
    const server = await startRedisServer({ appendOnly: true });
    context.defer(() => server.close());
    return { url: server.url, terminalUrl: server.url, server, proxy: undefined };
  }
  context.defer(() => deleteScenarioKeys(context.redisUrl, prefix));
  if (kind === 'shared')
    return {
      url: context.redisUrl,
      terminalUrl: context.redisUrl,
      server: undefined,
      proxy: undefined,
    };
  const target = new URL(context.redisUrl);
  const proxy = await startTcpProxy({
    targetHost: target.hostname,
    targetPort: Number(target.port === '' ? 6379 : target.port),
  });
  context.defer(() => proxy.close());
  const terminalUrl = new URL(context.redisUrl);
  terminalUrl.hostname = '127.0.0.1';
  terminalUrl.port = String(proxy.port);
  return { url: context.redisUrl, terminalUrl: terminalUrl.toString(), server: undefined, proxy };
}

export async function runStream(
  context: ScenarioContext,
  options: StreamRunOptions,
  plan: (system: StreamSystem) => FaultPlan,
): Promise<ScenarioResult> {
  const started = Date.now();
  const prefix = scenarioPrefix(context.name);
  const redis = await redisFor(context, options.redis, prefix);
  await context.collector.setFaults(options.faults ?? {});
  context.defer(() => resetCollector(context));
  const reader: DeliveryReader = context.collector.reader(context.measurementId);
  const identities = terminalIdentities(context.name.slice(0, 2), options.terminals);
  // before the workers: their first announcements are seen
  const watch = watchWorkers({ url: redis.url, prefix });
  context.defer(() => watch.stop());
  context.log(
    `${options.receipts} receipts into ${options.terminals} terminals at ${options.ratePerSecond}/s, ${options.workers} workers`,
  );
  const workers = startWorkers(context, {
    count: options.workers,
    redisUrl: redis.url,
    prefix,
    ...(options.workerEnv === undefined ? {} : { env: options.workerEnv }),
  });
  const terminals = await startProcessTerminals(context, {
    identities,
    redisUrl: redis.terminalUrl,
    adminUrl: redis.url,
    prefix,
    format: 'jsonl',
  });
  const receipts = planReceipts({
    count: options.receipts,
    terminals: identities,
    customers: options.customers ?? Math.max(10, Math.floor(options.receipts / 100)),
    identifiedShare: 0.4,
    seed: context.seed,
    startMs: Date.now() - 2 * 3_600_000,
    stepMs: 3_600_000 / options.receipts,
  });
  const system: StreamSystem = {
    context,
    terminals,
    workers,
    redisUrl: redis.url,
    prefix,
    redisServer: redis.server,
    proxy: redis.proxy,
    expected: receipts.length,
    planned: receipts.map((r) => r.expected),
    watch,
    delivered: () => {
      reader.poll();
      return reader.deliveredIds().size;
    },
    deliveredIds: () => {
      reader.poll();
      return reader.deliveredIds();
    },
  };
  const faults = plan(system);
  const alongside = faults.alongside?.();
  let sent = 0;
  let waitError: string | undefined;
  try {
    sent = await feed(
      receipts,
      terminals.map((t) => t.writer),
      {
        ratePerSecond: options.ratePerSecond,
        ...(faults.atSent === undefined ? {} : { atSent: faults.atSent }),
      },
    );
    context.log(`fed ${sent} receipts in ${Math.round((Date.now() - started) / 1000)} s`);
    await faults.afterFeed?.();
    await waitUntilCaptured(terminals).catch((error: unknown) => {
      waitError = error instanceof Error ? error.message : String(error);
    });
    const expectedIds = new Set(receipts.slice(0, sent).map((r) => r.expected.transactionId));
    await waitForProgress({
      progress: () => {
        reader.poll();
        let count = 0;
        for (const id of reader.deliveredIds()) if (expectedIds.has(id)) count++;
        return count;
      },
      target: expectedIds.size,
      stallMs: options.stallMs ?? (context.short ? 30_000 : 60_000),
      log: context.log,
    });
  } finally {
    await alongside?.stop();
  }
  await quietPeriod(context, reader);
  const [jobsNow, reconcile] = await Promise.all([
    readJobStates(redis.url, prefix),
    reconcileDifference(redis.url, prefix),
  ]);
  await watch.stop();
  const { deliveries, requests, withoutTransactionId } = reader.poll();
  const before = faults.jobsBefore?.();
  const jobs = before === undefined ? jobsNow : new Map([...jobsNow, ...before]);
  const expected = receipts.slice(0, sent).map((r) => r.expected);
  keepForPostMortem(context, {
    jobs: Object.fromEntries(jobsNow),
    expected,
    crashes: faults.crashes(),
    workers: Object.fromEntries(watch.announcements()),
    leases: watch.leaseSamples(),
  });
  const { accounting, deadLettered, pending } = accountWithJobs({ expected, deliveries, jobs });
  const duplicates = attributeDuplicates(deliveries, faults.crashes(), {
    only: new Set(expected.map((r) => r.transactionId)),
    sendersAt: (id, at) => watch.sendersAt(id, at),
  });
  if (accounting.duplicated > duplicates.explained)
    context.log(
      `duplicates no crash of their sender explains, e.g. ${duplicates.unexplainedSample.join(', ')}`,
    );
  if (accounting.lost > 0) context.log(`lost, e.g. ${describeLost(accounting.lostSample, jobs)}`);
  if (accounting.reordered > 0)
    context.log(`reordered, e.g. ${accounting.reorderedSample.join('; ')}`);
  const unexpectedExits = [...workers, ...terminals.map((t) => t.process)].reduce(
    (sum, p) => sum + p.unexpectedExits(),
    0,
  );
  return {
    scenario: context.name,
    sent: accounting.sent,
    delivered: accounting.delivered,
    lost: accounting.lost,
    duplicated: accounting.duplicated,
    reordered: accounting.reordered,
    kills: faults.kills(),
    extra: {
      terminals: options.terminals,
      workers: options.workers,
      reorderedTerminal: accounting.reorderedTerminal,
      reorderedClient: accounting.reorderedClient,
      clientMismatches: accounting.clientMismatches,
      unexpected: accounting.unexpected,
      withoutTransactionId,
      duplicatesExplained: duplicates.explained,
      duplicatesUnexplained: accounting.duplicated - duplicates.explained,
      deadLettered,
      pending,
      reconcileDifference: reconcile,
      unexpectedExits,
      requests,
      ...faults.extra?.(),
      ...(waitError === undefined ? {} : { captureCheck: waitError }),
      wallSeconds: Math.round((Date.now() - started) / 100) / 10,
    },
  };
}
