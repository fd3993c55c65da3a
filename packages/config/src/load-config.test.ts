import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import {
  ConfigError,
  defaultedBlock,
  envOverrides,
  loadConfig,
  RedisConnectionSchema,
  redisUrlSecrets,
} from './index.js';

const Schema = z.strictObject({
  storeId: z.string().min(1),
  redis: defaultedBlock(RedisConnectionSchema),
  ga4: z.strictObject({
    apiSecret: z.string().min(1),
    batchSize: z.number().int().max(25).default(25),
  }),
});

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-ga4-config-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('reads YAML and applies env overrides with nesting and camelCase', () => {
    const file = tempFile('worker.yaml', 'storeId: s1\nga4:\n  apiSecret: from-file\n');
    const config = loadConfig({
      schema: Schema,
      file,
      env: {
        POS_GA4_GA4__API_SECRET: 'from-env',
        POS_GA4_GA4__BATCH_SIZE: '10',
        REDIS_URL: 'rediss://r:6380',
      },
      aliases: { REDIS_URL: 'redis.url' },
    });
    expect(config.ga4).toEqual({ apiSecret: 'from-env', batchSize: 10 });
    expect(config.redis.url).toBe('rediss://r:6380');
  });

  it('names the field, the expectation and the origin of a bad value', () => {
    const file = tempFile(
      'worker.json',
      JSON.stringify({ storeId: 's1', ga4: { apiSecret: 'x' } }),
    );
    const error = configError(() =>
      loadConfig({
        schema: Schema,
        file,
        env: { POS_GA4_REDIS__URL: 'http://nope', POS_GA4_GA4__BATCH_SIZE: '30' },
      }),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'redis.url',
          origin: 'env POS_GA4_REDIS__URL',
          message: expect.stringContaining('redis://') as unknown,
        }),
        expect.objectContaining({ path: 'ga4.batchSize', origin: 'env POS_GA4_GA4__BATCH_SIZE' }),
      ]),
    );
    expect(error.message).toContain('redis.url: expected a redis:// or rediss:// URL');
  });

  it('reports missing required fields and unknown keys', () => {
    const file = tempFile('t.yaml', 'storId: typo\nga4: {}\n');
    const error = configError(() => loadConfig({ schema: Schema, file, env: {} }));
    const paths = error.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['storeId', 'ga4.apiSecret', '(root)']));
    expect(error.message).toMatch(/unknown key\(s\) storId/);
  });

  it('fails readably on a missing file and on bad YAML', () => {
    expect(
      configError(() => loadConfig({ schema: Schema, file: '/nonexistent/x.yaml', env: {} })).code,
    ).toBe('CONFIG_UNREADABLE');
    const bad = tempFile('bad.yaml', 'storeId: [unclosed\n');
    expect(configError(() => loadConfig({ schema: Schema, file: bad, env: {} })).message).toMatch(
      /not valid YAML/,
    );
  });
});

describe('env overrides', () => {
  it('keeps non-JSON strings as strings and ignores other variables', () => {
    const out = envOverrides(
      { POS_GA4_STORE_ID: '007', POS_GA4_NAME: 'a b', HOME: '/root' },
      { prefix: 'POS_GA4_' },
    );
    expect(out).toEqual([
      { path: ['storeId'], value: '007', variable: 'POS_GA4_STORE_ID' },
      { path: ['name'], value: 'a b', variable: 'POS_GA4_NAME' },
    ]);
  });
});

describe('redis secrets', () => {
  it('finds the password in the URL and in the field', () => {
    expect(redisUrlSecrets({ url: 'rediss://user:p%40ss@h:1', password: 'other' })).toEqual([
      'other',
      'p@ss',
    ]);
  });
});
