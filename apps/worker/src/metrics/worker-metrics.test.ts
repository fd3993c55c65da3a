/** The worker's recording functions and scrape-time gauges, on a private registry. */
import { createMetricsRegistry } from '@pos-ga4/metrics';
import type { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

import { queueLabel } from './queue-depth.js';
import type { QueueDepthReader } from './queue-depth.js';
import { createWorkerMetrics } from './worker-metrics.js';

async function values(
  registry: Registry,
  metric: string,
): Promise<{ labels: Record<string, string | number>; value: number; metricName?: string }[]> {
  const found = registry.getSingleMetric(metric);
  if (!found) throw new Error(`no metric ${metric}`);
  return (await found.get()).values.map((v) => {
    const { metricName } = v as { metricName?: string };
    return {
      labels: { ...v.labels } as Record<string, string | number>,
      value: v.value,
      ...(metricName === undefined ? {} : { metricName }),
    };
  });
}

function setup(): { registry: Registry; metrics: ReturnType<typeof createWorkerMetrics> } {
  const registry = createMetricsRegistry({ defaultMetrics: false });
  const metrics = createWorkerMetrics(registry, { now: () => Date.parse('2026-11-26T10:00:05Z') });
  return { registry, metrics };
}

describe('createWorkerMetrics', () => {
  it('counts requests, events sent, batch sizes, durations and retries by reason', async () => {
    const { registry, metrics } = setup();
    metrics.onRequest({ events: 25, bytes: 20_000, durationMs: 80, outcome: 'sent' });
    metrics.onRequest({ events: 3, bytes: 2_000, durationMs: 40, outcome: 'sent' });
    metrics.onRequest({
      events: 4,
      bytes: 3_000,
      durationMs: 10_000,
      outcome: 'retryable',
      reason: 'TIMEOUT',
    });
    metrics.onRequest({
      events: 1,
      bytes: 900,
      durationMs: 5,
      outcome: 'retryable',
      reason: 'HTTP_5XX',
    });
    metrics.onRequest({
      events: 2,
      bytes: 900,
      durationMs: 5,
      outcome: 'rejected',
      reason: 'HTTP_4XX',
    });

    expect(await values(registry, 'pos_ga4_events_sent_total')).toEqual([
      { labels: {}, value: 28 },
    ]);
    expect(await values(registry, 'pos_ga4_requests_total')).toEqual([
      { labels: { outcome: 'sent' }, value: 2 },
      { labels: { outcome: 'retryable' }, value: 2 },
      { labels: { outcome: 'rejected' }, value: 1 },
    ]);
    expect(await values(registry, 'pos_ga4_retries_total')).toEqual([
      { labels: { reason: 'TIMEOUT' }, value: 1 },
      { labels: { reason: 'HTTP_5XX' }, value: 1 },
    ]);
    const events = await values(registry, 'pos_ga4_request_events');
    expect(events).toContainEqual({
      labels: { le: 1 },
      value: 1,
      metricName: 'pos_ga4_request_events_bucket',
    });
    expect(events).toContainEqual({
      labels: {},
      value: 35,
      metricName: 'pos_ga4_request_events_sum',
    });
    const durations = await values(registry, 'pos_ga4_request_duration_seconds');
    expect(durations).toContainEqual({
      labels: { outcome: 'sent', le: 0.1 },
      value: 2,
      metricName: 'pos_ga4_request_duration_seconds_bucket',
    });
    expect(durations).toContainEqual({
      labels: { outcome: 'retryable', le: 5 },
      value: 1,
      metricName: 'pos_ga4_request_duration_seconds_bucket',
    });
  });

  it('counts settled transactions, dead letters by reason, and enqueue → sent latency', async () => {
    const { registry, metrics } = setup();
    metrics.onOutcome({
      transactionId: 'a',
      outcome: 'sent',
      enqueuedAt: '2026-11-26T10:00:04.000Z',
    });
    metrics.onOutcome({ transactionId: 'b', outcome: 'sent', enqueuedAt: '2026-11-26T09:00:05Z' });
    metrics.onOutcome({ transactionId: 'c', outcome: 'skipped', reason: 'VOID_NOT_SENT' });
    metrics.onOutcome({ transactionId: 'd', outcome: 'dead-lettered', reason: 'TOO_OLD' });
    metrics.onOutcome({ transactionId: 'e', outcome: 'dead-lettered', reason: 'TOO_OLD' });
    metrics.onOutcome({ transactionId: 'f', outcome: 'deduplicated' });

    expect(await values(registry, 'pos_ga4_transactions_total')).toEqual([
      { labels: { outcome: 'sent' }, value: 2 },
      { labels: { outcome: 'skipped' }, value: 1 },
      { labels: { outcome: 'dead-lettered' }, value: 2 },
      { labels: { outcome: 'deduplicated' }, value: 1 },
    ]);
    expect(await values(registry, 'pos_ga4_dead_letters_total')).toEqual([
      { labels: { reason: 'TOO_OLD' }, value: 2 },
    ]);
    const latency = await values(registry, 'pos_ga4_delivery_latency_seconds');
    expect(latency).toContainEqual({
      labels: {},
      value: 3601,
      metricName: 'pos_ga4_delivery_latency_seconds_sum',
    });
    expect(latency).toContainEqual({
      labels: { le: 1 },
      value: 1,
      metricName: 'pos_ga4_delivery_latency_seconds_bucket',
    });
  });

  it('counts folded lines, cut texts and refunds by link from sent outcomes only', async () => {
    const { registry, metrics } = setup();
    metrics.onOutcome({
      transactionId: 'a',
      outcome: 'sent',
      counts: { itemsFolded: 101, textsTruncated: 2 },
    });
    metrics.onOutcome({
      transactionId: 'r1',
      outcome: 'sent',
      counts: { itemsFolded: 0, textsTruncated: 1 },
      refundLink: 'linked',
    });
    metrics.onOutcome({ transactionId: 'r2', outcome: 'sent', refundLink: 'unmatched' });
    metrics.onOutcome({ transactionId: 'r3', outcome: 'sent', refundLink: 'unmatched' });
    metrics.onOutcome({ transactionId: 'x', outcome: 'dead-lettered', reason: 'TOO_OLD' });
    expect(await values(registry, 'pos_ga4_items_folded_total')).toEqual([
      { labels: {}, value: 101 },
    ]);
    expect(await values(registry, 'pos_ga4_texts_truncated_total')).toEqual([
      { labels: {}, value: 3 },
    ]);
    expect(await values(registry, 'pos_ga4_refunds_total')).toEqual(
      expect.arrayContaining([
        { labels: { link: 'linked' }, value: 1 },
        { labels: { link: 'unmatched' }, value: 2 },
      ]),
    );
  });

  it('reads owned partitions, held jobs and queue depths on scrape', async () => {
    const { registry, metrics } = setup();
    expect(await values(registry, 'pos_ga4_partitions_owned')).toEqual([{ labels: {}, value: 0 }]);
    let held = new Map([
      [0, 4],
      [3, 0],
    ]);
    let stale = false;
    const queues: QueueDepthReader = {
      read: () =>
        Promise.resolve({
          depths: [
            { queue: 'tx-0', counts: { waiting: 7, active: 4 } },
            { queue: 'dead-letter', counts: { waiting: 2 } },
          ],
          stale,
        }),
      close: () => Promise.resolve(),
    };
    metrics.observe({ worker: { partitions: () => [...held.keys()], held: () => held }, queues });
    expect(await values(registry, 'pos_ga4_partitions_owned')).toEqual([{ labels: {}, value: 2 }]);
    expect(await values(registry, 'pos_ga4_held_jobs')).toEqual([
      { labels: { partition: '0' }, value: 4 },
      { labels: { partition: '3' }, value: 0 },
    ]);
    held = new Map([[3, 1]]);
    expect(await values(registry, 'pos_ga4_held_jobs')).toEqual([
      { labels: { partition: '3' }, value: 1 },
    ]);
    const text = await registry.metrics();
    expect(text).toContain('pos_ga4_queue_jobs{queue="tx-0",state="waiting"} 7');
    expect(text).toContain('pos_ga4_queue_jobs{queue="dead-letter",state="waiting"} 2');
    expect(text).toContain('pos_ga4_queue_jobs_stale 0');
    stale = true;
    expect(await registry.metrics()).toContain('pos_ga4_queue_jobs_stale 1');
  });

  it('labels queues without the hash-tag braces', () => {
    expect(queueLabel('{tx-12}')).toBe('tx-12');
    expect(queueLabel('dead-letter')).toBe('dead-letter');
  });
});
