import { Command, Option } from '@commander-js/extra-typings';
import { loadConfig } from '@pos-ga4/config';
import { batchEvents, createMpClient, validateRequestText } from '@pos-ga4/ga4-mp';
import type { BatchInput, MpRequest } from '@pos-ga4/ga4-mp';
import { completeTransaction } from '@pos-ga4/transaction';
import {
  buildRequest,
  destinationOf,
  WORKER_ENV_ALIASES,
  WorkerConfigSchema,
} from '@pos-ga4/worker';

import { readInput } from '../read-input.js';

function mapCommand(setExitCode: (code: number) => void) {
  return new Command('map')
    .description(
      'Transaction JSON lines in, Measurement Protocol request bodies out (one per line, already batched)',
    )
    .argument(
      '[file]',
      'JSON lines of transactions (or drafts without the derived fields); - or none for stdin',
    )
    .option('--now <iso>', 'the clock for the backdating window (default: now)')
    .option('--value-includes-tax', 'include tax in value')
    .addOption(
      new Option('--too-old <policy>', 'events older than the window')
        .choices(['dead-letter', 'redate'] as const)
        .default('dead-letter' as const),
    )
    .addOption(
      new Option('--session <mode>', 'session_id / engagement_time_msec')
        .choices(['per-transaction', 'omit'] as const)
        .default('per-transaction' as const),
    )
    .addOption(
      new Option('--unknown-client <policy>', 'transactions without a scanned client id')
        .choices(['pseudo-client-id', 'dead-letter'] as const)
        .default('pseudo-client-id' as const),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  npx pos-ga4 ga4 map fixtures/receipts/demo-day.jsonl --now 2026-11-26T12:00:00Z\n  cat transactions.jsonl | npx pos-ga4 ga4 map --too-old redate',
    )
    .action(async (file, options) => {
      const now = options.now === undefined ? Date.now() : Date.parse(options.now);
      const config = WorkerConfigSchema.parse({
        ga4: { measurementId: 'G-MAP', apiSecret: 'unused' },
        mapping: {
          valueIncludesTax: options.valueIncludesTax === true,
          tooOld: options.tooOld,
          session: options.session,
        },
        identity: { unknown: options.unknownClient },
      });
      const inputs: BatchInput<number>[] = [];
      let failed = 0;
      const lines = (await readInput(file)).split('\n');
      lines.forEach((line, index) => {
        if (line.trim() === '') return;
        const fail = (code: string, reason: string): void => {
          failed++;
          process.stderr.write(`${JSON.stringify({ line: index + 1, code, reason })}\n`);
        };
        let draft: unknown;
        try {
          draft = JSON.parse(line);
        } catch (error) {
          fail('JSON_INVALID', (error as Error).message);
          return;
        }
        const withSource =
          typeof draft === 'object' && draft !== null && !('source' in draft)
            ? { ...draft, source: { format: 'jsonl' } }
            : draft;
        const parsed = completeTransaction(withSource);
        if (!parsed.ok) {
          fail(parsed.rejection.code, parsed.rejection.reason);
          return;
        }
        const built = buildRequest(parsed.transaction, { config, now });
        if (!built.ok) {
          if (built.code !== 'VOID_NOT_SENT') fail(built.code, built.reason);
          return;
        }
        const { events, ...envelope } = built.request;
        for (const event of events) inputs.push({ envelope, event, ref: index });
      });
      const { requests, oversized } = batchEvents(inputs);
      for (const request of requests) process.stdout.write(`${JSON.stringify(request.body)}\n`);
      for (const o of oversized)
        process.stderr.write(
          `${JSON.stringify({ line: o.ref + 1, code: 'VALIDATION_FAILED', reason: 'event larger than a request may be' })}\n`,
        );
      setExitCode(failed + oversized.length > 0 ? 1 : 0);
    });
}

function validateCommand(setExitCode: (code: number) => void) {
  return new Command('validate')
    .description(
      'Validate one MP request body; prints {"validationMessages":[…]} like /debug/mp/collect',
    )
    .argument('[file]', 'the request body (JSON); - or none for stdin')
    .option(
      '--remote',
      "ask the configured endpoint's /debug/mp/collect instead of the local validator",
    )
    .option('--config <file>', 'worker config with GA4 credentials (for --remote)')
    .addOption(
      new Option('--stream <kind>', 'stream type')
        .choices(['web', 'app'] as const)
        .default('web' as const),
    )
    .addHelpText(
      'after',
      '\nExit code: 0 when there are no messages, 1 otherwise.\n\nExamples:\n  npx pos-ga4 ga4 validate body.json\n  npx pos-ga4 ga4 map day.jsonl | head -1 | npx pos-ga4 ga4 validate\n  npx pos-ga4 ga4 validate body.json --remote --config worker.yaml',
    )
    .action(async (file, options) => {
      const text = await readInput(file);
      if (options.remote !== true) {
        const validationMessages = validateRequestText(text, { stream: options.stream });
        process.stdout.write(`${JSON.stringify({ validationMessages })}\n`);
        setExitCode(validationMessages.length === 0 ? 0 : 1);
        return;
      }
      const config = loadConfig({
        schema: WorkerConfigSchema,
        file: options.config,
        aliases: WORKER_ENV_ALIASES,
      });
      const client = createMpClient({
        destination: destinationOf(config.ga4),
        timeoutMs: config.httpTimeoutMs,
      });
      try {
        const outcome = await client.validate(JSON.parse(text) as MpRequest);
        if (outcome.kind === 'validated') {
          process.stdout.write(
            `${JSON.stringify({ validationMessages: outcome.validationMessages })}\n`,
          );
          setExitCode(outcome.validationMessages.length === 0 ? 0 : 1);
        } else {
          process.stderr.write(`${client.describe(true)}: ${outcome.reason} ${outcome.message}\n`);
          setExitCode(2);
        }
      } finally {
        await client.close();
      }
    });
}

export function ga4Command(setExitCode: (code: number) => void) {
  return new Command('ga4')
    .description('GA4 Measurement Protocol tools: map transactions to requests, validate requests')
    .addCommand(mapCommand(setExitCode))
    .addCommand(validateCommand(setExitCode));
}
