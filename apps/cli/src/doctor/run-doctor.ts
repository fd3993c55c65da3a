/**
 * `pos-ga4 doctor`'s checks in order, as one list of CheckResults:
 * config (when --config is given) → Redis reachable → server settings (version, maxmemory-policy,
 * AOF, appendfsync) → ACL user and permissions → worker: GA4 debug endpoint (not with
 * `offline`) → terminal: serial and HID device access, libusb, spool directory and disk space.
 * Which Redis: `redisUrl` (alone) wins; else the config's `redis` block; else `env.REDIS_URL`;
 * else redis://127.0.0.1:6379. `adminRedisUrl` is used for admin-only reads (CONFIG GET,
 * ACL DRYRUN). `kind` defaults to a guess from the config file name (terminal/worker).
 * Never throws for what it checks; connections and clients it opens are closed before it returns.
 */
import { readdir } from 'node:fs/promises';

import { ConfigError, loadConfig } from '@pos-ga4/config';
import { DEFAULT_PREFIX } from '@pos-ga4/queue-contract';
import {
  listSerialPorts,
  loadSystemSerialBinding,
  nodeHidProvider,
  TERMINAL_ENV_ALIASES,
  TerminalConfigSchema,
} from '@pos-ga4/terminal';
import type { TerminalConfig } from '@pos-ga4/terminal';
import { WORKER_ENV_ALIASES, WorkerConfigSchema } from '@pos-ga4/worker';
import type { WorkerConfig } from '@pos-ga4/worker';
import type { Redis } from 'ioredis';

import { fail, messageOf, pass, skip } from './check-result.js';
import type { CheckResult } from './check-result.js';
import { checkAccess, currentUser } from './file-access.js';
import { checkGa4 } from './ga4-debug-endpoint.js';
import { checkHidSources } from './hid-access.js';
import type { HidSourceLike } from './hid-access.js';
import { evaluateLibusb, findLibusb } from './libusb.js';
import { checkRedisAcl } from './redis-acl.js';
import type { AclRole } from './redis-acl.js';
import { connectRedis, describeRedisUrl } from './redis-connect.js';
import type { RedisTarget } from './redis-connect.js';
import { checkRedisServer } from './redis-server-settings.js';
import { checkSerialSources } from './serial-access.js';
import type { PortList, SerialSourceLike } from './serial-access.js';
import { checkSpool } from './spool-health.js';

export type DoctorKind = 'terminal' | 'worker';

