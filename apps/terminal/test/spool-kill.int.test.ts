/**
 * kill -9 of a terminal process at random moments (mid-append, mid-hand-over, mid-compaction),
 * then a restart that resumes its input a little before the last receipt it had spooled (a
 * lagging checkpoint: up to 60 receipts submitted twice); a last run replays all from the start.
 * In the end the queue holds every receipt exactly once, in receipt order. A private redis-server; the terminal is a child
 * process (fixtures-spool/spool-terminal-child.ts) with its spool in a temp dir.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startRedisServer } from '@pos-ga4/testkit';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

import { queuedNumbers } from './fixtures-spool/spool-harness.js';

const CHILD = fileURLToPath(new URL('./fixtures-spool/spool-terminal-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

interface Run {
  /** Resolves with the exit code (null when killed) and what the child printed. */
  readonly exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Resolves once the child printed a line matching `pattern`. */
  saw(pattern: RegExp): Promise<void>;
  stdout(): string;
  kill(): void;
}

function runChild(args: Record<string, unknown>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(args)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    for (const watcher of [...watchers]) {
      if (watcher.pattern.test(stdout)) {
        watchers.splice(watchers.indexOf(watcher), 1);
        watcher.resolve();
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('exit', (code) => {
      for (const watcher of watchers.splice(0)) watcher.resolve();
      resolve({ code, stdout, stderr });
    });
  });
  return {
    exited,
    saw(pattern) {
      if (pattern.test(stdout)) return Promise.resolve();
      return new Promise((resolve) => watchers.push({ pattern, resolve }));
    },
    stdout: () => stdout,
    kill() {
      child.kill('SIGKILL');
    },
  };
}

describe('kill -9 of a terminal mid-stream', () => {
  it('loses nothing and duplicates nothing over repeated kills and restarts', async () => {
    const server = await startRedisServer();
    closers.push(() => server.close());
    const admin = new Redis(server.url);
    closers.push(async () => {
      await admin.quit();
    });
    const args = {
      redisUrl: server.url,
      prefix: 'spool-kill',
      dir: mkdtempSync(join(tmpdir(), 'spool-kill-')),
      total: 2000,
      batch: 7,
      compactMinBytes: 16 * 1024, // compact often, so some kills land in a compaction
    };
    let seed = 20261126;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };

    const kills: {
      killedAfterMs: number;
      depthAtOpen: number;
      spooled: number;
      queuedBefore: number;
    }[] = [];
    let from = 1;
    for (let round = 0; round < 5; round++) {
      const run = runChild({ ...args, from });
      await run.saw(/^ready \d+$/m);
      const depthAtOpen = Number(/^ready (\d+)$/m.exec(run.stdout())?.[1] ?? 0);
      const killedAfterMs = 30 + Math.floor(random() * 300);
      await new Promise((resolve) => setTimeout(resolve, killedAfterMs));
      run.kill();
      const { code, stderr } = await run.exited;
      if (code === 0) break; // it finished before the kill: nothing left to interrupt
      expect({ code, stderr }).toMatchObject({ code: null }); // killed, not failed
      const lines = [...run.stdout().matchAll(/^spooled (\d+)$/gm)];
      const spooled = Number(lines.at(-1)?.[1] ?? 0);
      const queuedBefore = (await queuedNumbers({ connection: admin, prefix: args.prefix })).length;
      kills.push({ killedAfterMs, depthAtOpen, spooled, queuedBefore });
      // resume a little before the last receipt reported spooled
      from = Math.max(1, spooled - Math.floor(random() * 60));
    }
    // the last run replays everything from the start and runs to the end
    const last = runChild({ ...args, from: 1 });
    const finished = await last.exited;
    expect({ code: finished.code, stderr: finished.stderr }).toMatchObject({ code: 0 });
    expect(finished.stdout.trim().split('\n').at(-1)).toBe('done');

    const queued = await queuedNumbers({ connection: admin, prefix: args.prefix });
    process.stdout.write(`kill test: ${JSON.stringify(kills)}; final queue ${queued.length}\n`);
    expect(queued).toEqual(Array.from({ length: args.total }, (_, i) => i + 1));
    // most kills landed mid-stream, with receipts spooled but not yet all in the queue
    expect(
      kills.filter((k) => k.queuedBefore > 0 && k.queuedBefore < args.total).length,
    ).toBeGreaterThanOrEqual(3);
  });
});
