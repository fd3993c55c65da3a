/** The terminal's recording functions and scrape-time gauges, on a private registry. */
import { createMetricsRegistry } from '@pos-ga4/metrics';
import { describe, expect, it } from 'vitest';

import type { DurableSinkStatus } from '../enqueue/durable-transaction-sink.js';
import type { RejectCode } from '../errors.js';
import type { Rejection, RejectLog } from '../reject/reject-log.js';

import { createTerminalMetrics } from './terminal-metrics.js';
import { startTerminalMetrics } from './start-terminal-metrics.js';

const baseStatus: DurableSinkStatus = {
  depth: 0,
  bytes: 0,
  fill: 0,
  alarm: false,
  full: false,
  spooled: 0,
  handedOver: 0,
  batches: 0,
  consecutiveFailures: 0,
  lastError: undefined,
  lastHandOverAt: undefined,
  inFlight: false,
  lastReceiptAt: undefined,
};

function rejection(code: RejectCode): Rejection {
  return { code, reason: 'r', raw: new Uint8Array([1]), format: 'jsonl', captureRef: 'f@0+1' };
}

describe('createTerminalMetrics', () => {
  it('counts rejections by code after they are recorded, and passes close through', async () => {
    const metrics = createTerminalMetrics(createMetricsRegistry({ defaultMetrics: false }));
    const recorded: string[] = [];
    let closed = false;
    const inner: RejectLog = {
      record: (r) => {
        recorded.push(r.code);
        return Promise.resolve();
      },
      close: () => {
        closed = true;
        return Promise.resolve();
      },
    };
    const log = metrics.countRejects(inner);
    await log.record(rejection('JSON_INVALID'));
    await log.record(rejection('JSON_INVALID'));
    await log.record(rejection('SCAN_UNMATCHED'));
    await log.close();
    expect(recorded).toHaveLength(3);
    expect(closed).toBe(true);
    const text = await metrics.registry.metrics();
    expect(text).toContain('pos_ga4_receipts_rejected_total{code="JSON_INVALID"} 2');
    expect(text).toContain('pos_ga4_receipts_rejected_total{code="SCAN_UNMATCHED"} 1');
  });

  it('counts enqueued receipts from each pipeline’s cumulative progress', async () => {
    const metrics = createTerminalMetrics(createMetricsRegistry({ defaultMetrics: false }));
    const first = metrics.progressRecorder();
    const second = metrics.progressRecorder();
    const stats = (enqueued: number) => ({
      receipts: enqueued,
      enqueued,
      rejected: 0,
      rejectedByCode: {},
    });
    first(stats(2));
    second(stats(5));
    first(stats(3));
    expect(await metrics.registry.metrics()).toContain('pos_ga4_receipts_enqueued_total 8');
  });

  it('reads the spool status and device states on scrape', async () => {
    const metrics = createTerminalMetrics(createMetricsRegistry({ defaultMetrics: false }));
    let status: DurableSinkStatus = {
      ...baseStatus,
      depth: 120,
      bytes: 64_000,
      fill: 0.85,
      alarm: true,
      spooled: 130,
      handedOver: 10,
      consecutiveFailures: 4,
      lastReceiptAt: '2026-11-26T10:00:00.000Z',
    };
    let devices: Record<string, string> = { 'serial-ttyUSB0': 'open', 'hid-0': 'searching' };
    metrics.observe({ sink: { status: () => status }, devices: () => devices });
    let text = await metrics.registry.metrics();
    expect(text).toContain('pos_ga4_spool_depth 120');
    expect(text).toContain('pos_ga4_spool_bytes 64000');
    expect(text).toContain('pos_ga4_spool_fill_ratio 0.85');
    expect(text).toContain('pos_ga4_spool_alarm 1');
    expect(text).toContain('pos_ga4_spool_full 0');
    expect(text).toContain('pos_ga4_spooled_total 130');
    expect(text).toContain('pos_ga4_handed_over_total 10');
    expect(text).toContain('pos_ga4_handover_consecutive_failures 4');
    expect(text).toContain('pos_ga4_last_receipt_timestamp_seconds 1795687200');
    expect(text).toContain('pos_ga4_device_connected{device="serial-ttyUSB0"} 1');
    expect(text).toContain('pos_ga4_device_connected{device="hid-0"} 0');

    status = {
      ...status,
      depth: 0,
      fill: 0,
      alarm: false,
      handedOver: 130,
      consecutiveFailures: 0,
    };
    devices = { 'serial-ttyUSB0': 'reconnecting', 'hid-0': 'connected' };
    text = await metrics.registry.metrics();
    expect(text).toContain('pos_ga4_spool_alarm 0');
    expect(text).toContain('pos_ga4_handed_over_total 130');
    expect(text).toContain('pos_ga4_device_connected{device="serial-ttyUSB0"} 0');
    expect(text).toContain('pos_ga4_device_connected{device="hid-0"} 1');
  });
});

describe('startTerminalMetrics', () => {
  it('serves the terminal metrics labelled with store and terminal, and closes', async () => {
    const endpoint = await startTerminalMetrics({
      config: { storeId: 'ber-01', terminalId: 't1', metrics: { port: null, host: '127.0.0.1' } },
      port: 0,
    });
    try {
      endpoint.observe({
        sink: { status: () => ({ ...baseStatus, depth: 3 }) },
        devices: () => ({}),
      });
      const response = await fetch(endpoint.url);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain('pos_ga4_spool_depth{store_id="ber-01",terminal_id="t1"} 3');
      expect(text).toContain('process_resident_memory_bytes');
    } finally {
      await endpoint.close();
    }
    await expect(fetch(endpoint.url)).rejects.toThrow();
  });
});
