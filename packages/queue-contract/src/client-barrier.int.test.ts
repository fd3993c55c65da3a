/**
 * The client barrier's commands against a real Redis (a key prefix of the test's own, deleted
 * after): register is ZADD NX (a re-registration keeps the first score), heads are per distinct
 * client in score order, release removes only the named members.
 */
import { redisTestResource } from '@pos-ga4/testkit';
import type { RedisTestResource } from '@pos-ga4/testkit';
import { afterEach, describe, expect, it } from 'vitest';

import { ClientBarrier, clientBarrierKey } from './index.js';

let redis: RedisTestResource | undefined;
afterEach(async () => {
  await redis?.cleanup();
  redis = undefined;
});

function barrier(): { barrier: ClientBarrier; resource: RedisTestResource } {
  redis = redisTestResource('client-barrier');
  return {
    barrier: new ClientBarrier({ redis: redis.redis, prefix: redis.prefix }),
    resource: redis,
  };
}

describe('ClientBarrier', () => {
  it('keys clients under the contract’s key', () => {
    const { barrier: b, resource } = barrier();
    expect(b.clientKey('1.2')).toBe(clientBarrierKey(resource.prefix, '1.2'));
    expect(b.clientKey('1.2')).toBe(`${resource.prefix}:client:1.2`);
  });

  it('registers with ZADD NX, reads heads per client in order, releases members', async () => {
    const { barrier: b, resource } = barrier();
    const a = b.clientKey('1.1');
    const c = b.clientKey('2.2');
    await b.register([
      { clientKey: a, score: 30, transactionId: 'a3' },
      { clientKey: a, score: 10, transactionId: 'a1' },
      { clientKey: a, score: 20, transactionId: 'a2' },
      { clientKey: c, score: 5, transactionId: 'c1' },
    ]);
    // a re-registration (a retry, a replay) keeps the first score
    await b.register([{ clientKey: a, score: 99, transactionId: 'a1' }]);
    expect(await resource.redis.zscore(a, 'a1')).toBe('10');

    const heads = await b.heads([a, c, a, b.clientKey('3.3')], 2);
    expect([...heads.entries()]).toEqual([
      [a, ['a1', 'a2']],
      [c, ['c1']],
      [b.clientKey('3.3'), []],
    ]);

    await b.release([
      { clientKey: a, transactionId: 'a1' },
      { clientKey: c, transactionId: 'c1' },
      { clientKey: c, transactionId: 'not-there' },
    ]);
    expect(await resource.redis.zrange(a, 0, -1)).toEqual(['a2', 'a3']);
    expect(await resource.redis.exists(c)).toBe(0);
  });

  it('does nothing for no entries', async () => {
    const { barrier: b } = barrier();
    await expect(b.register([])).resolves.toBeUndefined();
    await expect(b.release([])).resolves.toBeUndefined();
    expect((await b.heads([], 5)).size).toBe(0);
  });
});
