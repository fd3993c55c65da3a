/**
 * The durable sink against a real, private redis-server (AOF, so a restart keeps what it took)
 * that is stopped and started twice during a stream of receipts: every receipt arrives in the
 * BullMQ queue exactly once and in receipt order, `enqueue` never hangs while Redis is away, and
 * the heartbeat keeps neither the terminal waiting nor crashing, then reports again.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startRedisServer } from '@pos-ga4/testkit';
import type { RedisServerProcess } from '@pos-ga4/testkit';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

import { startHeartbeat } from '../src/heartbeat/heartbeat-publisher.js';
import { redisHeartbeatStore } from '../src/heartbeat/redis-heartbeat-store.js';
import { numberedTransactions } from './fixtures-spool/numbered-transactions.js';
import { openSpooledTerminal, queuedNumbers } from './fixtures-spool/spool-harness.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('durable enqueue through Redis outages', () => {
  it('delivers a stream of receipts once each, in order, across two stops and starts', async () => {
    const server: RedisServerProcess = await startRedisServer({ appendOnly: true });
    closers.push(() => server.close());
    const prefix = 'spool-outage';
    const terminal = await openSpooledTerminal({
      redisUrl: server.url,
      prefix,
      spool: { dir: mkdtempSync(join(tmpdir(), 'spool-outage-')) },
      sink: { batchSize: 100 },
    });
    closers.push(() => terminal.close());
    const heartbeatErrors: unknown[] = [];
    const heartbeat = startHeartbeat({
      store: redisHeartbeatStore({ connection: terminal.connection, prefix }),
      identity: { storeId: 's1', terminalId: 't1', version: 'test' },
      intervalMs: 100,
      timeoutMs: 500,
      spool: () => terminal.sink.status(),
      lastReceiptAt: () => terminal.sink.status().lastReceiptAt,
      devices: () => ({ journal: 'ok' }),
      onError: (e) => heartbeatErrors.push(e),
    });
    closers.push(() => heartbeat.close());

    const total = 900;
    let slowestEnqueueMs = 0;
    const outageDepths: number[] = [0];
    // after receipt 200: stop; after 350: start; after 550: stop; after 700: start
    const outages: { after: number; action: 'stop' | 'start' }[] = [
      { after: 200, action: 'stop' },
      { after: 350, action: 'start' },
      { after: 550, action: 'stop' },
      { after: 700, action: 'start' },
    ];
    let restarting: Promise<void> = Promise.resolve();
    for (let n = 1; n <= total; n += 3) {
      const next = outages[0];
      if (next !== undefined && n > next.after) {
        outages.shift();
        if (next.action === 'stop') {
          // the first outage is over and drained before the second begins
          await restarting;
          await terminal.sink.flush({ timeoutMs: 10_000 });
          await server.stop();
          outageDepths.push(0);
        } else {
          restarting = server.start();
        }
      }
      const started = performance.now();
      await terminal.sink.enqueue(numberedTransactions(n, 3));
      slowestEnqueueMs = Math.max(slowestEnqueueMs, performance.now() - started);
      const depth = terminal.sink.status().depth;
      outageDepths[outageDepths.length - 1] = Math.max(outageDepths.at(-1) ?? 0, depth);
      await sleep(4);
    }
    await restarting;
    await terminal.sink.flush({ timeoutMs: 20_000 });

    const admin = new Redis(server.url);
    closers.push(async () => {
      await admin.quit();
    });
    const queued = await queuedNumbers({ connection: admin, prefix });
    expect(queued).toHaveLength(total);
    expect(queued).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    process.stdout.write(
      `outage test: deepest spool per phase ${JSON.stringify(outageDepths)}, slowest enqueue ${slowestEnqueueMs.toFixed(1)} ms, ${JSON.stringify(terminal.sink.status())}\n`,
    );
    // the spool held receipts during each outage
    expect(outageDepths.slice(1).every((depth) => depth > 50)).toBe(true);
    expect(outageDepths).toHaveLength(3);
    expect(slowestEnqueueMs).toBeLessThan(500); // enqueue never waited for Redis
    const status = terminal.sink.status();
    expect(status).toMatchObject({ depth: 0, spooled: total, handedOver: total });

    // the heartbeat failed quietly during the outages and reports again now
    expect(heartbeatErrors.length).toBeGreaterThan(0);
    await heartbeat.publishNow();
    const hash = await admin.hgetall(`${prefix}:{terminals}:s1:t1`);
    expect(hash).toMatchObject({ spoolDepth: '0', devices: '{"journal":"ok"}', version: 'test' });
    expect(await admin.zscore(`${prefix}:{terminals}`, 's1:t1')).not.toBeNull();
  });
});
