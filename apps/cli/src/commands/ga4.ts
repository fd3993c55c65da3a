/**
 * `pos-ga4 ga4 map` (transactions → MP request bodies, one JSON line each) and
 * `pos-ga4 ga4 validate` (one body, or JSON lines of bodies → `{"validationMessages":[…]}` per
 * body, like /debug/mp/collect; exit 1 when any body has a message, 2 when --remote fails).
 */
import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { loadConfig } from '@pos-ga4/config';
import { batchEvents, createMpClient, validateRequestText } from '@pos-ga4/ga4-mp';
import type { BatchInput, MpRequest, ValidationMessage } from '@pos-ga4/ga4-mp';
import { completeTransaction } from '@pos-ga4/transaction';
import {
  buildRequest,
  destinationOf,
  WORKER_ENV_ALIASES,
  WorkerConfigSchema,
} from '@pos-ga4/worker';

import type { ErrorCode } from '../error-catalogue.js';
import { loadIdentities } from '../identities/import-identities.js';
import { readInput } from '../read-input.js';
import { splitRequestBodies } from '../request-bodies.js';

/** `--now` values: an ISO 8601 date-time, as milliseconds since the epoch. */
function parseNow(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidArgumentError('expected an ISO 8601 date-time.');
  return ms;
}

