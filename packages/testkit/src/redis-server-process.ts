/**
 * A private `redis-server` for tests that must stop, start or kill Redis (outages, restarts).
 * Inputs: optional AOF (`appendOnly`, fsync `always`, so a restart keeps every acknowledged write)
 * and the binary (default `redis-server` on PATH). Without AOF it runs `--save '' --appendonly no`
 * and a restart starts empty.
 * Outputs: `url` (127.0.0.1 on a free port chosen once; `start()` after `stop()` reuses it).
 * Errors: `startRedisServer` rejects when the server does not answer PING within `readyTimeoutMs`.
 * Lifecycle: `stop()` (SIGTERM, or SIGKILL with `{ kill: true }`) and `start()` may repeat;
 * `close()` stops it for good and removes its temp dir. Every instance must be closed.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { pingRedis } from '@pos-ga4/redis';

export interface RedisServerOptions {
  /** Keep data across stop/start with an AOF fsync'd on every write. Default false. */
  readonly appendOnly?: boolean;
  readonly binary?: string;
  readonly readyTimeoutMs?: number;
}

export interface RedisServerProcess {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Whether the server process is running now. */
  readonly running: boolean;
  /** Starts it again on the same port; resolves once it answers PING. No-op while running. */
  start(): Promise<void>;
  /** Stops it (SIGTERM, or SIGKILL with `kill: true`) and waits for the process to exit. */
  stop(options?: { kill?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export { freeTcpPort } from '@pos-ga4/redis';
import { freeTcpPort } from '@pos-ga4/redis';

async function exited(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill(signal);
  });
}

export async function startRedisServer(
  options: RedisServerOptions = {},
): Promise<RedisServerProcess> {
  const port = await freeTcpPort();
  const dir = mkdtempSync(join(tmpdir(), 'pos-ga4-test-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const persistence =
    options.appendOnly === true
      ? ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always']
      : ['--save', '', '--appendonly', 'no'];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...persistence];
  const readyTimeoutMs = options.readyTimeoutMs ?? 5_000;
  let child: ChildProcess | undefined;

  const running = (): boolean =>
    child !== undefined && child.exitCode === null && child.signalCode === null;

  const start = async (): Promise<void> => {
    if (running()) return;
    child = spawn(options.binary ?? 'redis-server', args, { stdio: 'ignore' });
    child.on('error', () => undefined);
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if ((await pingRedis(url, 200)).ok) return;
      if (!running()) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`redis-server on port ${port} did not answer within ${readyTimeoutMs} ms`);
  };

  const stop = async (stopOptions: { kill?: boolean } = {}): Promise<void> => {
    if (child === undefined) return;
    await exited(child, stopOptions.kill === true ? 'SIGKILL' : 'SIGTERM');
  };

  await start();
  return {
    url,
    port,
    dir,
    get running() {
      return running();
    },
    start,
    stop,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
