import { Command } from '@commander-js/extra-typings';
import { createLogger, stderrDestination } from '@pos-ga4/logger';
import Table from 'cli-table3';

import { RedisUnavailableError } from '../demo/demo-redis.js';
import { runDemo } from '../demo/run-demo.js';
import type { DemoSummary } from '../demo/run-demo.js';
import { untilSignal } from '../shutdown.js';

/** An amount with at least its currency's minor digits (Intl), and every digit it has. */
function money(value: number, currency: string): string {
  let digits = 0;
  try {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 0;
  } catch {
    digits = 0;
  }
  const shown = String(value);
  if (shown.includes('e')) return shown;
  return value.toFixed(Math.max(digits, shown.split('.')[1]?.length ?? 0));
}

function table(summary: DemoSummary): string {
  const plain = !process.stdout.isTTY;
  const t = new Table({
    head: ['pos-ga4 demo', ''],
    ...(plain ? { style: { head: [], border: [] } } : {}),
  });
  t.push(
    ['receipts read', summary.receipts],
    ['rejected at the terminal', summary.rejected],
    ['enqueued', summary.enqueued],
    ['delivered to GA4 (collector)', summary.delivered],
    ['skipped (voids)', summary.skipped],
    ['dead-lettered', summary.deadLettered],
    ['HTTP requests', summary.requests],
    [
      'events at the collector',
      Object.entries(summary.events)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ') || '0',
    ],
    [
      'revenue (gross − refunded = net)',
      summary.revenue
        .map(
          (r) =>
            `${money(r.gross, r.currency)} − ${money(r.refunded, r.currency)} = ${money(r.net, r.currency)} ${r.currency}`,
        )
        .join('\n') || '–',
    ],
    [
      'refunds netted against their purchase',
      summary.netted
        .map(
          (t) =>
            `${t.transactionId}: ${money(t.purchase, t.currency)} − ${money(t.refunded, t.currency)} = ${money(t.net, t.currency)} ${t.currency}`,
        )
        .join('\n') || 'none',
    ],
    ['Redis', `${summary.redis.url} (${summary.redis.origin}, ${summary.redis.version})`],
    ['collector', summary.collectorUrl],
    ['took', `${summary.durationMs} ms`],
  );
  return t.toString();
}

export function demoCommand(setExitCode: (code: number) => void) {
  return new Command('demo')
    .description(
      'Run the whole pipeline on embedded defaults: fixture receipts → Redis → worker → local GA4 collector',
    )
    .option('--json', 'print the summary as one JSON object on stdout')
    .option('--keep-open', 'keep the collector (and its Realtime page) running until Ctrl-C')
    .option('--port <port>', 'collector port (default: a free one)', (v) => Number(v))
    .addHelpText(
      'after',
      '\nExamples:\n  npx pos-ga4 demo\n  npx pos-ga4 demo --json\n  REDIS_URL=redis://10.0.0.5:6379 npx pos-ga4 demo --keep-open --port 8787',
    )
    .action(async (options) => {
      const logger = createLogger({
        name: 'demo',
        level: 'warn',
        destination: stderrDestination(),
      });
      try {
        const { summary, close } = await runDemo({
          redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
          logger,
          ...(options.keepOpen === true ? { keepOpen: true } : {}),
          ...(options.port === undefined ? {} : { port: options.port }),
        });
        process.stdout.write(
          options.json === true ? `${JSON.stringify(summary)}\n` : `${table(summary)}\n`,
        );
        const accounted =
          summary.delivered + summary.skipped + summary.deadLettered + summary.rejected ===
          summary.receipts;
        setExitCode(accounted && summary.receipts > 0 ? 0 : 1);
        if (options.keepOpen === true) {
          process.stderr.write(`Realtime page: ${summary.collectorUrl}/  (Ctrl-C to stop)\n`);
          await untilSignal();
          await close();
        }
      } catch (error) {
        if (error instanceof RedisUnavailableError) {
          process.stderr.write(`${error.message}\n`);
          setExitCode(2);
          return;
        }
        throw error;
      }
    });
}
