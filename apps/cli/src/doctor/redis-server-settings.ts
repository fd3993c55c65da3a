/**
 * Redis server checks: version (≥ 6.2 required by BullMQ, 7 recommended), `maxmemory-policy
 * noeviction` (an evicting Redis silently drops queued jobs), AOF on, and `appendfsync` (always
 * or everysec; `no` is a warning).
 * The `evaluate…` functions are pure (value → CheckResult). `checkRedisServer(redis, admin)` reads
 * INFO (allowed for every pos-ga4 ACL user) and `CONFIG GET appendfsync` (needs admin rights:
 * through `admin` when given, else tried on `redis` and reported as a warning when refused).
 * Never throws; closes nothing (the caller owns the connections).
 */
import type { Redis } from 'ioredis';

import { fail, messageOf, pass, warn } from './check-result.js';
import type { CheckResult } from './check-result.js';

const CONF = 'also set it in redis.conf (or CONFIG REWRITE) so a restart keeps it';

export function evaluateVersion(version: string): CheckResult {
  const name = 'redis version';
  const match = /^(\d+)\.(\d+)/.exec(version);
  if (match === null) {
    return warn(name, `cannot read the version (${version})`, 'use Redis 7 (at least 6.2)');
  }
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major < 6 || (major === 6 && minor < 2)) {
    return fail(
      name,
      `Redis ${version} is too old: BullMQ needs 6.2 or later`,
      'upgrade to Redis 7',
    );
  }
  if (major < 7) {
    return warn(
      name,
      `Redis ${version} works; 7 is recommended (ACL DRYRUN, better ACLs)`,
      'upgrade to Redis 7',
    );
  }
  return pass(name, `Redis ${version}`);
}

export function evaluateMaxmemoryPolicy(policy: string): CheckResult {
  const name = 'redis maxmemory-policy';
  if (policy === 'noeviction') return pass(name, 'noeviction');
  return fail(
    name,
    `${policy}: Redis may evict queued jobs when memory runs out`,
    `redis-cli CONFIG SET maxmemory-policy noeviction; ${CONF}`,
  );
}

export function evaluateAppendonly(enabled: boolean): CheckResult {
  const name = 'redis AOF (appendonly)';
  if (enabled) return pass(name, 'appendonly yes');
  return fail(
    name,
    'appendonly no: queued jobs are lost when Redis restarts',
    `redis-cli CONFIG SET appendonly yes; ${CONF}`,
  );
}

export function evaluateAppendfsync(value: string): CheckResult {
  const name = 'redis appendfsync';
  if (value === 'always') return pass(name, 'always');
  if (value === 'everysec') {
    return pass(name, 'everysec (about a second of writes can be lost if Redis crashes)');
  }
  return warn(
    name,
    `${value}: the OS decides when writes reach the disk`,
    `redis-cli CONFIG SET appendfsync everysec (or always); ${CONF}`,
  );
}

/** `field:value` from an INFO section. */
export function infoField(info: string, field: string): string | undefined {
  return new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

async function configGet(redis: Redis, parameter: string): Promise<string | undefined> {
  const reply: unknown = await redis.call('CONFIG', 'GET', parameter);
  if (!Array.isArray(reply)) return undefined;
  const value: unknown = reply[1];
  return typeof value === 'string' ? value : undefined;
}

async function appendfsyncCheck(redis: Redis, admin: Redis | undefined): Promise<CheckResult> {
  const name = 'redis appendfsync';
  try {
    const value = await configGet(admin ?? redis, 'appendfsync');
    return value === undefined
      ? warn(name, 'CONFIG GET gave no value')
      : evaluateAppendfsync(value);
  } catch (error) {
    const message = messageOf(error);
    if (/NOPERM|no permissions/i.test(message)) {
      return warn(
        name,
        'skipped: needs an admin connection (CONFIG GET is an admin command)',
        'run doctor with --admin-redis-url redis://ADMIN:PASSWORD@host:port to check it',
      );
    }
    return warn(name, `CONFIG GET appendfsync failed: ${message}`);
  }
}

export async function checkRedisServer(
  redis: Redis,
  admin: Redis | undefined,
): Promise<CheckResult[]> {
  const reader = admin ?? redis;
  const results: CheckResult[] = [];
  try {
    const server = await reader.info('server');
    results.push(evaluateVersion(infoField(server, 'redis_version') ?? 'unknown'));
    const memory = await reader.info('memory');
    results.push(evaluateMaxmemoryPolicy(infoField(memory, 'maxmemory_policy') ?? 'unknown'));
    const persistence = await reader.info('persistence');
    results.push(evaluateAppendonly(infoField(persistence, 'aof_enabled') === '1'));
  } catch (error) {
    results.push(
      warn(
        'redis server settings',
        `INFO failed: ${messageOf(error)}`,
        'give the user +info (deploy/redis/acl.conf does), or pass --admin-redis-url',
      ),
    );
  }
  results.push(await appendfsyncCheck(redis, admin));
  return results;
}
