/**
 * The terminal adapter as deployed, with real parts: a serial line (socat pseudo-terminal pair),
 * a HID scanner (the HID port's fake), a Redis of the test's own that is stopped and restarted
 * mid-stream, and the pty unplugged and replugged. Every receipt must reach the queue exactly
 * once, in order; a customer's scan must join its receipt; the heartbeat must be published.
 */
import { constants } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createLogger } from '@pos-ga4/logger';
import { DEFAULT_PARTITIONS, transactionQueueName } from '@pos-ga4/queue-contract';
import type { TransactionJobData } from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';
import { FakeHidProvider, socatPair, startRedisServer, usKeyboardReports } from '@pos-ga4/testkit';
import { Queue } from 'bullmq';
import type { Job } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';

import { buildTerminal, loadSystemSerialBinding, TerminalConfigSchema } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
});

async function write(path: string, lines: readonly string[]): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_NOCTTY);
  try {
    for (const line of lines) await handle.write(Buffer.from(`${line}\n`, 'utf8'));
  } finally {
    await handle.close();
  }
}

function receipt(n: number): string {
  const occurredAt = new Date(Date.now() - 3_600_000 + n * 1000).toISOString();
  return JSON.stringify({
    receiptNumber: `R${String(n).padStart(4, '0')}`,
    kind: 'sale',
    occurredAt,
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: [{ sku: 'A', name: 'Pen', quantity: 1, unitPrice: 100 + n, lineTotal: 100 + n }],
    subtotal: 100 + n,
    tax: 16,
    total: 100 + n,
  });
}

/** All jobs waiting in the partition queues, oldest first; the connections are cleaned up. */
function queuedJobs(url: string): () => Promise<Job<TransactionJobData>[]> {
  const admin = createRedisConnection({ url }, 'worker');
  const queues = Array.from(
    { length: DEFAULT_PARTITIONS },
    (_, p) =>
      new Queue<TransactionJobData>(transactionQueueName(p), {
        connection: admin,
        prefix: 'pos-ga4',
      }),
  );
  cleanup.push(async () => {
    await Promise.all(queues.map((q) => q.close()));
    admin.disconnect();
  });
  return async () =>
    (await Promise.all(queues.map((q) => q.getJobs(['wait'], 0, -1, true)))).flat();
}

