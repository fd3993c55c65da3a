/**
 * /metrics on a real worker: journal → BullMQ on the real Redis (unique prefix, removed
 * afterwards) → in-process worker with the metrics hooks → the local collector on port 0; then
 * one scrape over HTTP checks the delivery counters, the queue gauges and the process metrics.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createLogger } from '@pos-ga4/logger';
import { createRedisConnection } from '@pos-ga4/redis';
import {
  bullmqTransactionSink,
  daysToRecent,
  fileByteSource,
  fileRejectLog,
  JSONL_FORMAT,
  runPipeline,
} from '@pos-ga4/terminal';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

import {
  buildWorker,
  createMpClients,
  startWorkerMetrics,
  WorkerConfigSchema,
} from '../src/index.js';
import type { DeliveryOutcome } from '../src/index.js';
import { useTestRig } from './test-rig.js';

const DEMO = fileURLToPath(new URL('../../../fixtures/receipts/demo-day.jsonl', import.meta.url));

const rig = useTestRig('metrics');

function connection(): Redis {
  const c = createRedisConnection({ url: rig.redis.url }, 'worker');
  rig.closers.push(() => {
    c.disconnect();
    return Promise.resolve();
  });
  return c;
}

/** `name{labels} value` lines of one metric, summed over the lines whose labels match. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  let found = false;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const have = new Map(
      [...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) {
      total += Number(match[3]);
      found = true;
    }
  }
  if (!found) throw new Error(`no sample ${name} ${JSON.stringify(labels)}`);
  return total;
}

describe('worker /metrics', () => {
  it('counts what was delivered and reports queues, partitions and the process', async () => {
    const config = WorkerConfigSchema.parse({
      redis: { url: rig.redis.url, prefix: rig.redis.prefix },
      ga4: { baseUrl: rig.baseUrl, measurementId: 'G-METRICS', apiSecret: 'metrics-secret' },
      httpTimeoutMs: 2000,
      leaseMs: 3000,
      batch: { windowMs: 20 },
      metrics: { port: 0 },
    });
    const workerConnection = connection();
    const endpoint = await startWorkerMetrics({ config, connection: workerConnection });
    rig.closers.push(() => endpoint.close());
    const outcomes: DeliveryOutcome[] = [];
    const mp = createMpClients(config);
    const worker = await buildWorker({
      config,
      connection: workerConnection,
      clients: mp.clients,
      logger: createLogger({ name: 'test', level: 'silent' }),
      onRequest: endpoint.hooks.onRequest,
      onOutcome: (outcome) => {
        outcomes.push(outcome);
        endpoint.hooks.onOutcome(outcome);
      },
    });
    rig.closers.push(async () => {
      await worker.close();
      await mp.closeAll();
    });
    endpoint.observe(worker);

    const sink = bullmqTransactionSink({ connection: connection(), prefix: rig.redis.prefix });
    const dates = [...readFileSync(DEMO, 'utf8').matchAll(/"occurredAt":"([^"]+)"/g)].flatMap(
      (m) => (m[1] === undefined ? [] : [m[1]]),
    );
    const stats = await runPipeline({
      source: fileByteSource(DEMO),
      sink,
      rejects: fileRejectLog(mkdtempSync(join(tmpdir(), 'rejects-'))),
      format: JSONL_FORMAT,
      shiftDays: daysToRecent(dates, Date.now()),
    });
    await sink.close();
    expect(stats.enqueued).toBe(9);

    const deadline = Date.now() + 20_000;
    while (outcomes.length < 9) {
      if (Date.now() > deadline) throw new Error(`only ${outcomes.length} of 9 settled`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const response = await fetch(endpoint.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    const requests = rig.collector.store.requests().length;
    expect(sample(text, 'pos_ga4_events_sent_total')).toBe(9);
    expect(sample(text, 'pos_ga4_transactions_total', { outcome: 'sent' })).toBe(9);
    expect(sample(text, 'pos_ga4_requests_total', { outcome: 'sent' })).toBe(requests);
    expect(requests).toBeGreaterThanOrEqual(1);
    expect(text).not.toMatch(/^pos_ga4_dead_letters_total/m);
    expect(sample(text, 'pos_ga4_request_events_sum')).toBe(9);
    expect(sample(text, 'pos_ga4_delivery_latency_seconds_count')).toBe(9);
    expect(sample(text, 'pos_ga4_request_duration_seconds_count')).toBe(requests);
    expect(sample(text, 'pos_ga4_partitions_owned')).toBe(config.partitions);
    expect(sample(text, 'pos_ga4_held_jobs')).toBe(0);
    expect(sample(text, 'pos_ga4_queue_jobs', { state: 'completed' })).toBe(9);
    expect(sample(text, 'pos_ga4_queue_jobs', { state: 'waiting' })).toBe(0);
    expect(sample(text, 'pos_ga4_queue_jobs', { queue: 'dead-letter', state: 'waiting' })).toBe(0);
    expect(sample(text, 'pos_ga4_queue_jobs_stale')).toBe(0);
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});
