/**
 * The terminal adapter's Prometheus metrics (every name in docs/operations.md).
 * Recording: `countRejects(log)` wraps the reject log so each rejection is counted by code
 * (receipt rejects and unmatched scans alike); `progressRecorder()` gives one pipeline's
 * `onProgress`, counting the receipts it enqueued (spooled). Read on scrape from what `observe()`
 * was given: the durable sink's `status()` (spool depth, bytes, fill, alarm, full, spooled and
 * handed-over counts, hand-over failures, last receipt and hand-over times) and `devices()`
 * (1 when a serial line is open or a scanner connected).
 * Pure apart from the registry; holds no timers or sockets.
 */
import { METRIC_PREFIX, monotonicCounter } from '@pos-ga4/metrics';
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

import type { DurableSinkStatus } from '../enqueue/durable-transaction-sink.js';
import type { PipelineStats } from '../pipeline.js';
import type { RejectLog } from '../reject/reject-log.js';

/** What the gauges read: the running terminal's sink and device states. */
export interface TerminalMetricsSource {
  readonly sink: { status(): DurableSinkStatus };
  devices(): Record<string, string>;
}

/** The recording side, for `buildTerminal`. */
export interface TerminalMetricsHooks {
  countRejects(log: RejectLog): RejectLog;
  progressRecorder(): (stats: Readonly<PipelineStats>) => void;
}

export interface TerminalMetrics extends TerminalMetricsHooks {
  readonly registry: Registry;
  observe(source: TerminalMetricsSource): void;
}

/** Device states that mean "bytes or scans can arrive now". */
export const CONNECTED_STATES: ReadonlySet<string> = new Set(['open', 'connected']);

const seconds = (iso: string | undefined): number | undefined => {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms / 1000 : undefined;
};

export function createTerminalMetrics(registry: Registry): TerminalMetrics {
  const registers = [registry];
  const name = (suffix: string): string => `${METRIC_PREFIX}${suffix}`;
  let source: TerminalMetricsSource | undefined;
  const status = (): DurableSinkStatus | undefined => source?.sink.status();

  const enqueued = new Counter({
    name: name('receipts_enqueued_total'),
    help: 'Receipts parsed into a transaction and spooled (durable on this disk)',
    registers,
  });
  const rejected = new Counter({
    name: name('receipts_rejected_total'),
    help: 'Input written to the reject log, by code (docs/errors.md; SCAN_UNMATCHED for scans)',
    labelNames: ['code'] as const,
    registers,
  });
  const gauge = (
    suffix: string,
    help: string,
    read: (s: DurableSinkStatus) => number | undefined,
  ): void => {
    new Gauge({
      name: name(suffix),
      help,
      registers,
      collect() {
        const current = status();
        const value = current === undefined ? undefined : read(current);
        if (value !== undefined) this.set(value);
      },
    });
  };
  gauge('spool_depth', 'Transactions in the spool not yet handed over to Redis', (s) => s.depth);
  gauge('spool_bytes', 'Size on disk of the spooled transactions', (s) => s.bytes);
  gauge(
    'spool_fill_ratio',
    'Spool fill, 0…1: max(depth / maxEntries, bytes / maxBytes)',
    (s) => s.fill,
  );
  gauge(
    'spool_alarm',
    '1 while the spool is above its alarm level (Redis unreachable for long?)',
    (s) => (s.alarm ? 1 : 0),
  );
  gauge('spool_full', '1 while the spool refuses new receipts (capture stops reading)', (s) =>
    s.full ? 1 : 0,
  );
  gauge(
    'handover_consecutive_failures',
    'Hand-overs to Redis that failed in a row (0 when the last one worked)',
    (s) => s.consecutiveFailures,
  );
  gauge(
    'last_receipt_timestamp_seconds',
    'When this process last spooled a receipt (Unix time)',
    (s) => seconds(s.lastReceiptAt),
  );
  gauge(
    'last_handover_timestamp_seconds',
    'When this process last handed a batch over to Redis (Unix time)',
    (s) => seconds(s.lastHandOverAt),
  );
  registry.registerMetric(
    monotonicCounter(
      { name: name('spooled_total'), help: 'Transactions spooled by this process', registers: [] },
      () => status()?.spooled,
    ),
  );
  registry.registerMetric(
    monotonicCounter(
      {
        name: name('handed_over_total'),
        help: 'Transactions handed over to Redis by this process (BullMQ addBulk resolved)',
        registers: [],
      },
      () => status()?.handedOver,
    ),
  );
  new Gauge({
    name: name('device_connected'),
    help: 'Per device: 1 when the serial line is open or the HID scanner connected, else 0',
    labelNames: ['device'] as const,
    registers,
    collect() {
      this.reset();
      for (const [device, state] of Object.entries(source?.devices() ?? {}))
        this.set({ device }, CONNECTED_STATES.has(state) ? 1 : 0);
    },
  });

  return {
    registry,
    countRejects(log) {
      return {
        async record(rejection) {
          await log.record(rejection);
          rejected.inc({ code: rejection.code });
        },
        close: () => log.close(),
      };
    },
    progressRecorder() {
      let last = 0;
      return (stats) => {
        if (stats.enqueued > last) enqueued.inc(stats.enqueued - last);
        last = stats.enqueued;
      };
    },
    observe(next) {
      source = next;
    },
  };
}
