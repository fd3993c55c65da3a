/**
 * `pos-ga4 doctor` in-process against a Redis of the test's own (`startRedisServer`) and the
 * local collector: persistence settings fail until they are set; a worker config's GA4 debug
 * check passes against a running collector, fails against a stopped one, and is skipped with
 * --offline; an unreachable Redis fails with a fix; the deploy/redis/acl.conf terminal user's
 * permissions pass through --admin-redis-url and are a warning without it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildCollector } from '@pos-ga4/collector';
import { captureOutput, freeTcpPort, startRedisServer } from '@pos-ga4/testkit';
import type { RedisServerProcess } from '@pos-ga4/testkit';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { doctorCommand } from '../src/commands/doctor.js';
import type { CheckResult } from '../src/doctor/check-result.js';

const ACL_FILE = fileURLToPath(new URL('../../../deploy/redis/acl.conf', import.meta.url));

let server: RedisServerProcess;
let admin: Redis;
let dir: string;

beforeEach(async () => {
  server = await startRedisServer();
  admin = new Redis(server.url);
  dir = mkdtempSync(join(tmpdir(), 'pos-ga4-doctor-'));
});
afterEach(async () => {
  admin.disconnect();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly results: CheckResult[];
}

async function doctor(args: string[]): Promise<Run> {
  let code = 0;
  const run = async (extra: string[]): Promise<string> => {
    const captured = await captureOutput(async () => {
      // env {}: the test's own configs, not REDIS_URL & co. from the environment
      const command = doctorCommand(
        (c) => {
          code = Math.max(code, c);
        },
        { env: {} },
      ).exitOverride();
      await command.parseAsync(['node', 'doctor', ...args, ...extra]);
    });
    return captured.stdout;
  };
  const results = JSON.parse(await run(['--json'])) as CheckResult[];
  const jsonCode = code;
  code = 0;
  const stdout = await run([]);
  expect(code).toBe(jsonCode);
  return { code, stdout, results };
}

function statusOf(run: Run, name: string): string | undefined {
  return run.results.find((result) => result.name === name)?.status;
}

async function persistent(redis: Redis): Promise<void> {
  await redis.config('SET', 'maxmemory-policy', 'noeviction');
  await redis.config('SET', 'appendonly', 'yes');
  await redis.config('SET', 'appendfsync', 'everysec');
  // Redis refuses SIGTERM while it writes the first AOF: wait for that rewrite to finish.
  for (let tries = 0; tries < 200; tries += 1) {
    const info = await redis.info('persistence');
    if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function writeConfig(name: string, config: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('pos-ga4 doctor: Redis', () => {
  it('fails an evicting Redis without AOF, with fixes, exit 1', async () => {
    // Redis' own default policy is already noeviction: make it evict to see the check fail.
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const run = await doctor(['--redis-url', server.url]);
    expect(run.code).toBe(1);
    expect(statusOf(run, 'redis')).toBe('pass');
    expect(statusOf(run, 'redis version')).toBe('pass');
    expect(statusOf(run, 'redis maxmemory-policy')).toBe('fail');
    expect(statusOf(run, 'redis AOF (appendonly)')).toBe('fail');
    expect(run.stdout).toMatch(/✗ redis maxmemory-policy: allkeys-lru.*\n\s+fix: .*noeviction/);
    expect(run.stdout).toMatch(/✗ redis AOF \(appendonly\).*\n\s+fix: .*appendonly yes/);
  });

  it('fails AOF on a default test server, and passes once noeviction and AOF are set', async () => {
    const before = await doctor(['--redis-url', server.url]);
    expect(statusOf(before, 'redis AOF (appendonly)')).toBe('fail');
    expect(before.code).toBe(1);

    await persistent(admin);
    const after = await doctor(['--redis-url', server.url]);
    expect(statusOf(after, 'redis maxmemory-policy')).toBe('pass');
    expect(statusOf(after, 'redis AOF (appendonly)')).toBe('pass');
    expect(statusOf(after, 'redis appendfsync')).toBe('pass');
    expect(after.stdout).toMatch(/✓ redis AOF \(appendonly\): appendonly yes/);
    expect(after.code).toBe(0);
  });

  it('fails with a fix when Redis cannot be reached', async () => {
    const url = `redis://127.0.0.1:${await freeTcpPort()}`;
    const run = await doctor(['--redis-url', url]);
    expect(run.code).toBe(1);
    const redis = run.results.find((result) => result.name === 'redis');
    expect(redis?.status).toBe('fail');
    expect(redis?.detail).toMatch(
      /cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ \(.*ECONNREFUSED/,
    );
    expect(redis?.fix).toMatch(/start Redis/);
    expect(run.stdout).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('has --help with examples', async () => {
    const captured = await captureOutput(async () => {
      await doctorCommand(() => undefined)
        .exitOverride()
        .parseAsync(['node', 'doctor', '--help'])
        .catch(() => undefined);
    });
    expect(captured.stdout).toContain('Examples:');
    expect(captured.stdout).toContain('--admin-redis-url');
  });
});

describe('pos-ga4 doctor: GA4 (worker config)', () => {
  function workerConfig(baseUrl: string): string {
    return writeConfig('worker.json', {
      redis: { url: server.url, prefix: 'pos-ga4' },
      ga4: { baseUrl, measurementId: 'G-DOCTOR1', apiSecret: 'doctor-secret' },
      httpTimeoutMs: 2_000,
    });
  }

  it('passes against a running collector, fails against a stopped one, skips with --offline', async () => {
    await persistent(admin);
    const collector = buildCollector();
    const baseUrl = await collector.app.listen({ port: 0, host: '127.0.0.1' });
    const file = workerConfig(baseUrl);
    try {
      const up = await doctor(['--config', file, '--kind', 'worker']);
      expect(statusOf(up, 'config')).toBe('pass');
      expect(statusOf(up, 'ga4')).toBe('pass');
      expect(up.stdout).toMatch(
        /✓ ga4: .*\/debug\/mp\/collect \(G-DOCTOR1\).*does not check the api_secret/,
      );
      expect(up.stdout).not.toContain('doctor-secret');
      expect(up.code).toBe(0);
      expect(collector.store.total).toBeGreaterThan(0);
    } finally {
      await collector.app.close();
    }

    const down = await doctor(['--config', file, '--kind', 'worker']);
    expect(statusOf(down, 'ga4')).toBe('fail');
    expect(down.results.find((result) => result.name === 'ga4')?.fix).toMatch(/collector|network/);
    expect(down.code).toBe(1);

    const offline = await doctor(['--config', file, '--kind', 'worker', '--offline']);
    expect(statusOf(offline, 'ga4')).toBe('skip');
    expect(offline.code).toBe(0);
  });

  it('reports an invalid config as a failed check', async () => {
    const file = writeConfig('worker.json', { ga4: { measurementId: 'nope' } });
    const run = await doctor(['--config', file, '--redis-url', server.url]);
    expect(statusOf(run, 'config')).toBe('fail');
    expect(run.results.find((result) => result.name === 'config')?.detail).toContain('ga4');
    expect(run.code).toBe(1);
  });
});

describe('pos-ga4 doctor: ACL user (terminal config)', () => {
  it('checks the terminal user with ACL DRYRUN through --admin-redis-url, warns without it', async () => {
    await persistent(admin);
    for (const line of readFileSync(ACL_FILE, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('user '))) {
      await admin.call('ACL', 'SETUSER', ...line.split(/\s+/).slice(1));
    }
    const journal = join(dir, 'journal.jsonl');
    writeFileSync(journal, '');
    const url = new URL(server.url);
    url.username = 'pos-ga4-terminal';
    url.password = 'CHANGE-ME-terminal';
    const file = writeConfig('terminal.json', {
      storeId: 'berlin-01',
      terminalId: 'till-1',
      redis: { url: url.toString(), prefix: 'pos-ga4' },
      sources: [{ type: 'file', path: journal, format: 'jsonl' }],
      dataDir: join(dir, 'data'),
    });

    const withAdmin = await doctor(['--config', file, '--admin-redis-url', server.url]);
    expect(statusOf(withAdmin, 'redis acl user')).toBe('pass');
    const permissions = withAdmin.results.find((r) => r.name === 'redis acl permissions');
    expect(permissions?.status).toBe('pass');
    expect(permissions?.detail).toContain('pos-ga4-terminal may run EVALSHA, ZADD, HSET');
    expect(statusOf(withAdmin, 'redis appendfsync')).toBe('pass');
    expect(statusOf(withAdmin, 'spool disk space')).toBe('pass');
    expect(withAdmin.code).toBe(0);

    const alone = await doctor(['--config', file]);
    expect(statusOf(alone, 'redis')).toBe('pass');
    expect(statusOf(alone, 'redis acl user')).toBe('pass');
    const skipped = alone.results.find((r) => r.name === 'redis acl permissions');
    expect(skipped?.status).toBe('warn');
    expect(skipped?.detail).toContain('skipped: needs an admin connection');
    expect(statusOf(alone, 'redis appendfsync')).toBe('warn');
    expect(statusOf(alone, 'redis AOF (appendonly)')).toBe('pass'); // INFO is allowed
    expect(alone.stdout).not.toContain('CHANGE-ME-terminal');
    expect(alone.code).toBe(0);

    const wrong = await doctor([
      '--config',
      file,
      '--redis-url',
      server.url.replace('//', '//pos-ga4-terminal:bad@'),
    ]);
    expect(statusOf(wrong, 'redis')).toBe('fail');
    expect(wrong.results.find((r) => r.name === 'redis')?.fix).toContain('password');
  });

  it('denies a user that lacks the commands', async () => {
    await admin.call(
      'ACL',
      'SETUSER',
      'narrow',
      'on',
      '>pw',
      '~pos-ga4:*',
      '-@all',
      '+@read',
      '+info',
    );
    const url = server.url.replace('//', '//narrow:pw@');
    const run = await doctor([
      '--redis-url',
      url,
      '--admin-redis-url',
      server.url,
      '--kind',
      'terminal',
    ]);
    const permissions = run.results.find((r) => r.name === 'redis acl permissions');
    expect(permissions?.status).toBe('fail');
    expect(permissions?.detail).toMatch(/EVALSHA.*ZADD.*HSET/);
    expect(run.code).toBe(1);
  });
});
