import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { mkdtempSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  DEFAULT_PARTITIONS,
  DEFAULT_PREFIX,
  MAX_PARTITIONS,
  recordedPartitions,
} from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';
import {
  bullmqTransactionSink,
  inputFormat,
  loadReceiptProfile,
  daysToRecent,
  fileByteSource,
  fileRejectLog,
  runPipeline,
} from '@pos-ga4/terminal';
import type { ByteSource, PipelineStats } from '@pos-ga4/terminal';
import { isTimeZone } from '@pos-ga4/transaction';

import { createProgress } from '../progress.js';

async function occurredAts(files: readonly string[]): Promise<string[]> {
  const texts = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  return texts.flatMap((text) =>
    [...text.matchAll(/"?occurredAt"?\s*[:=]\s*"?([0-9][0-9T:+.Z-]+)/g)].flatMap((m) =>
      m[1] === undefined ? [] : [m[1]],
    ),
  );
}

function parsePartitions(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > MAX_PARTITIONS)
    throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_PARTITIONS}.`);
  return count;
}

export function replayCommand(setExitCode: (code: number) => void) {
  return new Command('replay')
    .description('Replay captured or fixture journals through the terminal pipeline into the queue')
    .argument('<files...>', 'journals (JSON lines, key=value) or ESC/POS captures')
    .addOption(
      new Option('--format <format>', 'input format')
        .choices(['jsonl', 'kv', 'escpos'] as const)
        .default('jsonl' as const),
    )
    .option('--profile <file>', 'receipt profile (YAML/JSON), required for escpos')
    .option('--store <id>', 'pin the store id (records naming another store are rejected)')
    .option('--terminal <id>', 'pin the terminal id')
    .option(
      '--time-zone <zone>',
      "the store's IANA time zone: occurredAt is rewritten in it before the id is derived, as the terminal does (default: the profile's dates.timeZone, else this machine's zone)",
    )
    .option('--rebase', 'move all dates by whole days so the newest receipt falls in the last 24 h')
    .option(
      '--redis-url <url>',
      'Redis to enqueue into',
      process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    )
    .option('--prefix <prefix>', 'BullMQ key prefix', DEFAULT_PREFIX)
    .option(
      '--partitions <n>',
      `partition count, only for a Redis no worker has used yet (default: what the deployment recorded in <prefix>:meta, else ${DEFAULT_PARTITIONS})`,
      parsePartitions,
    )
    .option('--rejects <dir>', 'where rejected records are kept (default: a new temp dir)')
    .option('--json', 'print the statistics as JSON')
    .addHelpText(
      'after',
      '\nA receipt whose transaction id already belongs to a different receipt is not enqueued: it is\nkept in the rejects as TRANSACTION_ID_COLLISION and counted on stderr (exit code 1).\n\nExamples:\n  npx pos-ga4 replay fixtures/receipts/demo-day.jsonl --rebase\n  npx pos-ga4 replay capture.jsonl --store berlin-01 --terminal till-1 --time-zone Europe/Berlin --rejects /var/lib/pos-ga4/rejects',
    )
    .action(async (files, options) => {
      if (options.format === 'escpos' && options.profile === undefined) {
        process.stderr.write(
          '--format escpos needs --profile FILE (see docs/receipt-profiles.md)\n',
        );
        setExitCode(2);
        return;
      }
      if (options.rebase === true && options.format === 'escpos') {
        process.stderr.write(
          '--rebase works on journal formats (jsonl, kv), where dates are fields\n',
        );
        setExitCode(2);
        return;
      }
      if (options.timeZone !== undefined && !isTimeZone(options.timeZone)) {
        process.stderr.write(
          `--time-zone ${options.timeZone} is not an IANA time zone, e.g. Europe/Berlin\n`,
        );
        setExitCode(2);
        return;
      }
      const profile =
        options.format === 'escpos' && options.profile !== undefined
          ? loadReceiptProfile(options.profile)
          : undefined;
      const format =
        profile !== undefined
          ? inputFormat({ format: 'escpos', profile })
          : inputFormat({ format: options.format === 'kv' ? 'kv' : 'jsonl' });
      const timeZone =
        options.timeZone ??
        profile?.dates.timeZone ??
        Intl.DateTimeFormat().resolvedOptions().timeZone;
      const connection = createRedisConnection({ url: options.redisUrl }, 'worker');
      // receipts hashed with another count than the workers' would land where no worker reads
      const recorded = await recordedPartitions(connection, options.prefix);
      if (
        recorded !== undefined &&
        options.partitions !== undefined &&
        recorded !== options.partitions
      ) {
        process.stderr.write(
          `PARTITIONS_MISMATCH: ${options.prefix} is set up for ${recorded} partitions, --partitions says ${options.partitions}; nothing enqueued\n`,
        );
        connection.disconnect();
        setExitCode(2);
        return;
      }
      const partitions = recorded ?? options.partitions ?? DEFAULT_PARTITIONS;
      const sink = bullmqTransactionSink({ connection, prefix: options.prefix, partitions });
      const rejectsDir = options.rejects ?? mkdtempSync(join(tmpdir(), 'pos-ga4-rejects-'));
      const rejects = fileRejectLog(rejectsDir);
      const shiftDays =
        options.rebase === true ? daysToRecent(await occurredAts(files), Date.now()) : 0;
      const total: PipelineStats = { receipts: 0, enqueued: 0, rejected: 0, rejectedByCode: {} };
      try {
        const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
        const progress = createProgress({
          label: 'replay (bytes)',
          total: sizes.reduce((a, b) => a + b, 0),
        });
        let read = 0;
        for (const file of files) {
          const inner = fileByteSource(file);
          const source: ByteSource = {
            name: inner.name,
            close: () => inner.close(),
            async *[Symbol.asyncIterator]() {
              for await (const chunk of inner) {
                read += chunk.length;
                progress.update(read);
                yield chunk;
              }
            },
          };
          const stats = await runPipeline({
            source,
            sink,
            rejects,
            format,
            storeId: options.store,
            terminalId: options.terminal,
            timeZone,
            shiftDays,
          });
          total.receipts += stats.receipts;
          total.enqueued += stats.enqueued;
          total.rejected += stats.rejected;
          for (const [code, n] of Object.entries(stats.rejectedByCode))
            total.rejectedByCode[code] = (total.rejectedByCode[code] ?? 0) + n;
        }
        progress.stop();
      } finally {
        await sink.close();
        connection.disconnect();
      }
      const report = { ...total, shiftDays, timeZone, partitions, rejectsDir };
      const collisions = total.rejectedByCode['TRANSACTION_ID_COLLISION'] ?? 0;
      if (collisions > 0)
        process.stderr.write(
          `TRANSACTION_ID_COLLISION: ${collisions} receipt${collisions === 1 ? '' : 's'} not enqueued: the transaction id already belongs to a different receipt (kept in ${rejectsDir})\n`,
        );
      process.stdout.write(
        options.json === true
          ? `${JSON.stringify(report)}\n`
          : `receipts ${total.receipts}, enqueued ${total.enqueued}, rejected ${total.rejected}${total.rejected > 0 ? ` (${JSON.stringify(total.rejectedByCode)}; kept in ${rejectsDir})` : ''}\n`,
      );
      setExitCode(total.rejected > 0 ? 1 : 0);
    });
}