export interface DoctorOptions {
  readonly configFile?: string | undefined;
  readonly kind?: DoctorKind | undefined;
  readonly redisUrl?: string | undefined;
  readonly adminRedisUrl?: string | undefined;
  readonly offline?: boolean | undefined;
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

type Loaded =
  | { readonly kind: 'terminal'; readonly config: TerminalConfig }
  | { readonly kind: 'worker'; readonly config: WorkerConfig };

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

function guessKind(options: DoctorOptions): DoctorKind | undefined {
  if (options.kind !== undefined) return options.kind;
  if (options.configFile === undefined) return undefined;
  return /terminal/i.test(options.configFile) ? 'terminal' : 'worker';
}

function loadFor(kind: DoctorKind, file: string, env: DoctorOptions['env']): Loaded {
  const common = { file, ...(env === undefined ? {} : { env }) };
  return kind === 'terminal'
    ? {
        kind,
        config: loadConfig({
          schema: TerminalConfigSchema,
          aliases: TERMINAL_ENV_ALIASES,
          ...common,
        }),
      }
    : {
        kind,
        config: loadConfig({ schema: WorkerConfigSchema, aliases: WORKER_ENV_ALIASES, ...common }),
      };
}

function redisTarget(options: DoctorOptions, loaded: Loaded | undefined): RedisTarget {
  if (options.redisUrl !== undefined) return { url: options.redisUrl };
  if (loaded !== undefined) return loaded.config.redis;
  return { url: (options.env ?? process.env)['REDIS_URL'] ?? DEFAULT_REDIS_URL };
}

function usernameOf(target: RedisTarget): string | undefined {
  if (target.username !== undefined) return target.username;
  try {
    const user = new URL(target.url).username;
    return user === '' ? undefined : decodeURIComponent(user);
  } catch {
    return undefined;
  }
}

const REDIS_FIX =
  'start Redis (systemctl start redis-server, or docker compose up -d redis) and check redis.url, the firewall and TLS (rediss://)';

async function redisChecks(
  target: RedisTarget,
  context: { adminUrl: string | undefined; prefix: string; role: AclRole },
): Promise<CheckResult[]> {
  const where = describeRedisUrl(target.url);
  const connected = await connectRedis(target);
  if (!connected.ok) {
    const auth = /WRONGPASS|NOAUTH|invalid username-password/i.test(connected.error);
    return [
      fail(
        'redis',
        `cannot reach Redis at ${where} (${connected.error})`,
        auth
          ? 'check the ACL username and password (redis.url, POS_GA4_REDIS__PASSWORD) against deploy/redis/acl.conf'
          : REDIS_FIX,
      ),
      skip('redis settings and ACL', 'skipped: Redis unreachable'),
    ];
  }
  const results: CheckResult[] = [pass('redis', `reachable at ${where}`)];
  let admin: Redis | undefined;
  try {
    if (context.adminUrl !== undefined) {
      const adminConnected = await connectRedis({ url: context.adminUrl });
      if (adminConnected.ok) admin = adminConnected.redis;
      else {
        results.push(
          fail(
            'redis admin connection',
            `cannot reach ${describeRedisUrl(context.adminUrl)} (${adminConnected.error})`,
            'check --admin-redis-url',
          ),
        );
      }
    }
    results.push(...(await checkRedisServer(connected.redis, admin)));
    results.push(
      ...(await checkRedisAcl({
        redis: connected.redis,
        admin,
        username: usernameOf(target),
        prefix: context.prefix,
        role: context.role,
      })),
    );
  } finally {
    connected.redis.disconnect();
    admin?.disconnect();
  }
  return results;
}

async function listPorts(): Promise<PortList> {
  const binding = await loadSystemSerialBinding();
  if (!binding.ok) return { ok: false, message: binding.message };
  const listed = await listSerialPorts(binding.binding);
  return listed.ok ? listed : { ok: false, message: listed.message };
}

async function hidrawNodes(): Promise<string[]> {
  try {
    return (await readdir('/dev'))
      .filter((entry) => entry.startsWith('hidraw'))
      .map((entry) => `/dev/${entry}`);
  } catch {
    return [];
  }
}

async function terminalChecks(config: TerminalConfig): Promise<CheckResult[]> {
  const user = currentUser();
  const access = (path: string) => checkAccess(path);
  const serial: SerialSourceLike[] = [];
  const hid: HidSourceLike[] = [];
  for (const source of config.sources) {
    if (source.type === 'serial') serial.push(source);
    else if (source.type === 'hid') hid.push(source);
  }
  const results: CheckResult[] = [];
  if (serial.length === 0 && hid.length === 0) {
    results.push(skip('devices', 'no serial or HID source configured'));
  }
  results.push(...(await checkSerialSources(serial, { listPorts, access, user })));
  results.push(
    ...(await checkHidSources(hid, {
      list: (driverType) => nodeHidProvider({ driverType }).list(),
      access,
      hidrawNodes,
      user,
    })),
  );
  results.push(
    evaluateLibusb(await findLibusb(), {
      platform: process.platform,
      hidConfigured: hid.length > 0,
    }),
  );
  results.push(...(await checkSpool({ dataDir: config.dataDir, maxBytes: config.spool.maxBytes })));
  return results;
}

export async function runDoctor(options: DoctorOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const kind = guessKind(options);
  let loaded: Loaded | undefined;
  if (options.configFile !== undefined && kind !== undefined) {
    try {
      loaded = loadFor(kind, options.configFile, options.env);
      results.push(pass('config', `${options.configFile} is a valid ${kind} config`));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      results.push(
        fail(
          'config',
          error.message,
          `fix the file; check it with: npx pos-ga4 config check ${options.configFile} --kind ${kind}`,
        ),
      );
    }
  }
  const target = redisTarget(options, loaded);
  const prefix = loaded?.config.redis.prefix ?? DEFAULT_PREFIX;
  results.push(
    ...(await redisChecks(target, { adminUrl: options.adminRedisUrl, prefix, role: kind })),
  );

  if (kind === 'worker') {
    if (options.offline === true) results.push(skip('ga4', 'skipped (--offline)'));
    else if (loaded?.kind === 'worker') results.push(...(await checkGa4(loaded.config)));
    else results.push(skip('ga4', 'needs a valid worker config (--config worker.yaml)'));
  }
  if (kind === 'terminal') {
    if (loaded?.kind === 'terminal') {
      try {
        results.push(...(await terminalChecks(loaded.config)));
      } catch (error) {
        results.push(fail('terminal checks', messageOf(error), 'report this as a bug'));
      }
    } else
      results.push(
        skip('devices and spool', 'need a valid terminal config (--config terminal.yaml)'),
      );
  }
  return results;
}
