/**
 * The terminal daemon drains its spool as soon as its Redis connection is ready again
 * (docs/terminal-durability.md: `retryNow()` wired to the connection's `ready`), instead of when
 * the drain's backoff ends — after a long outage that backoff is up to 30 s. The connection here
 * points at a port where nothing listens, so every hand-over fails at once; its `ready` event is
 * emitted by the test, the way ioredis emits it after reconnecting.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createLogger } from '@pos-ga4/logger';
import { createRedisConnection, freeTcpPort } from '@pos-ga4/redis';
import { afterEach, describe, expect, it } from 'vitest';

import { buildTerminal, TerminalConfigSchema } from '../src/index.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function until(predicate: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

describe('terminal daemon and a returning Redis', () => {
  it('retries the hand-over at once when the Redis connection becomes ready', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-ga4-ready-'));
    closers.push(async () => {
      rmSync(dir, { recursive: true, force: true });
      await Promise.resolve();
    });
    const journal = join(dir, 'day.jsonl');
    writeFileSync(
      journal,
      `${JSON.stringify({
        receiptNumber: 'R1',
        kind: 'sale',
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
        currency: 'EUR',
        pricesIncludeTax: true,
        lines: [{ sku: 'A', name: 'Pen', quantity: 1, unitPrice: 100, lineTotal: 100 }],
        subtotal: 100,
        tax: 16,
        total: 100,
        // a scanned client id: the hand-over starts with a command that fails at once
        identities: [{ kind: 'ga-client-id', value: '123456789.1700000000' }],
      })}\n`,
    );
    const redis = createRedisConnection(
      { url: `redis://127.0.0.1:${await freeTcpPort()}` },
      'producer',
    );
    redis.on('error', () => undefined);
    closers.push(async () => {
      redis.disconnect();
      await Promise.resolve();
    });
    const terminal = await buildTerminal({
      config: TerminalConfigSchema.parse({
        storeId: 's1',
        terminalId: 't1',
        dataDir: join(dir, 'data'),
        sources: [{ type: 'file', path: journal, format: 'jsonl' }],
      }),
      redis,
      logger: createLogger({ name: 't', level: 'silent' }),
    });
    closers.push(() => terminal.close({ flushTimeoutMs: 10 }));

    // failures 1…5 at about 0, 0.25, 0.75, 1.75 and 3.75 s; the next one would wait 4 s (±20 %)
    await until(() => terminal.sink.status().consecutiveFailures >= 5, 15_000);
    const failures = terminal.sink.status().consecutiveFailures;
    expect(terminal.sink.status().depth).toBe(1);
    redis.emit('ready');
    const waited = await until(() => terminal.sink.status().consecutiveFailures > failures, 2_500);
    expect(waited).toBeLessThan(2_500);
  });
});
