/**
 * `identity.hmacSecret` (the key that turns an unmapped loyalty card into a stable client_id) is a
 * secret: with a recognisable canary key, a worker that delivers card receipts writes it to no
 * log line (debug level), no Redis key or value, and no request GA4 receives; and the same card
 * is one client_id across receipts. Real Redis (own prefix), the worker in this process, the
 * local collector.
 */
import { Writable } from 'node:stream';

import type { MpRequest } from '@pos-ga4/ga4-mp';
import { createLogger } from '@pos-ga4/logger';
import { createRedisConnection } from '@pos-ga4/redis';
import { bullmqTransactionSink } from '@pos-ga4/terminal';
import { describe, expect, it } from 'vitest';

import { apiSecretsOf, buildWorker, createMpClients, WorkerConfigSchema } from '../src/index.js';
import type { DeliveryOutcome } from '../src/index.js';
import { sale, until } from './sales.js';
import { useTestRig } from './test-rig.js';

const rig = useTestRig('client-id-key');
const CANARY = 'CANARY-hmac-7f3a9c-must-never-leak';

/** Every string Redis holds under the test's prefix: key names and values of every type. */
async function redisText(): Promise<string> {
  const redis = createRedisConnection({ url: rig.redis.url }, 'worker');
  const parts: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${rig.redis.prefix}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        parts.push(key);
        const type = await redis.type(key);
        if (type === 'string') parts.push((await redis.get(key)) ?? '');
        else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
        else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
        else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1)));
        else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return parts.join('\n');
}

describe('identity.hmacSecret', () => {
  it('gives a card one client id across receipts and appears in no log line, Redis key or value, or request', async () => {
    const config = WorkerConfigSchema.parse({
      redis: { url: rig.redis.url, prefix: rig.redis.prefix },
      ga4: { baseUrl: rig.baseUrl, measurementId: 'G-KEY', apiSecret: 'key-test-secret' },
      identity: { hmacSecret: CANARY },
      leaseMs: 1000,
      batch: { windowMs: 20 },
      log: { level: 'debug' },
    });
    const lines: string[] = [];
    const logger = createLogger({
      name: 'worker',
      level: 'debug',
      secrets: apiSecretsOf(config),
      destination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      }),
    });
    logger.info({ config }, 'worker config'); // what a careless log line would do
    const at = Date.now() - 3_600_000;
    const connection = createRedisConnection({ url: rig.redis.url }, 'worker');
    const sink = bullmqTransactionSink({ connection, prefix: rig.redis.prefix });
    const till = { storeId: 'key-1', terminalId: 'till-1' };
    await sink.enqueue([
      sale(till, 1, { at, card: 'LOY-CANARY-1' }),
      sale(till, 2, { at: at + 60_000, card: 'LOY-CANARY-1' }),
    ]);
    await sink.close();
    const outcomes: DeliveryOutcome[] = [];
    const mp = createMpClients(config);
    const worker = await buildWorker({
      config,
      connection,
      clients: mp.clients,
      logger,
      onOutcome: (outcome) => outcomes.push(outcome),
    });
    rig.closers.push(async () => {
      await worker.close();
      await mp.closeAll();
      connection.disconnect();
    });
    await until(() => outcomes.length === 2, 'both receipts delivered');

    const bodies = rig.collector.store.requests().map((r) => r.body as MpRequest);
    const clients = new Set(bodies.map((body) => body.client_id));
    expect(clients.size).toBe(1);
    expect([...clients][0]).toMatch(/^\d{10}\.\d{10}$/);
    expect(lines.join('')).toContain('worker config');
    expect(lines.join('')).not.toContain(CANARY);
    expect(JSON.stringify(bodies)).not.toContain(CANARY);
    expect(JSON.stringify(bodies)).not.toContain('LOY-CANARY-1');
    const stored = await redisText();
    expect(stored).toContain('key-1_till-1'); // the scan saw the jobs
    expect(stored).not.toContain(CANARY);
  });
});
