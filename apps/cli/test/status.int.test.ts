/**
 * `pos-ga4 status` against the shared Redis (unique prefix, removed afterwards): heartbeats
 * written by the terminal's own store, one fresh and one stale → the stale one is flagged and the
 * exit code is 1; all fresh → 0; no Redis → 2 with REDIS_UNAVAILABLE.
 */
import { redisHeartbeatStore } from '@pos-ga4/terminal';
import type { TerminalHeartbeat } from '@pos-ga4/terminal';
import { captureOutput, freeTcpPort, redisTestResource } from '@pos-ga4/testkit';
import type { RedisTestResource } from '@pos-ga4/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { statusCommand } from '../src/commands/status.js';

let redis: RedisTestResource;
beforeEach(() => {
  redis = redisTestResource('status');
});
afterEach(async () => {
  await redis.cleanup();
});

async function status(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let code = 0;
  const captured = await captureOutput(async () => {
    const command = statusCommand((c) => {
      code = Math.max(code, c);
    }).exitOverride();
    await command.parseAsync(['node', 'status', ...args]);
  });
  return { code, stdout: captured.stdout, stderr: captured.stderr };
}

function heartbeat(terminalId: string, secondsAgo: number): TerminalHeartbeat {
  const seen = new Date(Date.now() - secondsAgo * 1000).toISOString();
  return {
    storeId: 'berlin-01',
    terminalId,
    version: '0.1.0',
    hostname: `pos-${terminalId}`,
    pid: 100,
    startedAt: seen,
    lastSeenAt: seen,
    intervalMs: 15_000,
    devices: { printer: 'ok' },
    spool: {
      depth: terminalId === 'till-2' ? 812 : 0,
      alarm: terminalId === 'till-2',
      full: false,
    },
    lastReceiptAt: seen,
  };
}

describe('pos-ga4 status', () => {
  it('flags a terminal without a heartbeat for longer than --silent-after, exit code 1', async () => {
    const store = redisHeartbeatStore({ connection: redis.redis, prefix: redis.prefix });
    await store.write(heartbeat('till-1', 5));
    await store.write(heartbeat('till-2', 600));
    const base = ['--redis-url', redis.url, '--prefix', redis.prefix];

    const json = await status([...base, '--json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as {
      silent: number;
      terminals: { terminalId: string; silent: boolean; ageSeconds: number }[];
    };
    expect(report.silent).toBe(1);
    expect(report.terminals.map((t) => [t.terminalId, t.silent])).toEqual([
      ['till-1', false],
      ['till-2', true],
    ]);
    expect(report.terminals[1]?.ageSeconds).toBeGreaterThanOrEqual(600);

    const text = await status(base);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/SILENT.*till-2.*812 ALARM/);
    expect(text.stdout).toMatch(/ok.*till-1.*printer=ok/);
    expect(text.stdout).toContain('2 terminals, 1 silent (no heartbeat for more than 120 s)');

    expect((await status([...base, '--silent-after', '900'])).code).toBe(0);
  });

  it('exits 0 with no terminals, 2 without Redis, and documents examples', async () => {
    const none = await status(['--redis-url', redis.url, '--prefix', redis.prefix]);
    expect([none.code, none.stdout.trim()]).toEqual([
      0,
      `no terminal has sent a heartbeat under prefix ${redis.prefix}`,
    ]);
    const port = await freeTcpPort();
    const down = await status(['--redis-url', `redis://127.0.0.1:${port}`]);
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('REDIS_UNAVAILABLE');
    let help = '';
    const command = statusCommand(() => undefined)
      .exitOverride()
      .configureOutput({
        writeOut: (text) => {
          help += text;
        },
      });
    await expect(command.parseAsync(['node', 'status', '--help'])).rejects.toMatchObject({
      code: 'commander.helpDisplayed',
    });
    expect(help).toMatch(/Usage: status [\s\S]*--silent-after[\s\S]*Examples:/);
  });
});
