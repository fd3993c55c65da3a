/**
 * The pure parts of the doctor's checks: Redis version and persistence settings, ACL DRYRUN
 * answers, libusb presence, free space, the GA4 test purchase (valid by the local validator),
 * and the text report.
 */
import { validateRequest } from '@pos-ga4/ga4-mp';
import { describe, expect, it } from 'vitest';

import { doctorExitCode, fail, pass, skip, warn } from './check-result.js';
import { doctorPurchase } from './ga4-debug-endpoint.js';
import { evaluateLibusb, findLibusb } from './libusb.js';
import { evaluateDryRuns, outsideProbe, requiredCommands } from './redis-acl.js';
import {
  evaluateAppendfsync,
  evaluateAppendonly,
  evaluateMaxmemoryPolicy,
  evaluateVersion,
  infoField,
} from './redis-server-settings.js';
import { formatReport } from './report-format.js';
import { evaluateFreeSpace } from './spool-health.js';

describe('redis settings', () => {
  it.each([
    ['5.0.14', 'fail'],
    ['6.0.9', 'fail'],
    ['6.2.14', 'warn'],
    ['7.0.15', 'pass'],
    ['7.4.1', 'pass'],
    ['unknown', 'warn'],
  ] as const)('version %s → %s', (version, status) => {
    expect(evaluateVersion(version).status).toBe(status);
  });

  it('wants noeviction, AOF on, and fsync always or everysec', () => {
    expect(evaluateMaxmemoryPolicy('noeviction').status).toBe('pass');
    expect(evaluateMaxmemoryPolicy('allkeys-lru')).toMatchObject({ status: 'fail' });
    expect(evaluateMaxmemoryPolicy('allkeys-lru').fix).toContain('maxmemory-policy noeviction');
    expect(evaluateAppendonly(true).status).toBe('pass');
    expect(evaluateAppendonly(false).fix).toContain('appendonly yes');
    expect(evaluateAppendfsync('always').status).toBe('pass');
    expect(evaluateAppendfsync('everysec').status).toBe('pass');
    expect(evaluateAppendfsync('no').status).toBe('warn');
  });

  it('reads INFO fields', () => {
    const info = '# Memory\r\nused_memory:1\r\nmaxmemory_policy:noeviction\r\n';
    expect(infoField(info, 'maxmemory_policy')).toBe('noeviction');
    expect(infoField(info, 'aof_enabled')).toBeUndefined();
  });
});

describe('ACL DRYRUN answers', () => {
  const required = requiredCommands('pos-ga4', 'terminal').map((command) => ({
    command,
    reply: 'OK',
  }));
  const denied = { command: outsideProbe('pos-ga4'), reply: 'no permissions to access the key' };

  it('passes when every needed command is allowed and nothing outside the prefix', () => {
    const result = evaluateDryRuns('t', { prefix: 'pos-ga4', required, outside: denied });
    expect(result.status).toBe('pass');
    expect(result.detail).toContain('EVALSHA, ZADD, HSET');
  });

  it('fails on a denied command and warns on writes outside the prefix', () => {
    const one = [
      ...required.slice(1),
      { command: ['EVALSHA'], reply: "This user has no permissions to run the 'evalsha' command" },
    ];
    expect(evaluateDryRuns('t', { prefix: 'pos-ga4', required: one, outside: denied }).status).toBe(
      'fail',
    );
    const wide = { command: outsideProbe('pos-ga4'), reply: 'OK' };
    expect(evaluateDryRuns('t', { prefix: 'pos-ga4', required, outside: wide }).status).toBe(
      'warn',
    );
  });

  it('asks workers for more than terminals', () => {
    expect(requiredCommands('p', 'worker').length).toBeGreaterThan(
      requiredCommands('p', 'terminal').length,
    );
    expect(outsideProbe('{pos-ga4}')[1]).toBe('not-pos-ga4:doctor-probe');
  });
});

describe('libusb', () => {
  it('finds it through ldconfig, else a known file', async () => {
    const listing = '\tlibusb-1.0.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libusb-1.0.so.0\n';
    expect(await findLibusb({ ldconfig: () => Promise.resolve(listing) })).toBe(
      '/lib/x86_64-linux-gnu/libusb-1.0.so.0',
    );
    expect(
      await findLibusb({
        ldconfig: () => Promise.resolve(undefined),
        exists: (path) => path === '/usr/lib64/libusb-1.0.so.0',
      }),
    ).toBe('/usr/lib64/libusb-1.0.so.0');
    expect(
      await findLibusb({ ldconfig: () => Promise.resolve(''), exists: () => false }),
    ).toBeUndefined();
  });

  it('fails only when a HID source needs it', () => {
    const linux = { platform: 'linux' as const, hidConfigured: true };
    expect(evaluateLibusb(undefined, linux)).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('apt-get install libusb-1.0-0') as unknown,
    });
    expect(evaluateLibusb(undefined, { ...linux, hidConfigured: false }).status).toBe('warn');
    expect(evaluateLibusb('/x', linux).status).toBe('pass');
    expect(evaluateLibusb(undefined, { platform: 'darwin', hidConfigured: true }).status).toBe(
      'skip',
    );
  });
});

describe('the rest', () => {
  it('needs more than 100 MiB free for the spool', () => {
    expect(evaluateFreeSpace(101 * 1024 * 1024, '/').status).toBe('pass');
    expect(evaluateFreeSpace(99 * 1024 * 1024, '/').status).toBe('fail');
  });

  it('sends a test purchase the validator accepts, web and app', () => {
    expect(validateRequest(doctorPurchase(Date.now(), false))).toEqual([]);
    expect(doctorPurchase(Date.now(), true)).toHaveProperty('app_instance_id');
  });

  it('exits 1 only on a failure, and prints marks, fixes and a summary', () => {
    const results = [pass('a', 'ok'), warn('b', 'meh', 'do x'), skip('c', 'n/a')];
    expect(doctorExitCode(results)).toBe(0);
    expect(doctorExitCode([...results, fail('d', 'bad', 'do y')])).toBe(1);
    const text = formatReport([...results, fail('d', 'bad', 'do y')]);
    expect(text).toContain('✓ a: ok');
    expect(text).toContain('! b: meh\n    fix: do x');
    expect(text).toContain('✗ d: bad\n    fix: do y');
    expect(text).toContain('1 passed, 1 warning(s), 1 failed, 1 skipped');
  });
});
