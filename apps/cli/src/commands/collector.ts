import { Command } from '@commander-js/extra-typings';
import { buildCollector } from '@pos-ga4/collector';

import { untilSignal } from '../shutdown.js';

const rate = (v: string): number => Number(v);

export function collectorCommand() {
  return new Command('collector')
    .description(
      'Run the local GA4-compatible collector (/mp/collect, /debug/mp/collect, JSON API, Realtime page)',
    )
    .option('--port <port>', 'port to listen on', (v) => Number(v), 8787)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--persist <file>', 'append every request to this JSON-lines file')
    .option('--error-rate <rate>', 'fraction of requests answered 503', rate, 0)
    .option('--rate-limit-rate <rate>', 'fraction answered 429 with Retry-After', rate, 0)
    .option('--retry-after <seconds>', 'Retry-After of injected 429s', (v) => Number(v), 1)
    .option('--timeout-rate <rate>', 'fraction held without answer, then dropped', rate, 0)
    .option('--reset-rate <rate>', 'fraction whose connection is reset', rate, 0)
    .option('--bad-request-rate <rate>', 'fraction answered 400', rate, 0)
    .option('--latency <ms>', 'added to every answer', (v) => Number(v), 0)
    .option('--seed <n>', 'fault random seed', (v) => Number(v), 1)
    .addHelpText(
      'after',
      '\nExamples:\n  npx pos-ga4 collector --port 8787\n  npx pos-ga4 collector --error-rate 0.3 --rate-limit-rate 0.05 --retry-after 2 --latency 50\n\nFaults can also be changed at run time: PUT /api/faults with the same settings as JSON.',
    )
    .action(async (options) => {
      const collector = buildCollector({
        faults: {
          errorRate: options.errorRate,
          rateLimitRate: options.rateLimitRate,
          retryAfterSeconds: options.retryAfter,
          timeoutRate: options.timeoutRate,
          resetRate: options.resetRate,
          badRequestRate: options.badRequestRate,
          latencyMs: options.latency,
          seed: options.seed,
        },
        ...(options.persist === undefined ? {} : { persistTo: options.persist }),
      });
      const address = await collector.app.listen({ port: options.port, host: options.host });
      process.stderr.write(`collector listening on ${address} (Realtime page: ${address}/)\n`);
      await untilSignal();
      await collector.app.close();
    });
}
