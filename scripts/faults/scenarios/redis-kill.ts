/**
 * Scenario 2, `redis-kill`: Redis killed with `kill -9` mid-stream and restarted from its AOF
 * (`appendonly yes`, `appendfsync always`: every acknowledged write survives).
 *
 * The scenario runs its own redis-server (testkit `startRedisServer({ appendOnly: true })`) for
 * the terminals, the workers and the harness. When 40 % of the receipts are written, Redis gets
 * SIGKILL; receipts keep coming (the terminals spool them), and Redis is started again on the same
 * port after 3 s (2 s with `--short`). Full: 5,000 receipts; `--short`: 800. `kills` = 1 (Redis).
 * The outage, from the kill to 5 s after the restart, is the crash window for duplicates: a worker
 * that had a 2xx but could not write its ledger resends, and so does one that sent before noticing
 * that its lease lapsed during the outage. Every worker lost Redis, so the window is not tied to
 * one worker (`senders: 'all'`); the copy before a resend must still have arrived in it (from 2 s
 * before the kill to 0.5 s after its end), one resend per transaction.
 */
import type { CrashWindow } from '../accounting.js';
import type { Scenario } from '../scenario.js';
import { runStream } from '../stream-run.js';

/** Reconnect plus the next lease renewal (leaseMs 2 s in workers.ts), with room for a busy CPU. */
const LEASE_LOSS_MS = 5_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const redisKill: Scenario = {
  name: 'redis-kill',
  summary: 'Redis kill -9 mid-stream, restarted from its AOF (appendfsync always)',
  run(context) {
    const receipts = context.short ? 800 : 5_000;
    const downMs = context.short ? 2_000 : 3_000;
    const crashes: CrashWindow[] = [];
    let restarted: Promise<void> = Promise.resolve();
    return runStream(
      context,
      {
        receipts,
        terminals: context.short ? 4 : 8,
        workers: 2,
        ratePerSecond: context.short ? 100 : 80,
        redis: 'private-aof',
      },
      (system) => ({
        atSent: [
          {
            sent: Math.floor(receipts * 0.4),
            action: async () => {
              const server = system.redisServer;
              if (server === undefined) throw new Error('redis-kill needs its own redis-server');
              const from = Date.now();
              await server.stop({ kill: true });
              context.log(`kill -9 redis-server at ${system.delivered()} delivered`);
              restarted = (async () => {
                await sleep(downMs);
                await server.start();
                // every lease lapsed during the outage; a worker notices at its first renewal after
                // reconnecting, and a request it sent until then may be repeated (delivery.md)
                crashes.push({ from, to: Date.now() + LEASE_LOSS_MS, senders: 'all' });
                context.log(`redis-server restarted after ${Date.now() - from} ms`);
              })();
            },
          },
        ],
        afterFeed: () => restarted,
        kills: () => crashes.length,
        crashes: () => crashes,
      }),
    );
  },
};
