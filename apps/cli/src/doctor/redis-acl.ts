/**
 * The configured Redis ACL user's identity and permissions.
 * - `redis acl user`: `ACL WHOAMI` on the configured connection must name the configured user
 *   (a user not allowed to run ACL WHOAMI, like deploy/redis/acl.conf's terminal user, is proven
 *   by its successful login). Skipped when no username is configured (default user).
 * - `redis acl permissions`: `ACL DRYRUN <user> <command> <args>` (Redis 7) for what the role
 *   needs on `<prefix>:…` keys (EVALSHA, ZADD, HSET; workers also BZPOPMIN), plus a warning when
 *   the user can also write keys outside `<prefix>:`. DRYRUN is an admin command: it runs on
 *   `admin` when given, else on the user's own connection, and a refusal is a warning
 *   ("skipped: needs an admin connection"), never a failure.
 * `evaluateDryRuns` is pure; `checkRedisAcl` never throws and closes nothing.
 */
import { doctorProbeKey, keyspacePattern } from '@pos-ga4/queue-contract';
import type { Redis } from 'ioredis';

import { fail, messageOf, pass, skip, warn } from './check-result.js';
import type { CheckResult } from './check-result.js';

export type AclRole = 'terminal' | 'worker' | undefined;

export interface AclCheckInput {
  readonly redis: Redis;
  readonly admin?: Redis | undefined;
  readonly username: string | undefined;
  readonly prefix: string;
  readonly role: AclRole;
}

/** Commands (with arguments) a role must be allowed to run. */
export function requiredCommands(prefix: string, role: AclRole): string[][] {
  const key = doctorProbeKey(prefix);
  const common = [
    ['EVALSHA', '0'.repeat(40), '1', key],
    ['ZADD', key, '0', 'member'],
    ['HSET', key, 'field', 'value'],
  ];
  return role === 'worker' ? [...common, ['BZPOPMIN', key, '1']] : common;
}

/** A write outside the prefix that a well-scoped user must NOT be allowed to run. */
export function outsideProbe(prefix: string): string[] {
  return ['HSET', doctorProbeKey(`not-${prefix.replace(/[{}]/g, '')}`), 'field', 'value'];
}

export interface DryRun {
  readonly command: readonly string[];
  /** `OK`, or the reason Redis gives for a denial. */
  readonly reply: string;
}

export function evaluateDryRuns(
  user: string,
  context: { prefix: string; required: readonly DryRun[]; outside: DryRun },
): CheckResult {
  const name = 'redis acl permissions';
  const denied = context.required.filter((run) => run.reply !== 'OK');
  const commands = context.required.map((run) => run.command[0] ?? '?').join(', ');
  if (denied.length > 0) {
    return fail(
      name,
      `${user} may not run: ${denied.map((run) => `${run.command[0] ?? '?'} (${run.reply})`).join('; ')}`,
      `load the user from deploy/redis/acl.conf (ACL LOAD), or ACL SETUSER ${user} ~${keyspacePattern(context.prefix)} with the missing commands`,
    );
  }
  if (context.outside.reply === 'OK') {
    return warn(
      name,
      `${user} may run ${commands} on ${keyspacePattern(context.prefix)} keys, but also write keys outside ${context.prefix}:`,
      `restrict its keys: ACL SETUSER ${user} resetkeys ~${keyspacePattern(context.prefix)} (see deploy/redis/acl.conf)`,
    );
  }
  return pass(
    name,
    `${user} may run ${commands} on ${keyspacePattern(context.prefix)} keys and nothing outside`,
  );
}

async function whoami(input: AclCheckInput, user: string): Promise<CheckResult> {
  const name = 'redis acl user';
  try {
    const reply: unknown = await input.redis.call('ACL', 'WHOAMI');
    if (reply === user) return pass(name, `connected as ${user} (ACL WHOAMI)`);
    return fail(
      name,
      `connected as ${String(reply)}, expected ${user}`,
      'check redis.username / the URL user',
    );
  } catch (error) {
    if (/NOPERM/i.test(messageOf(error))) {
      return pass(name, `logged in as ${user} (this user may not run ACL WHOAMI)`);
    }
    return warn(name, `ACL WHOAMI failed: ${messageOf(error)}`);
  }
}

async function dryRun(redis: Redis, user: string, command: readonly string[]): Promise<DryRun> {
  const reply: unknown = await redis.call('ACL', 'DRYRUN', user, ...command);
  return { command, reply: typeof reply === 'string' ? reply : String(reply) };
}

async function permissions(input: AclCheckInput, user: string): Promise<CheckResult> {
  const name = 'redis acl permissions';
  const runner = input.admin ?? input.redis;
  try {
    const required: DryRun[] = [];
    for (const command of requiredCommands(input.prefix, input.role)) {
      required.push(await dryRun(runner, user, command));
    }
    const outside = await dryRun(runner, user, outsideProbe(input.prefix));
    return evaluateDryRuns(user, { prefix: input.prefix, required, outside });
  } catch (error) {
    const message = messageOf(error);
    if (/NOPERM|no permissions/i.test(message)) {
      return warn(
        name,
        'skipped: needs an admin connection (ACL DRYRUN is an admin command)',
        'run doctor with --admin-redis-url redis://ADMIN:PASSWORD@host:port',
      );
    }
    if (/unknown subcommand|unknown command/i.test(message)) {
      return warn(name, 'skipped: ACL DRYRUN needs Redis 7', 'upgrade to Redis 7');
    }
    if (/not found/i.test(message)) {
      return fail(
        name,
        `the admin connection does not know user ${user}`,
        'doctor and the user must point at the same Redis; load deploy/redis/acl.conf there',
      );
    }
    return warn(name, `ACL DRYRUN failed: ${message}`);
  }
}

export async function checkRedisAcl(input: AclCheckInput): Promise<CheckResult[]> {
  const user = input.username;
  if (user === undefined || user === 'default') {
    const detail = 'no ACL user configured (the default user); nothing to check';
    return [skip('redis acl user', detail), skip('redis acl permissions', detail)];
  }
  return [await whoami(input, user), await permissions(input, user)];
}
