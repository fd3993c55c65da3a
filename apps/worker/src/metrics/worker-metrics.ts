/**
 * The worker's Prometheus metrics (every name in docs/operations.md). Recording functions are
 * the `buildWorker` hooks: `onRequest` (each GA4 request: outcome, events, bytes, duration;
 * retries by reason) and `onOutcome` (each transaction settled; dead letters by reason; enqueue →
 * sent latency from the job's `enqueuedAt`). Gauges are read on scrape from what `observe()` was
 * given: the running worker (owned partitions, held jobs) and a queue depth reader.
 * Pure apart from the registry; holds no timers or sockets.
 */
import { METRIC_PREFIX } from '@pos-ga4/metrics';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

import type { DeliveryOutcome, RequestInfo } from '../schedule/partition-consumer.js';

import type { QueueDepthReader } from './queue-depth.js';

/** What the gauges read: the running worker's `partitions()` and `held()`. */
export interface WorkerMetricsSource {
  partitions(): readonly number[];
  held(): ReadonlyMap<number, number>;
}

export interface WorkerMetrics {
  readonly registry: Registry;
  readonly onRequest: (info: RequestInfo) => void;
  readonly onOutcome: (outcome: DeliveryOutcome) => void;
  /** Where the gauges read from; until then they answer 0 / nothing. */
  observe(source: { worker?: WorkerMetricsSource; queues?: QueueDepthReader }): void;
}

export const REQUEST_DURATION_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
export const EVENTS_PER_REQUEST_BUCKETS = [1, 2, 5, 10, 15, 20, 25];
export const REQUEST_BYTES_BUCKETS = [1_000, 4_000, 16_000, 64_000, 130_000];
/** Seconds: sub-second when all is well, hours when GA4 or the worker was away (72 h cap). */
export const DELIVERY_LATENCY_BUCKETS = [
  0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3_600, 14_400, 86_400, 259_200,
];

