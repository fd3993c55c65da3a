import { Command } from '@commander-js/extra-typings';
import { DEFAULT_PARTITIONS, DEFAULT_PREFIX } from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';
import { isCurrencyCode, minorUnitsOf } from '@pos-ga4/transaction';
import Table from 'cli-table3';

import { readJobSnapshots } from '../reconcile/read-job-snapshots.js';
import { reconcile } from '../reconcile/reconcile-jobs.js';
import type { Amount, ReconcileRow } from '../reconcile/reconcile-jobs.js';

function money(amount: Amount, currency: string): string {
  const exponent = isCurrencyCode(currency) ? minorUnitsOf(currency) : 2;
  const sign = amount.total < 0 ? '-' : '';
  const digits = Math.abs(amount.total)
    .toString()
    .padStart(exponent + 1, '0');
  const value =
    exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return `${amount.count} / ${sign}${value}`;
}

function table(rows: readonly ReconcileRow[]): string {
  const plain = !process.stdout.isTTY;
  const t = new Table({
    head: [
      'store',
      'day',
      'cur',
      'sales',
      'refunds',
      'delivered',
      'refunds sent',
      'voids',
      'dead letters',
      'pending',
      'difference',
    ],
    ...(plain ? { style: { head: [], border: [] } } : {}),
  });
  for (const r of rows) {
    t.push([
      r.storeId,
      r.day,
      r.currency,
      money(r.captured.sales, r.currency),
      money(r.captured.refunds, r.currency),
      money(r.delivered.purchases, r.currency),
      money(r.delivered.refunds, r.currency),
      money(r.skipped, r.currency),
      Object.entries(r.deadLettered)
        .map(([code, a]) => `${code} ${money(a, r.currency)}`)
        .join('\n') || '0',
      money(r.pending, r.currency),
      money(r.difference, r.currency),
    ]);
  }
  return t.toString();
}

export function reconcileCommand(setExitCode: (code: number) => void) {
  return new Command('reconcile')
    .description(
      'Per store and day: receipts captured against purchases and refunds delivered, dead letters and pending, to the cent',
    )
    .option('--store <id>', 'one store')
    .option('--day <yyyy-mm-dd>', 'one business day (the receipts’ local date)')
    .option('--json', 'one JSON array on stdout')
    .option('--redis-url <url>', 'Redis', process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379')
    .option('--prefix <prefix>', 'BullMQ key prefix', DEFAULT_PREFIX)
    .option(
      '--partitions <n>',
      'partition count (as the workers)',
      (v) => Number(v),
      DEFAULT_PARTITIONS,
    )
    .addHelpText(
      'after',
      '\n"count / amount" per cell; amounts are receipt totals. Exit code 1 when a difference is not 0.\nFinished jobs are kept 7 days, so reconcile within that window.\n\nExamples:\n  npx pos-ga4 reconcile --day 2026-11-26\n  npx pos-ga4 reconcile --store berlin-01 --json',
    )
    .action(async (options) => {
      const redis = createRedisConnection({ url: options.redisUrl }, 'worker');
      try {
        const rows = reconcile(
          await readJobSnapshots({ redis, prefix: options.prefix, partitions: options.partitions }),
          { storeId: options.store, day: options.day },
        );
        process.stdout.write(
          options.json === true ? `${JSON.stringify(rows)}\n` : `${table(rows)}\n`,
        );
        setExitCode(rows.some((r) => r.difference.count !== 0 || r.difference.total !== 0) ? 1 : 0);
      } finally {
        redis.disconnect();
      }
    });
}
