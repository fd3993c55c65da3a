import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { createLogger } from './index.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

const API_SECRET = 'xYz-Very-Secret-GA4-Key_123';
const REDIS_PASSWORD = 'hunter2-redis-pw';

describe('logger redaction', () => {
  it('never prints the GA4 api_secret or the Redis password, wherever they hide', () => {
    const out = capture();
    const log = createLogger({
      name: 'test',
      secrets: [API_SECRET, REDIS_PASSWORD],
      destination: out.stream,
    });
    log.info(
      { config: { ga4: { apiSecret: API_SECRET, measurementId: 'G-TEST123' } } },
      'config loaded',
    );
    log.info(
      {
        redis: {
          url: `rediss://terminal:${REDIS_PASSWORD}@redis.example:6380/0`,
          password: REDIS_PASSWORD,
        },
      },
      'connecting',
    );
    log.info(
      {
        url: `https://www.google-analytics.com/mp/collect?measurement_id=G-TEST123&api_secret=${API_SECRET}`,
      },
      'sending',
    );
    log.error({ err: new Error(`request to ...?api_secret=${API_SECRET} failed`) }, 'send failed');
    log.warn(`free text mentioning ${API_SECRET} and ${REDIS_PASSWORD}`);
    log.info({ headers: { authorization: 'Bearer abc.def.ghi' } }, 'headers');

    const text = out.text();
    expect(text).not.toContain(API_SECRET);
    expect(text).not.toContain(REDIS_PASSWORD);
    expect(text).not.toContain('abc.def.ghi');
    // what is not secret stays readable
    expect(text).toContain('G-TEST123');
    expect(text).toContain('redis.example:6380');
    expect(text).toContain('[REDACTED]');
    expect(text.trim().split('\n')).toHaveLength(6);
  });

  it('scrubs URL credentials and api_secret parameters even when the value was not registered', () => {
    const out = capture();
    const log = createLogger({ name: 'test', destination: out.stream });
    log.info(
      { target: 'redis://user:unregistered-pw@10.0.0.1:6379' },
      'at https://x/mp/collect?api_secret=unregistered-secret&a=1',
    );
    const text = out.text();
    expect(text).not.toContain('unregistered-pw');
    expect(text).not.toContain('unregistered-secret');
    expect(text).toContain('&a=1');
  });
});
