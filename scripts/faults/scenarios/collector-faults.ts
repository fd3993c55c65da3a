/**
 * Scenario 4, `collector-faults`: GA4 (the local collector) answers 30 % of requests 503, 5 % 429
 * with `Retry-After: 1`, holds 2 % without an answer for 3 s (the worker's 1 s HTTP timeout fires
 * first) and resets 2 % of connections. Full: 5,000 receipts; `--short`: 300. `kills` = 0: a
 * request that got no 2xx recorded nothing at the collector, so no duplicate is allowed.
 */
import type { Scenario } from '../scenario.js';
import { runStream } from '../stream-run.js';

export const collectorFaults: Scenario = {
  name: 'collector-faults',
  summary: 'collector answers 30 % 5xx, 5 % 429 + Retry-After, timeouts, connection resets',
  run(context) {
    return runStream(
      context,
      {
        receipts: context.short ? 300 : 5_000,
        terminals: context.short ? 4 : 8,
        workers: 2,
        ratePerSecond: 100,
        redis: 'shared',
        faults: {
          errorRate: 0.3,
          rateLimitRate: 0.05,
          retryAfterSeconds: 1,
          timeoutRate: 0.02,
          timeoutHoldMs: 3_000,
          resetRate: 0.02,
          seed: context.seed,
        },
        workerEnv: { POS_GA4_HTTP_TIMEOUT_MS: '1000' },
      },
      () => ({ kills: () => 0, crashes: () => [] }),
    );
  },
};
