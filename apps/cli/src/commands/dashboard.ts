/**
 * `pos-ga4 dashboard`: Bull Board over the partition queues (`{tx-0}` … shown as
 * `transactions p0` …) and the dead-letter queue of one prefix, at `/`, plus `GET /healthz`.
 * Read-only unless `--read-write`: retrying or promoting jobs from the board would bypass
 * pos-ga4's ordering and dead-letter rules; operators use `pos-ga4 redrive` (docs/dashboards.md).
 * Exit code: 0 after SIGINT/SIGTERM (closed cleanly), 2 when Redis cannot be reached at start
 * (REDIS_UNAVAILABLE on stderr). Later Redis outages are reported on stderr and by /healthz (503)
 * while the connection retries.
 * Lifecycle: one Redis connection and the board's queue handles, all closed on the signal.
 */
import { Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { DEFAULT_PARTITIONS, DEFAULT_PREFIX, MAX_PARTITIONS } from '@pos-ga4/queue-contract';
import { createRedisConnection, pingRedis } from '@pos-ga4/redis';

import { buildDashboard } from '../dashboard/index.js';
import { untilSignal } from '../shutdown.js';

const CONNECT_TIMEOUT_MS = 3_000;

function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return parsed;
  };
}

function redactedUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}

export function dashboardCommand(setExitCode: (code: number) => void) {
  return new Command('dashboard')
    .description(
      'Serve Bull Board over the partition queues and the dead-letter queue (read-only unless --read-write)',
    )
    .option('--port <port>', 'port to listen on', integerIn(0, 65_535), 3000)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--redis-url <url>', 'Redis', process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379')
    .option('--prefix <prefix>', 'BullMQ key prefix', DEFAULT_PREFIX)
    .option(
      '--partitions <n>',
      'partition count (as the workers)',
      integerIn(1, MAX_PARTITIONS),
      DEFAULT_PARTITIONS,
    )
    .option(
      '--read-write',
      "allow Bull Board's job actions (retry, promote, clean, pause, add); bypasses pos-ga4's ordering and dead-letter rules",
    )
    .addHelpText(
      'after',
      "\nExamples:\n  npx pos-ga4 dashboard                       # http://127.0.0.1:3000/, read-only\n  npx pos-ga4 dashboard --redis-url rediss://monitor:PASSWORD@redis.example.com:6380 --partitions 16\n  npx pos-ga4 dashboard --host 0.0.0.0 --port 3000   # in a container, behind an authenticating proxy\n\nRead-only on purpose: dead letters go back with `npx pos-ga4 redrive`, not with the board's Retry.\nGET /healthz answers 200 while Redis is connected, 503 otherwise.",
    )
    .action(async (options) => {
      const ping = await pingRedis(options.redisUrl, CONNECT_TIMEOUT_MS);
      if (!ping.ok) {
        process.stderr.write(
          `REDIS_UNAVAILABLE: cannot reach Redis at ${redactedUrl(options.redisUrl)} (${ping.error})\n`,
        );
        setExitCode(2);
        return;
      }
      const redis = createRedisConnection({ url: options.redisUrl }, 'worker');
      let reported = false;
      redis.on('error', (error: Error) => {
        if (reported) return;
        reported = true;
        process.stderr.write(`dashboard: Redis unavailable (${error.message}), retrying\n`);
      });
      redis.on('ready', () => {
        reported = false;
      });
      const readOnly = options.readWrite !== true;
      const dashboard = buildDashboard({
        redis,
        prefix: options.prefix,
        partitions: options.partitions,
        readOnly,
      });
      try {
        const address = await dashboard.app.listen({ port: options.port, host: options.host });
        process.stderr.write(
          `dashboard (Bull Board, ${readOnly ? 'read-only' : 'READ-WRITE'}) listening on ${address}/ — ${options.partitions} partition queues and dead-letter under prefix ${options.prefix}\n`,
        );
        if (!readOnly) {
          process.stderr.write(
            'warning: job actions are enabled; retrying or promoting transaction jobs bypasses ordering, use `pos-ga4 redrive` for dead letters\n',
          );
        }
        await untilSignal();
      } finally {
        await dashboard.close();
        redis.disconnect();
      }
    });
}