async function until(predicate: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('terminal adapter end to end', () => {
  it('serial receipts and a HID scan reach Redis once and in order, through a Redis outage and an unplug', async () => {
    const redisServer = await startRedisServer();
    cleanup.push(() => redisServer.close());
    const pair = await socatPair();
    cleanup.push(() => pair.close());
    const binding = await loadSystemSerialBinding();
    if (!binding.ok) throw new Error(binding.message);
    const hid = new FakeHidProvider([
      { vendorId: 0x0c2e, productId: 0x0b61, path: '/dev/hidraw-fake' },
    ]);
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-ga4-terminal-'));
    const config = TerminalConfigSchema.parse({
      storeId: 'berlin-01',
      terminalId: 'till-7',
      redis: { url: redisServer.url, prefix: 'pos-ga4' },
      dataDir,
      heartbeatIntervalMs: 1000,
      scanMatching: { beforeMs: 60_000, afterMs: 300 },
      sources: [
        {
          type: 'serial',
          path: pair.devicePath,
          format: 'jsonl',
          reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
        },
        { type: 'hid', device: { vendorId: 0x0c2e, productId: 0x0b61 } },
      ],
    });
    const redis = createRedisConnection({ url: redisServer.url }, 'producer');
    redis.on('error', () => undefined);
    cleanup.push(async () => {
      redis.disconnect();
      await Promise.resolve();
    });
    const terminal = await buildTerminal({
      config,
      redis,
      logger: createLogger({ name: 't', level: 'silent' }),
      serialBinding: binding.binding,
      hidProvider: hid,
    });
    cleanup.push(() => terminal.close({ flushTimeoutMs: 100 }));

    await until(() =>
      Promise.resolve(
        hid.current !== undefined &&
          Object.values(terminal.devices()).every(
            (state) => state === 'open' || state === 'connected',
          ),
      ),
    );
    // the customer shows their GA client id, then receipt 5 is printed
    await write(pair.peerPath, [1, 2, 3, 4].map(receipt));
    // past receipt 4's after-cut window (300 ms), so the scan belongs to the next receipt
    await new Promise((resolve) => setTimeout(resolve, 700));
    hid.current?.emitReports(usKeyboardReports('GA1.1.444555666.1700000000\n'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await write(pair.peerPath, [5, 6, 7, 8, 9, 10].map(receipt));

    // Redis goes away; receipts keep coming and are spooled
    await redisServer.stop({ kill: true });
    await write(
      pair.peerPath,
      Array.from({ length: 20 }, (_, i) => receipt(11 + i)),
    );
    // (bytes still in the pty when it is unplugged never reached the terminal: wait for them first)
    await until(() => Promise.resolve(terminal.sink.status().spooled === 30));
    // the serial line is unplugged and comes back
    const serialState = (): string | undefined =>
      Object.entries(terminal.devices()).find(([name]) => name !== 'hid-0')?.[1];
    await pair.kill();
    await until(() => Promise.resolve(serialState() !== 'open'), 10_000);
    await pair.restart();
    await until(() => Promise.resolve(serialState() === 'open'));
    await write(
      pair.peerPath,
      Array.from({ length: 20 }, (_, i) => receipt(31 + i)),
    );
    await until(() => Promise.resolve(terminal.sink.status().spooled === 50)).catch(
      (error: unknown) => {
        throw new Error(
          `spooled ${terminal.sink.status().spooled} of 50, devices ${JSON.stringify(terminal.devices())}`,
          { cause: error },
        );
      },
    );
    expect(terminal.sink.status().depth).toBeGreaterThan(0);
    await redisServer.start();

    const jobs = queuedJobs(redisServer.url);
    await until(async () => (await jobs()).length >= 50);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const all = await jobs();
    const numbers = all
      .sort((a, b) => (a.data.sequence ?? 0) - (b.data.sequence ?? 0))
      .map((job) => Number(job.data.transaction.receiptNumber.slice(1)));
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const five = all.find((job) => job.data.transaction.receiptNumber === 'R0005');
    expect(five?.data.transaction.identities).toEqual([
      expect.objectContaining({ kind: 'ga-client-id', value: '444555666.1700000000' }),
    ]);
    expect(all.filter((job) => job.data.transaction.identities.length > 0)).toHaveLength(1);
    expect(five?.data.transaction.source.captureRef).toMatch(
      /^capture-\d{8}-\d{6}-\d+\.bin@\d+\+\d+$/,
    );
    // heartbeat published with device states and spool depth
    const probe = createRedisConnection({ url: redisServer.url }, 'worker');
    cleanup.push(async () => {
      probe.disconnect();
      await Promise.resolve();
    });
    await until(async () => (await probe.zcard('pos-ga4:{terminals}')) === 1);
  });

  it('turns an ESC/POS printer stream on the serial line into a job, through the receipt profile', async () => {
    const redisServer = await startRedisServer();
    cleanup.push(() => redisServer.close());
    const pair = await socatPair();
    cleanup.push(() => pair.close());
    const binding = await loadSystemSerialBinding();
    if (!binding.ok) throw new Error(binding.message);
    const config = TerminalConfigSchema.parse({
      storeId: 'examplemart-42',
      terminalId: 'till-1',
      redis: { url: redisServer.url, prefix: 'pos-ga4' },
      dataDir: mkdtempSync(join(tmpdir(), 'pos-ga4-terminal-')),
      sources: [
        {
          type: 'serial',
          path: pair.devicePath,
          format: 'escpos',
          profile: join(ROOT, 'profiles', 'examplemart.yaml'),
        },
      ],
    });
    const redis = createRedisConnection({ url: redisServer.url }, 'producer');
    cleanup.push(async () => {
      redis.disconnect();
      await Promise.resolve();
    });
    const terminal = await buildTerminal({
      config,
      redis,
      logger: createLogger({ name: 't', level: 'silent' }),
      serialBinding: binding.binding,
    });
    cleanup.push(() => terminal.close({ flushTimeoutMs: 100 }));
    await until(() =>
      Promise.resolve(Object.values(terminal.devices()).every((state) => state === 'open')),
    );
    const handle = await open(pair.peerPath, constants.O_WRONLY | constants.O_NOCTTY);
    await handle.write(
      await readFile(join(ROOT, 'fixtures', 'escpos', 'escpos-php', 'receipt-with-logo.bin')),
    );
    await handle.close();
    const jobs = queuedJobs(redisServer.url);
    await until(async () => (await jobs()).length === 1);
    const [job] = await jobs();
    expect(job?.data.transaction).toMatchObject({
      subtotal: 1295,
      tax: 130,
      total: 1425,
      source: { format: 'escpos', profile: expect.any(String) as unknown },
    });
    expect(job?.data.transaction.lines).toHaveLength(4);
  });
});
