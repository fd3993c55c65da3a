/**
 * Phase: the CPU floor per transaction — what any sender must spend to move one transaction from
 * a BullMQ queue to the collector: one no-op BullMQ job (the ceiling phase's CPU per job, passed
 * in) plus one keep-alive `undici.request` POST of one event's body (serialize, send, read the
 * answer). The POST part is measured here, in the bench process: `requests` POSTs to the local
 * collector process at the given latency, `concurrency` in flight on one undici `Agent` with as
 * many connections (the pos-ga4 MP client's setup: connections = worker concurrency), each body
 * one mapped workload event (`mapTransaction`, done before the clock starts: the mapping is not
 * in the floor), after a warm-up of `warmUp` POSTs; CPU is `process.cpuUsage()` over the timed
 * POSTs ÷ their count. Every answer must be 2xx. Aborts after `timeoutMs`; the Agent and the
 * collector are closed.
 */
import { mapTransaction } from '@pos-ga4/ga4-mp';
import type { MpEvent } from '@pos-ga4/ga4-mp';
import { collectUrl } from '@pos-ga4/ga4-mp';
import { scannedClientIdOf } from '@pos-ga4/queue-contract';
import { isCurrencyCode, minorUnitsOf } from '@pos-ga4/transaction';
import type { Transaction } from '@pos-ga4/transaction';
import { pseudoClientId } from '@pos-ga4/worker';
import { Agent, request } from 'undici';

import { startCollectorProcess } from './bench-env.js';
import { round } from './bench-util.js';
import { ownCpuMs } from './process-stats.js';

export interface FloorResult {
  readonly latencyMs: number;
  readonly requests: number;
  readonly concurrency: number;
  readonly requestsPerSecond: number;
  /** CPU of one keep-alive undici POST of one event, in the bench process. */
  readonly postCpuMs: number;
  /** CPU of one no-op BullMQ job (the ceiling phase's worker CPU per job). */
  readonly noOpJobCpuMs: number;
  /** The floor: postCpuMs + noOpJobCpuMs. */
  readonly cpuMsPerTransaction: number;
}

interface Body {
  readonly client_id: string;
  readonly events: readonly MpEvent[];
}

/** One single-event request body per transaction (`mapTransaction`, as the naive sender does). */
export function eventBodies(transactions: readonly Transaction[], now: number): Body[] {
  return transactions.map((transaction) => {
    const mapped = mapTransaction(transaction, {
      now,
      currencyExponent: isCurrencyCode(transaction.currency)
        ? minorUnitsOf(transaction.currency)
        : 2,
    });
    if (!mapped.ok) throw new Error(`floor: ${mapped.code} ${mapped.reason}`);
    return {
      client_id: scannedClientIdOf(transaction)?.clientId ?? pseudoClientId(transaction),
      events: [mapped.event],
    };
  });
}

/** POSTs every body, `concurrency` at a time; throws on a non-2xx answer or past `deadline`. */
async function postAll(
  bodies: readonly Body[],
  target: { url: string; agent: Agent; concurrency: number },
  deadline: number,
): Promise<void> {
  const headers = { 'content-type': 'application/json', 'user-agent': 'pos-ga4-bench' };
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < bodies.length; i = next++) {
      const response = await request(target.url, {
        dispatcher: target.agent,
        method: 'POST',
        headers,
        body: JSON.stringify(bodies[i]),
      });
      await response.body.text();
      if (response.statusCode < 200 || response.statusCode >= 300)
        throw new Error(`floor: HTTP ${response.statusCode}`);
      if (Date.now() > deadline) throw new Error('floor: phase timed out');
    }
  };
  await Promise.all(Array.from({ length: target.concurrency }, lane));
}

export async function runFloor(
  transactions: readonly Transaction[],
  settings: {
    latencyMs: number;
    requests: number;
    concurrency: number;
    noOpJobCpuMs: number;
    timeoutMs: number;
    warmUp?: number;
  },
): Promise<FloorResult> {
  const deadline = Date.now() + settings.timeoutMs;
  const collector = await startCollectorProcess(settings.latencyMs);
  const agent = new Agent({
    connections: settings.concurrency,
    keepAliveTimeout: 30_000,
    headersTimeout: settings.timeoutMs,
    bodyTimeout: settings.timeoutMs,
  });
  try {
    const url = collectUrl(
      {
        region: 'global',
        baseUrl: collector.baseUrl,
        stream: { measurementId: 'G-FLOOR' },
        apiSecret: 'floor-secret',
      },
      false,
    );
    const target = { url, agent, concurrency: settings.concurrency };
    const sample = transactions.slice(0, Math.min(settings.requests, transactions.length));
    const bodies = eventBodies(sample, Date.now());
    await postAll(bodies.slice(0, settings.warmUp ?? 500), target, deadline);
    const cpuBefore = ownCpuMs();
    const started = performance.now();
    await postAll(bodies, target, deadline);
    const elapsedMs = performance.now() - started;
    const postCpuMs = (ownCpuMs() - cpuBefore) / bodies.length;
    return {
      latencyMs: settings.latencyMs,
      requests: bodies.length,
      concurrency: settings.concurrency,
      requestsPerSecond: round((bodies.length / elapsedMs) * 1000, 0),
      postCpuMs: round(postCpuMs, 3),
      noOpJobCpuMs: settings.noOpJobCpuMs,
      cpuMsPerTransaction: round(postCpuMs + settings.noOpJobCpuMs, 3),
    };
  } finally {
    await agent.close();
    await collector.close();
  }
}
