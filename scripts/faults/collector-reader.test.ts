/** Reading the collector's persisted requests (collector-process.ts `createReader`): deliveries, request counts, events without a transaction id. */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { createReader } from './collector-process.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

let nextId = 1;
const request = (
  events: Record<string, unknown>[],
  extra: { status?: number; fault?: string; measurementId?: string } = {},
): string =>
  `${JSON.stringify({
    id: nextId++,
    receivedAt: '2026-11-26T12:00:00.000Z',
    endpoint: 'collect',
    measurementId: extra.measurementId ?? 'G-TEST',
    apiSecretPresent: true,
    status: extra.status ?? 204,
    fault: extra.fault ?? 'none',
    bytes: 0,
    body: { client_id: '1.2', events },
    validationMessages: [],
  })}\n`;

const purchase = (transactionId: unknown) => ({
  name: 'purchase',
  params: { transaction_id: transactionId, value: 1, currency: 'EUR' },
});

describe('createReader', () => {
  it('counts delivered events without a string transaction_id instead of dropping them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faults-reader-'));
    dirs.push(dir);
    const file = join(dir, 'requests.jsonl');
    writeFileSync(file, '');
    const reader = createReader(file, 'G-TEST');
    appendFileSync(
      file,
      request([purchase('s_t_20261126_1'), purchase(42), { name: 'purchase', params: {} }]) +
        // not delivered (503) or another scenario's: not counted
        request([purchase(undefined)], { status: 503, fault: 'error' }) +
        request([purchase(undefined)], { measurementId: 'G-OTHER' }),
    );
    const { deliveries, requests, withoutTransactionId } = reader.poll();
    expect(deliveries).toEqual([
      {
        transactionId: 's_t_20261126_1',
        clientId: '1.2',
        receivedAtMs: Date.parse('2026-11-26T12:00:00.000Z'),
      },
    ]);
    expect(withoutTransactionId).toBe(2);
    expect(requests).toEqual({ status204: 1, error: 1 });
    // incremental: a later poll adds to the counts
    appendFileSync(file, request([purchase(null)]));
    expect(reader.poll().withoutTransactionId).toBe(3);
  });
});