export function createWorkerMetrics(
  registry: Registry,
  options: { now?: () => number } = {},
): WorkerMetrics {
  const now = options.now ?? Date.now;
  const registers = [registry];
  const name = (suffix: string): string => `${METRIC_PREFIX}${suffix}`;
  const sources: { worker?: WorkerMetricsSource; queues?: QueueDepthReader } = {};

  const requests = new Counter({
    name: name('requests_total'),
    help: 'Measurement Protocol requests by outcome (sent = 2xx, retryable = 429/5xx/408/timeout/reset, rejected = other 4xx or validation)',
    labelNames: ['outcome'] as const,
    registers,
  });
  const eventsSent = new Counter({
    name: name('events_sent_total'),
    help: 'Events in requests GA4 accepted (2xx)',
    registers,
  });
  const retries = new Counter({
    name: name('retries_total'),
    help: 'Requests that failed retryably and will be retried with backoff, by reason',
    labelNames: ['reason'] as const,
    registers,
  });
  const eventsPerRequest = new Histogram({
    name: name('request_events'),
    help: 'Events per Measurement Protocol request (at most 25)',
    buckets: EVENTS_PER_REQUEST_BUCKETS,
    registers,
  });
  const requestBytes = new Histogram({
    name: name('request_bytes'),
    help: 'Request body size in bytes (below 130,000)',
    buckets: REQUEST_BYTES_BUCKETS,
    registers,
  });
  const requestDuration = new Histogram({
    name: name('request_duration_seconds'),
    help: 'Time from sending a request to its outcome, by outcome',
    labelNames: ['outcome'] as const,
    buckets: REQUEST_DURATION_BUCKETS,
    registers,
  });
  const transactions = new Counter({
    name: name('transactions_total'),
    help: 'Transactions settled, by outcome (sent, skipped void, deduplicated by the sent-ledger, dead-lettered)',
    labelNames: ['outcome'] as const,
    registers,
  });
  const deadLetters = new Counter({
    name: name('dead_letters_total'),
    help: 'Transactions dead-lettered, by reason code (docs/errors.md)',
    labelNames: ['reason'] as const,
    registers,
  });
  const deliveryLatency = new Histogram({
    name: name('delivery_latency_seconds'),
    help: 'From hand-over to Redis (job enqueuedAt) until GA4 accepted the transaction',
    buckets: DELIVERY_LATENCY_BUCKETS,
    registers,
  });
  const itemsFolded = new Counter({
    name: name('items_folded_total'),
    help: 'Receipt lines folded into one pos_other_items item to keep an event within 200 items and the size limit',
    registers,
  });
  const textsTruncated = new Counter({
    name: name('texts_truncated_total'),
    help: 'Texts (item names, brands, coupons…) cut to a GA4 length limit in sent events',
    registers,
  });
  const refunds = new Counter({
    name: name('refunds_total'),
    help: 'Refunds sent, by link: linked (on a purchase pos-ga4 sent) or unmatched (purchase unknown; refunds.unknownPurchase: send)',
    labelNames: ['link'] as const,
    registers,
  });
  new Gauge({
    name: name('partitions_owned'),
    help: 'Partitions this worker holds the lease of',
    registers,
    collect() {
      this.set(sources.worker?.partitions().length ?? 0);
    },
  });
  new Gauge({
    name: name('held_jobs'),
    help: 'Jobs a partition consumer holds (fetched, waiting for their client or terminal, or in flight)',
    labelNames: ['partition'] as const,
    registers,
    collect() {
      this.reset();
      for (const [partition, held] of sources.worker?.held() ?? [])
        this.set({ partition: String(partition) }, held);
    },
  });
  const stale = new Gauge({
    name: name('queue_jobs_stale'),
    help: '1 when the last queue count read failed or timed out (pos_ga4_queue_jobs then shows older counts)',
    registers,
  });
  new Gauge({
    name: name('queue_jobs'),
    help: 'Jobs per queue (tx-N partitions, dead-letter) and state, read from Redis on scrape (cached 5 s)',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      if (sources.queues === undefined) return;
      const read = await sources.queues.read();
      stale.set(read.stale ? 1 : 0);
      if (read.depths.length === 0) return;
      this.reset();
      for (const { queue, counts } of read.depths)
        for (const [state, count] of Object.entries(counts)) this.set({ queue, state }, count);
    },
  });

  return {
    registry,
    onRequest(info) {
      requests.inc({ outcome: info.outcome });
      requestDuration.observe({ outcome: info.outcome }, info.durationMs / 1000);
      eventsPerRequest.observe(info.events);
      requestBytes.observe(info.bytes);
      if (info.outcome === 'sent') eventsSent.inc(info.events);
      if (info.outcome === 'retryable') retries.inc({ reason: info.reason ?? 'UNKNOWN' });
    },
    onOutcome(outcome) {
      transactions.inc({ outcome: outcome.outcome });
      if (outcome.outcome === 'dead-lettered')
        deadLetters.inc({ reason: outcome.reason ?? 'UNKNOWN' });
      if (outcome.outcome === 'sent') {
        if (outcome.counts?.itemsFolded) itemsFolded.inc(outcome.counts.itemsFolded);
        if (outcome.counts?.textsTruncated) textsTruncated.inc(outcome.counts.textsTruncated);
        if (outcome.refundLink !== undefined) refunds.inc({ link: outcome.refundLink });
      }
      if (outcome.outcome === 'sent' && outcome.enqueuedAt !== undefined) {
        const enqueuedAt = Date.parse(outcome.enqueuedAt);
        if (Number.isFinite(enqueuedAt))
          deliveryLatency.observe(Math.max(0, now() - enqueuedAt) / 1000);
      }
    },
    observe(source) {
      if (source.worker !== undefined) sources.worker = source.worker;
      if (source.queues !== undefined) sources.queues = source.queues;
    },
  };
}
