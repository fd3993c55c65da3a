/**
 * Shared set-up for benchmark phases: the local collector — in this process, or as its own
 * process (`pos-ga4 collector`, as Google is not in the worker's process: its CPU is not charged
 * to the sender) — on a free port with optional latency, and enqueueing a workload into the
 * partition queues under a prefix; and stopping a child process (SIGTERM, SIGKILL after a grace
 * period).
 * Lifecycle: the caller closes what it gets (`collector.app.close()`, `close()`, connections).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildCollector } from '@pos-ga4/collector';
import type { Collector, RecordedEvent, RecordedRequest } from '@pos-ga4/collector';
import { createRedisConnection, freeTcpPort } from '@pos-ga4/redis';
import { bullmqTransactionSink } from '@pos-ga4/terminal';
import type { Transaction } from '@pos-ga4/transaction';

export interface RunningCollector {
  readonly collector: Collector;
  readonly baseUrl: string;
}

export async function startCollector(latencyMs: number): Promise<RunningCollector> {
  const collector = buildCollector({ maxRequests: 1_000_000 });
  collector.setFaults({ latencyMs });
  const baseUrl = await collector.app.listen({ port: 0, host: '127.0.0.1' });
  return { collector, baseUrl };
}

/** Enqueues through the terminal's BullMQ sink in bulks of 1,000; returns the elapsed ms. */
export async function enqueueAll(
  transactions: readonly Transaction[],
  redis: { url: string; prefix: string },
): Promise<number> {
  const connection = createRedisConnection({ url: redis.url }, 'worker');
  const sink = bullmqTransactionSink({ connection, prefix: redis.prefix });
  const started = performance.now();
  for (let i = 0; i < transactions.length; i += 1_000)
    await sink.enqueue(transactions.slice(i, i + 1_000));
  const elapsed = performance.now() - started;
  await sink.close();
  connection.disconnect();
  return elapsed;
}

const BIN = join(
  fileURLToPath(new URL('../../', import.meta.url)),
  'node_modules',
  '.bin',
  'pos-ga4',
);

export interface CollectorProcess {
  readonly baseUrl: string;
  readonly pid: number | undefined;
  requests(): Promise<RecordedRequest[]>;
  events(): Promise<RecordedEvent[]>;
  close(): Promise<void>;
}

/** `pos-ga4 collector` as a child process on a free port; resolves once /healthz answers. */
export async function startCollectorProcess(latencyMs: number): Promise<CollectorProcess> {
  const port = await freeTcpPort();
  const child = spawn(BIN, ['collector', '--port', String(port), '--latency', String(latencyMs)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const getJson = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`);
    if (!response.ok) throw new Error(`collector ${path}: HTTP ${response.status}`);
    return (await response.json()) as T;
  };
  const close = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => {
        resolve();
      });
      child.kill('SIGTERM');
    });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`collector exited with ${child.exitCode}`);
    const up = await fetch(`${baseUrl}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error('collector did not start within 30 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    baseUrl,
    pid: child.pid,
    requests: () => getJson<RecordedRequest[]>('/api/requests'),
    events: () => getJson<RecordedEvent[]>('/api/events'),
    close,
  };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
