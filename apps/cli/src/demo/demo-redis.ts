/**
 * Redis for the demo: the one at REDIS_URL (default redis://127.0.0.1:6379) if it answers;
 * otherwise a private `redis-server` on a free port in a temp dir, stopped afterwards; otherwise
 * an error that says how to get Redis.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freeTcpPort, pingRedis } from '@pos-ga4/redis';

import type { CliErrorCode } from '../error-catalogue.js';

export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
  readonly code = 'REDIS_UNAVAILABLE' satisfies CliErrorCode;
}

export interface DemoRedis {
  readonly url: string;
  readonly origin: 'existing' | 'private';
  readonly version: string;
  stop(): Promise<void>;
}

function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startPrivateRedis(): Promise<DemoRedis> {
  const port = await freeTcpPort();
  const dir = mkdtempSync(join(tmpdir(), 'pos-ga4-redis-'));
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 50; i++) {
    const ping = await pingRedis(url, 200);
    if (ping.ok) return { url, origin: 'private', version: ping.version, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new RedisUnavailableError(`started redis-server on port ${port}, but it did not answer`);
}

export async function resolveDemoRedis(url: string): Promise<DemoRedis> {
  const ping = await pingRedis(url);
  if (ping.ok)
    return { url, origin: 'existing', version: ping.version, stop: () => Promise.resolve() };
  if (hasRedisServer()) return startPrivateRedis();
  throw new RedisUnavailableError(
    `No Redis answers at ${url} (${ping.error}) and redis-server is not installed.\n` +
      'Get Redis with one of:\n' +
      '  docker compose up -d redis            (from this repository)\n' +
      '  sudo apt-get install redis-server     (Debian/Ubuntu)\n' +
      '  brew install redis && brew services start redis   (macOS)\n' +
      'or point REDIS_URL at a Redis you have.',
  );
}
