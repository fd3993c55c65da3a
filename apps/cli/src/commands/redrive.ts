import { Command } from '@commander-js/extra-typings';
import { DEFAULT_PARTITIONS, DEFAULT_PREFIX } from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';

import { createProgress } from '../progress.js';
import { redriveDeadLetters } from '../redrive/redrive-dead-letters.js';

export function redriveCommand(setExitCode: (code: number) => void) {
  return new Command('redrive')
    .description(
      'Send dead letters again after fixing their cause (the worker rebuilds each request)',
    )
    .option('--reason <code>', 'only this reason code (see docs/errors.md)')
    .option('--since <time>', 'only letters that failed at or after this ISO time')
    .option('--dry-run', 'count what would be redriven')
    .option('--redis-url <url>', 'Redis', process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379')
    .option('--prefix <prefix>', 'BullMQ key prefix', DEFAULT_PREFIX)
    .option(
      '--partitions <n>',
      'partition count (as the workers)',
      (v) => Number(v),
      DEFAULT_PARTITIONS,
    )
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  npx pos-ga4 redrive --reason HTTP_4XX --dry-run\n  npx pos-ga4 redrive --reason TOO_OLD --since 2026-11-26T00:00:00Z\n  npx pos-ga4 redrive',
    )
    .action(async (options) => {
      const since = options.since === undefined ? undefined : new Date(options.since);
      if (since !== undefined && Number.isNaN(since.getTime())) {
        process.stderr.write(`--since: ${options.since} is not an ISO time\n`);
        setExitCode(2);
        return;
      }
      const redis = createRedisConnection({ url: options.redisUrl }, 'worker');
      let progress: ReturnType<typeof createProgress> | undefined;
      try {
        const result = await redriveDeadLetters({
          redis,
          prefix: options.prefix,
          partitions: options.partitions,
          reason: options.reason,
          since,
          dryRun: options.dryRun === true,
          onProgress: (done, total) => {
            progress ??= createProgress({ label: 'redrive', total });
            progress.update(done);
          },
        });
        progress?.stop();
        process.stdout.write(
          options.json === true
            ? `${JSON.stringify(result)}\n`
            : `${options.dryRun === true ? 'would redrive' : 'redriven'} ${options.dryRun === true ? result.selected : result.redriven} of ${result.selected} dead letters ${JSON.stringify(result.byReason)}\n`,
        );
      } finally {
        redis.disconnect();
      }
    });
}
