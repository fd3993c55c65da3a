/**
 * `npm run demo` without a Redis at REDIS_URL: it starts a private redis-server when one is
 * installed, and otherwise exits 2 saying how to get Redis.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { freeTcpPort, pingRedis } from '@pos-ga4/redis';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'node_modules', '.bin', 'pos-ga4');
const run = promisify(execFile);

describe('demo Redis fallback', () => {
  it('starts and stops a private redis-server when nothing answers at REDIS_URL', async () => {
    const deadUrl = `redis://127.0.0.1:${await freeTcpPort()}`;
    const { stdout } = await run(BIN, ['demo', '--json'], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: deadUrl },
      timeout: 60_000,
    });
    const summary = JSON.parse(stdout) as {
      delivered: number;
      receipts: number;
      redis: { origin: string; url: string };
    };
    expect(summary.redis.origin).toBe('private');
    expect(summary.redis.url).not.toBe(deadUrl);
    expect(summary.delivered).toBe(summary.receipts);
    // stopped afterwards: nothing answers there any more
    const port = Number(new URL(summary.redis.url).port);
    expect((await pingRedis(`redis://127.0.0.1:${port}`, 300)).ok).toBe(false);
  });

  it('exits 2 with instructions when there is no Redis and no redis-server', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'only-node-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const deadUrl = `redis://127.0.0.1:${await freeTcpPort()}`;
    const error = await run(BIN, ['demo'], {
      cwd: ROOT,
      env: { ...process.env, PATH: bin, REDIS_URL: deadUrl },
      timeout: 60_000,
    }).then(
      () => undefined,
      (e: unknown) => e as { code: number; stderr: string },
    );
    expect(error?.code).toBe(2);
    expect(error?.stderr).toContain('docker compose up -d redis');
    expect(error?.stderr).toContain('apt-get install redis-server');
  });
});
