/**
 * The Redis ACL documented in deploy/redis/acl.conf, on a Redis of the test's own: a terminal
 * user can add jobs (BullMQ's scripts), register client order and write its heartbeat, and
 * cannot flush, read outside the pos-ga4 keyspace, or list keys.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { createRedisConnection } from '@pos-ga4/redis';
import { startRedisServer } from '@pos-ga4/testkit';
import { completeTransaction } from '@pos-ga4/transaction';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

import { bullmqTransactionSink, redisHeartbeatStore, startHeartbeat } from '../src/index.js';

const ACL_FILE = fileURLToPath(new URL('../../../deploy/redis/acl.conf', import.meta.url));

describe('deploy/redis/acl.conf', () => {
  it('lets a terminal add jobs and heartbeats, and nothing destructive', async () => {
    const server = await startRedisServer();
    const admin = new Redis(server.url);
    try {
      for (const line of readFileSync(ACL_FILE, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('user '))) {
        await admin.call('ACL', 'SETUSER', ...line.split(/\s+/).slice(1));
      }
      const terminal = createRedisConnection(
        { url: server.url, username: 'pos-ga4-terminal', password: 'CHANGE-ME-terminal' },
        'worker',
      );
      const sink = bullmqTransactionSink({ connection: terminal, prefix: 'pos-ga4' });
      const result = completeTransaction({
        storeId: 's1',
        terminalId: 't1',
        receiptNumber: '1',
        kind: 'sale',
        occurredAt: new Date().toISOString(),
        currency: 'EUR',
        pricesIncludeTax: true,
        lines: [{ sku: 'A', name: 'P', quantity: 1, unitPrice: 100, lineTotal: 100 }],
        subtotal: 100,
        tax: 16,
        total: 100,
        identities: [{ kind: 'ga-client-id', value: '1.2' }],
        source: { format: 'jsonl' },
      });
      if (!result.ok) throw new Error(result.rejection.reason);
      await sink.enqueue([result.transaction]);
      const heartbeat = startHeartbeat({
        store: redisHeartbeatStore({ connection: terminal, prefix: 'pos-ga4' }),
        identity: { storeId: 's1', terminalId: 't1', version: 'test' },
      });
      expect(await heartbeat.publishNow()).toBe(true);
      await heartbeat.close();
      expect(
        (await admin.keys('pos-ga4:*')).some((key) =>
          key.endsWith(`:${result.transaction.transactionId}`),
        ),
      ).toBe(true);
      await expect(terminal.flushall()).rejects.toThrow(/NOPERM/);
      await expect(terminal.get('other:key')).rejects.toThrow(/NOPERM/);
      await expect(terminal.keys('pos-ga4:*')).rejects.toThrow(/NOPERM/);
      await sink.close();
      terminal.disconnect();
    } finally {
      admin.disconnect();
      await server.close();
    }
  });
});