function mapCommand(setExitCode: (code: number) => void) {
  return new Command('map')
    .description(
      'Transaction JSON lines in, Measurement Protocol request bodies out (one per line, already batched)',
    )
    .argument(
      '[file]',
      'JSON lines of transactions (or drafts without the derived fields); - or none for stdin',
    )
    .option('--now <iso>', 'the clock for the backdating window (default: now)', parseNow)
    .option(
      '--config <file>',
      'worker config: its mapping and identity settings (prices, affiliation, identity.hmacSecret…) apply; the flags below override',
    )
    .option(
      '--identities <file>',
      'identity CSV as for `identities import` (kind,token,clientId,userId,…): looked up like the worker looks up its store',
    )
    .addOption(
      new Option('--prices <mode>', 'item prices and value without tax (net) or with it').choices([
        'net',
        'gross',
      ] as const),
    )
    .addOption(new Option('--value-includes-tax', 'old name of --prices gross').hideHelp())
    .addOption(
      new Option('--too-old <policy>', 'events older than the window').choices([
        'dead-letter',
        'redate',
      ] as const),
    )
    .addOption(
      new Option('--session <mode>', 'session_id / engagement_time_msec').choices([
        'per-transaction',
        'omit',
      ] as const),
    )
    .addOption(
      new Option('--unknown-client <policy>', 'transactions without a known client id').choices([
        'pseudo-client-id',
        'dead-letter',
      ] as const),
    )
    .addHelpText(
      'after',
      '\nWithout --config: prices net, too-old dead-letter, session per-transaction, unknown-client pseudo-client-id, and no identity.hmacSecret (an unmapped loyalty card gets a pseudo client id per receipt).\n\nExamples:\n  npx pos-ga4 ga4 map fixtures/receipts/demo-day.jsonl --now 2026-11-26T23:00:00Z\n  npx pos-ga4 ga4 map day.jsonl --config worker.yaml --identities crm.csv\n  cat transactions.jsonl | npx pos-ga4 ga4 map --too-old redate',
    )
    .action(async (file, options) => {
      const now = options.now ?? Date.now();
      const base =
        options.config === undefined
          ? WorkerConfigSchema.parse({ ga4: { measurementId: 'G-MAP', apiSecret: 'unused' } })
          : loadConfig({
              schema: WorkerConfigSchema,
              file: options.config,
              aliases: WORKER_ENV_ALIASES,
            });
      const prices =
        options.prices ?? (options.valueIncludesTax === true ? ('gross' as const) : undefined);
      const config = {
        ...base,
        mapping: {
          ...base.mapping,
          ...(prices === undefined ? {} : { prices }),
          ...(options.tooOld === undefined ? {} : { tooOld: options.tooOld }),
          ...(options.session === undefined ? {} : { session: options.session }),
        },
        identity: {
          ...base.identity,
          ...(options.unknownClient === undefined ? {} : { unknown: options.unknownClient }),
        },
      };
      let identities: Awaited<ReturnType<typeof loadIdentities>>['identities'] | undefined;
      if (options.identities !== undefined) {
        const loaded = await loadIdentities(options.identities);
        for (const rejection of loaded.rejected)
          process.stderr.write(
            `${JSON.stringify({ file: options.identities, line: rejection.line, reason: rejection.reason })}\n`,
          );
        identities = loaded.identities;
      }
      const inputs: BatchInput<number>[] = [];
      let failed = 0;
      const lines = (await readInput(file)).split('\n');
      lines.forEach((line, index) => {
        if (line.trim() === '') return;
        const fail = (code: ErrorCode, reason: string): void => {
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
        const built = buildRequest(parsed.transaction, {
          config,
          now,
          ...(identities === undefined ? {} : { identities }),
        });
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
          `${JSON.stringify({ line: o.ref + 1, code: 'VALIDATION_FAILED' satisfies ErrorCode, reason: 'event larger than a request may be' })}\n`,
        );
      setExitCode(failed + oversized.length > 0 ? 1 : 0);
    });
}

function validateCommand(setExitCode: (code: number) => void) {
  return new Command('validate')
    .description(
      'Validate MP request bodies (one JSON body, or JSON lines as `ga4 map` prints them); prints {"validationMessages":[…]} per body like /debug/mp/collect',
    )
    .argument('[file]', 'the request body (JSON) or bodies (JSON lines); - or none for stdin')
    .option(
      '--remote',
      "ask the configured endpoint's /debug/mp/collect instead of the local validator",
    )
    .option('--config <file>', 'worker config with GA4 credentials (for --remote)')
    .option(
      '--now <iso>',
      'the clock for the timestamp window: more than 72 h old or 15 min ahead is a message (default: now)',
      parseNow,
    )
    .addOption(
      new Option('--stream <kind>', 'stream type')
        .choices(['web', 'app'] as const)
        .default('web' as const),
    )
    .addHelpText(
      'after',
      '\nJSON lines in, one line out per body, with "line": the input line it came from.\nExit code: 0 when no body has messages, 1 otherwise (2 when --remote cannot ask).\n\nExamples:\n  npx pos-ga4 ga4 validate body.json\n  npx pos-ga4 ga4 map day.jsonl --now 2026-11-26T23:00:00Z | npx pos-ga4 ga4 validate --now 2026-11-26T23:00:00Z\n  npx pos-ga4 ga4 validate body.json --remote --config worker.yaml',
    )
    .action(async (file, options) => {
      const { bodies, jsonLines } = splitRequestBodies(await readInput(file));
      const print = (line: number, validationMessages: readonly ValidationMessage[]): void => {
        const result = jsonLines ? { line, validationMessages } : { validationMessages };
        process.stdout.write(`${JSON.stringify(result)}\n`);
        setExitCode(validationMessages.length === 0 ? 0 : 1);
      };
      const validateOptions = { stream: options.stream, now: options.now ?? Date.now() };
      if (options.remote !== true) {
        for (const body of bodies)
          print(body.line, validateRequestText(body.text, validateOptions));
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
        for (const body of bodies) {
          let request: MpRequest;
          try {
            request = JSON.parse(body.text) as MpRequest;
          } catch {
            print(body.line, validateRequestText(body.text, validateOptions)); // the syntax error
            continue;
          }
          const outcome = await client.validate(request);
          if (outcome.kind === 'validated') {
            print(body.line, outcome.validationMessages);
          } else {
            const where = jsonLines ? ` (line ${body.line})` : '';
            process.stderr.write(
              `${client.describe(true)}${where}: ${outcome.reason} ${outcome.message}\n`,
            );
            setExitCode(2);
          }
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
