/**
 * `pos-ga4 status`: the terminals that report to a Redis, from their heartbeats
 * (`<prefix>:{terminals}…`, see packages/queue-contract/src/redis-keys.ts), with silent ones
 * flagged: no heartbeat for more than `--silent-after` seconds (default 120).
 * Output: a table (or one JSON object with `--json`) of store, terminal, last seen, version,
 * spool depth and alarm, last receipt, device states.
 * Exit code (for monitoring): 0 when every terminal reported in time (or none ever did), 1 when
 * any is silent, 2 when Redis cannot be reached (REDIS_UNAVAILABLE on stderr).
 * Lifecycle: one fail-fast connection, closed before the action returns.
 */
import { Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { DEFAULT_PREFIX } from '@pos-ga4/queue-contract';
import { redisOptions } from '@pos-ga4/redis';
import { assessLiveness, redisHeartbeatStore } from '@pos-ga4/terminal';
import type { TerminalLiveness } from '@pos-ga4/terminal';
import Table from 'cli-table3';
import { Redis } from 'ioredis';

const CONNECT_TIMEOUT_MS = 3_000;

function seconds(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new InvalidArgumentError('expected a number of seconds greater than 0');
  }
  return parsed;
}

function describeSpool(row: TerminalLiveness): string {
  const spool = row.heartbeat?.spool;
  if (spool === undefined) return '-';
  return `${spool.depth}${spool.full ? ' FULL' : spool.alarm ? ' ALARM' : ''}`;
}

function table(rows: readonly TerminalLiveness[]): string {
  const plain = !process.stdout.isTTY;
  const t = new Table({
    head: ['', 'store', 'terminal', 'last seen', 'version', 'spool', 'last receipt', 'devices'],
    ...(plain ? { style: { head: [], border: [] } } : {}),
  });
  for (const row of rows) {
    const heartbeat = row.heartbeat;
    t.push([
      row.silent ? 'SILENT' : 'ok',
      row.storeId,
      row.terminalId,
      `${row.ageSeconds} s ago`,
      heartbeat?.version ?? '?',
      describeSpool(row),
      heartbeat?.lastReceiptAt ?? '-',
      Object.entries(heartbeat?.devices ?? {})
        .map(([device, state]) => `${device}=${state}`)
        .join(' ') || '-',
    ]);
  }
  return t.toString();
}

async function connect(url: string): Promise<Redis> {
  const redis = new Redis({
    ...redisOptions({ url }, 'producer'),
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: () => null,
  });
  let cause: unknown;
  redis.on('error', (error) => {
    cause = error; // e.g. ECONNREFUSED; connect() itself only says the connection closed
  });
  try {
    await redis.connect();
    return redis;
  } catch (error) {
    redis.disconnect();
    throw cause ?? error;
  }
}

export function statusCommand(setExitCode: (code: number) => void) {
  return new Command('status')
    .description(
      'List store terminals from their heartbeats and flag silent ones (exit code 1 if any is silent)',
    )
    .option(
      '--redis-url <url>',
      'the Redis the terminals report to',
      process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    )
    .option('--prefix <prefix>', 'BullMQ key prefix', DEFAULT_PREFIX)
    .option(
      '--silent-after <seconds>',
      'a terminal is silent after this many seconds without a heartbeat',
      seconds,
      120,
    )
    .option('--json', 'print one JSON object instead of a table')
    .addHelpText(
      'after',
      '\nExamples:\n  npx pos-ga4 status\n  npx pos-ga4 status --redis-url rediss://monitor:PASSWORD@redis.example.com:6380 --silent-after 300 --json\n  npx pos-ga4 status --silent-after 60 || echo "a till is silent" | mail -s pos-ga4 ops@example.com',
    )
    .action(async (options) => {
      let redis: Redis;
      try {
        redis = await connect(options.redisUrl);
      } catch (error) {
        const url = new URL(options.redisUrl);
        process.stderr.write(
          `REDIS_UNAVAILABLE: cannot reach Redis at ${url.protocol}//${url.host} (${error instanceof Error ? error.message : String(error)})\n`,
        );
        setExitCode(2);
        return;
      }
      try {
        const listings = await redisHeartbeatStore({
          connection: redis,
          prefix: options.prefix,
        }).list();
        const nowMs = Date.now();
        const rows = assessLiveness(listings, { nowMs, silentAfterSeconds: options.silentAfter });
        const silent = rows.filter((row) => row.silent).length;
        if (options.json === true) {
          const report = {
            checkedAt: new Date(nowMs).toISOString(),
            prefix: options.prefix,
            silentAfterSeconds: options.silentAfter,
            terminals: rows.map((row) => ({
              storeId: row.storeId,
              terminalId: row.terminalId,
              silent: row.silent,
              ageSeconds: row.ageSeconds,
              lastSeenAt: new Date(row.lastSeenMs).toISOString(),
              heartbeat: row.heartbeat ?? null,
            })),
            silent,
          };
          process.stdout.write(`${JSON.stringify(report)}\n`);
        } else if (rows.length === 0) {
          process.stdout.write(`no terminal has sent a heartbeat under prefix ${options.prefix}\n`);
        } else {
          process.stdout.write(
            `${table(rows)}\n${rows.length} terminal${rows.length === 1 ? '' : 's'}, ${silent} silent (no heartbeat for more than ${options.silentAfter} s)\n`,
          );
        }
        setExitCode(silent > 0 ? 1 : 0);
      } finally {
        redis.disconnect();
      }
    });
}
