/**
 * A spool that fills while Redis is away (a private redis-server, stopped before the terminal
 * starts, so BullMQ's first `addBulk` hangs waiting for the connection, bullmq#995): the alarm
 * fires at 80 %, `enqueue` then rejects a whole batch with SPOOL_FULL and spools none of it,
 * everything already spooled survives a restart of the terminal and reaches the queue once Redis
 * is back, in order; the refused batch, replayed from the capture, follows it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startRedisServer } from '@pos-ga4/testkit';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

import { isSpoolError } from '../src/enqueue/spool/spool-error.js';
import type { SpoolLevel } from '../src/enqueue/spool/spool.js';
import { numberedTransactions } from './fixtures-spool/numbered-transactions.js';
import { openSpooledTerminal, queuedNumbers } from './fixtures-spool/spool-harness.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const range = (from: number, count: number): number[] =>
  Array.from({ length: count }, (_, i) => from + i);

describe('a full spool', () => {
  it('raises the alarm, refuses whole batches with SPOOL_FULL and loses nothing spooled', async () => {
    const server = await startRedisServer();
    closers.push(() => server.close());
    await server.stop();
    const prefix = 'spool-full';
    const dir = mkdtempSync(join(tmpdir(), 'spool-full-'));
    const alarms: SpoolLevel[] = [];
    const errors: unknown[] = [];
    const spoolOptions = {
      dir,
      capacity: { maxEntries: 40, alarmRatio: 0.8 },
      onAlarm: (level: SpoolLevel) => alarms.push(level),
    };
    const first = await openSpooledTerminal({
      redisUrl: server.url,
      prefix,
      spool: spoolOptions,
      sink: { handOverTimeoutMs: 300, onHandOverError: (e) => errors.push(e) },
    });
    for (let n = 1; n <= 40; n += 5) await first.sink.enqueue(numberedTransactions(n, 5));
    expect(alarms).toEqual([expect.objectContaining({ alarm: true, depth: 35 })]);
    const refused = await first.sink.enqueue(numberedTransactions(41, 5)).catch((e: unknown) => e);
    expect(isSpoolError(refused, 'SPOOL_FULL')).toBe(true);
    expect(first.sink.status()).toMatchObject({ depth: 40, full: true, alarm: true, spooled: 40 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(errors.some((e) => isSpoolError(e, 'HANDOVER_TIMEOUT'))).toBe(true);
    await first.close();

    // the terminal restarts, still full; Redis comes back; the spool drains in order
    const second = await openSpooledTerminal({ redisUrl: server.url, prefix, spool: spoolOptions });
    closers.push(() => second.close());
    expect(second.sink.status()).toMatchObject({ depth: 40, alarm: true });
    await server.start();
    await second.sink.flush({ timeoutMs: 10_000 });
    expect(alarms.at(-1)).toMatchObject({ alarm: false, depth: 0 });
    // the refused batch, replayed from the raw capture, now goes through
    await second.sink.enqueue(numberedTransactions(41, 5));
    await second.sink.flush({ timeoutMs: 10_000 });

    const admin = new Redis(server.url);
    closers.push(async () => {
      await admin.quit();
    });
    expect(await queuedNumbers({ connection: admin, prefix })).toEqual(range(1, 45));
  });
});
