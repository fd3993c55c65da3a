/**
 * Phase: the naive sender. One blocking POST per transaction to the local collector's
 * /mp/collect, sequentially (`fetch`), each mapped with `mapTransaction`; client id = the scanned
 * GA client id or the worker's pseudo client id. Runs `sample` transactions (fewer than N when
 * asked: the rate is then extrapolated, and the result says so). No Redis. The collector runs
 * in its own process, as for the pos-ga4 phase.
 */
import { collectUrl, mapTransaction } from '@pos-ga4/ga4-mp';
import { scannedClientIdOf } from '@pos-ga4/queue-contract';
import { isCurrencyCode, minorUnitsOf } from '@pos-ga4/transaction';
import type { Transaction } from '@pos-ga4/transaction';
import { pseudoClientId } from '@pos-ga4/worker';

import { startCollectorProcess } from './bench-env.js';
import { round } from './bench-util.js';

export interface NaiveResult {
  readonly latencyMs: number;
  readonly sent: number;
  readonly extrapolated: boolean;
  readonly elapsedMs: number;
  readonly transactionsPerSecond: number;
}

export async function runNaive(
  transactions: readonly Transaction[],
  settings: { latencyMs: number; sample: number; timeoutMs: number },
): Promise<NaiveResult> {
  const collector = await startCollectorProcess(settings.latencyMs);
  const { baseUrl } = collector;
  const url = collectUrl(
    { region: 'global', baseUrl, stream: { measurementId: 'G-NAIVE' }, apiSecret: 'naive-secret' },
    false,
  );
  const sample = transactions.slice(0, Math.min(settings.sample, transactions.length));
  const deadline = Date.now() + settings.timeoutMs;
  try {
    const started = performance.now();
    for (const transaction of sample) {
      const mapped = mapTransaction(transaction, {
        now: Date.now(),
        currencyExponent: isCurrencyCode(transaction.currency)
          ? minorUnitsOf(transaction.currency)
          : 2,
      });
      if (!mapped.ok) throw new Error(`naive: ${mapped.code} ${mapped.reason}`);
      const body = {
        client_id: scannedClientIdOf(transaction)?.clientId ?? pseudoClientId(transaction),
        events: [mapped.event],
      };
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`naive: HTTP ${response.status}`);
      if (Date.now() > deadline) throw new Error('naive: phase timed out');
    }
    const elapsedMs = performance.now() - started;
    return {
      latencyMs: settings.latencyMs,
      sent: sample.length,
      extrapolated: sample.length < transactions.length,
      elapsedMs: round(elapsedMs),
      transactionsPerSecond: round((sample.length / elapsedMs) * 1000, 1),
    };
  } finally {
    await collector.close();
  }
}
