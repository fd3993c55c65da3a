import { describe, expect, it } from 'vitest';

import { redisOptions } from './index.js';

describe('redisOptions', () => {
  it('fails fast for producers and waits for workers', () => {
    expect(redisOptions({ url: 'redis://127.0.0.1:6379' }, 'producer')).toMatchObject({
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    expect(redisOptions({ url: 'redis://127.0.0.1:6379' }, 'worker')).toMatchObject({
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
    });
  });

  it('turns rediss:// into TLS and reads ACL credentials and db from the URL', () => {
    const options = redisOptions(
      { url: 'rediss://terminal:p%40ss@redis.example:6380/2' },
      'producer',
    );
    expect(options).toMatchObject({
      host: 'redis.example',
      port: 6380,
      db: 2,
      username: 'terminal',
      password: 'p@ss',
      tls: { servername: 'redis.example' },
    });
  });

  it('lets config fields win over the URL', () => {
    expect(
      redisOptions({ url: 'redis://a:b@h', username: 'u', password: 'p' }, 'worker'),
    ).toMatchObject({ username: 'u', password: 'p' });
  });
});
