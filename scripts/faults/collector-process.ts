/**
 * The local GA4 collector as a real process (`pos-ga4 collector --persist FILE`), one per run,
 * and what it received.
 *
 * - `startCollector(dir)`: starts it on a free port, waits for `/healthz`; `setFaults(settings)`
 *   is `PUT /api/faults`; `clear()` is `DELETE /api/requests` (frees its memory between
 *   scenarios; the persisted file keeps everything).
 * - `reader(measurementId)`: reads the persisted requests from the current end of the file on,
 *   incrementally (a partial last line waits for the next poll), keeping only `/mp/collect`
 *   requests of that measurement id — each scenario's workers use their own, so scenarios never
 *   see each other's traffic. `poll()` returns the deliveries so far (events of 2xx requests, in
 *   arrival order, as the collector's `eventsOf` reads them), request counts by fault, and
 *   `withoutTransactionId`: delivered events whose `transaction_id` is not a string (every event
 *   the worker sends carries one; such an event is counted, never dropped silently, and the
 *   suite fails on it). `createReader(file, measurementId)` is the same reader on any file.
 * Errors: `startCollector` rejects when the collector does not answer within 30 s (its output
 * in the message); `setFaults` rejects on a non-2xx answer.
 * Lifecycle: `stop()` ends the process (SIGTERM); the file stays in `dir` (the caller's temp dir).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { eventsOf } from '@pos-ga4/collector';
import type { FaultSettingsInput, RecordedRequest } from '@pos-ga4/collector';
import { freeTcpPort } from '@pos-ga4/redis';

import type { Delivery } from './accounting.js';
import { spawnProcess } from './processes.js';
import type { ManagedProcess } from './processes.js';

export interface DeliveryReader {
  poll(): {
    deliveries: readonly Delivery[];
    requests: Readonly<Record<string, number>>;
    withoutTransactionId: number;
  };
  /** Distinct transaction ids delivered so far (after the last poll). */
  deliveredIds(): ReadonlySet<string>;
}

export interface CollectorHandle {
  readonly baseUrl: string;
  setFaults(settings: FaultSettingsInput): Promise<void>;
  clear(): Promise<void>;
  reader(measurementId: string): DeliveryReader;
  running(): boolean;
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function createReader(file: string, measurementId: string): DeliveryReader {
  let offset = fileSize(file);
  let partial = '';
  let withoutTransactionId = 0;
  const deliveries: Delivery[] = [];
  const ids = new Set<string>();
  const requests: Record<string, number> = {};
  const readNew = (): string => {
    const size = fileSize(file);
    if (size <= offset) return '';
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(size - offset);
      const read = readSync(fd, buffer, 0, buffer.length, offset);
      offset += read;
      return buffer.subarray(0, read).toString('utf8');
    } finally {
      closeSync(fd);
    }
  };
  return {
    poll() {
      const text = partial + readNew();
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') continue;
        const request = JSON.parse(line) as RecordedRequest;
        if (request.endpoint !== 'collect' || request.measurementId !== measurementId) continue;
        const key = request.fault === 'none' ? `status${request.status}` : request.fault;
        requests[key] = (requests[key] ?? 0) + 1;
        for (const event of eventsOf(request)) {
          const transactionId = event.params['transaction_id'];
          if (typeof transactionId !== 'string') {
            withoutTransactionId++;
            continue;
          }
          ids.add(transactionId);
          deliveries.push({
            transactionId,
            clientId: event.client_id,
            receivedAtMs: Date.parse(event.receivedAt),
          });
        }
      }
      return { deliveries, requests, withoutTransactionId };
    },
    deliveredIds: () => ids,
  };
}

export async function startCollector(dir: string): Promise<CollectorHandle> {
  const port = await freeTcpPort();
  const file = join(dir, 'collector-requests.jsonl');
  const baseUrl = `http://127.0.0.1:${port}`;
  const proc: ManagedProcess = spawnProcess({
    name: 'collector',
    args: ['collector', '--port', String(port), '--persist', file],
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await fetch(`${baseUrl}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    if (!proc.running() || Date.now() > deadline) {
      await proc.stop();
      throw new Error(`the collector did not start: ${proc.output()}`);
    }
    await sleep(100);
  }
  const call = async (method: string, path: string, body?: unknown): Promise<void> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!response.ok)
      throw new Error(`collector ${method} ${path}: ${response.status} ${await response.text()}`);
  };
  return {
    baseUrl,
    setFaults: (settings) => call('PUT', '/api/faults', settings),
    clear: () => call('DELETE', '/api/requests'),
    reader: (measurementId) => createReader(file, measurementId),
    running: () => proc.running(),
    stop: () => proc.stop(),
  };
}
