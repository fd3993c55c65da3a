/**
 * `pos-ga4 parse`: captured bytes → Transactions, offline (no Redis, nothing sent).
 *
 * Inputs: a file or stdin (`-`/none) in one input format: `escpos` (printer stream; needs a
 * receipt profile), `jsonl` or `kv` journals. Outputs: on stdout one JSON Transaction per line,
 * through the same framer → parser → assembly pipeline as a terminal; or with `--emit text` the
 * decoded text of each receipt (journal lines as they are), receipts separated by a line `---`.
 * On stderr one JSON object per line: rejected receipts `{"code","reason","captureRef",…}`, and
 * warnings `{"transactionId","captureRef","warnings"}` (lines a profile did not understand).
 * `--rejects DIR` also keeps rejected receipts with their raw bytes (`npx pos-ga4 rejects DIR`).
 * Exit code: 0; 1 when any receipt was rejected; 2 for a missing or invalid profile.
 * Lifecycle: reads the input once, to its end.
 */
import { Command, Option } from '@commander-js/extra-typings';

import {
  escposOptionsOf,
  escposRecordFramer,
  fileByteSource,
  fileRejectLog,
  inputFormat,
  lineRecordFramer,
  loadReceiptProfile,
  ProfileError,
  runPipeline,
} from '@pos-ga4/terminal';
import type {
  ByteSource,
  Frame,
  Framer,
  ReceiptProfile,
  Rejection,
  RejectLog,
} from '@pos-ga4/terminal';

type FormatName = 'escpos' | 'jsonl' | 'kv';

const SEPARATOR = '---\n';

function stdinSource(): ByteSource {
  return {
    name: 'stdin',
    async *[Symbol.asyncIterator]() {
      for await (const chunk of process.stdin) yield chunk as Buffer;
    },
    close: () => Promise.resolve(),
  };
}

function sourceOf(file: string | undefined): ByteSource {
  return file === undefined || file === '-' ? stdinSource() : fileByteSource(file);
}

function writeLine(stream: NodeJS.WriteStream, value: unknown): void {
  stream.write(`${JSON.stringify(value)}\n`);
}

function stderrRejects(keep: RejectLog | undefined): RejectLog {
  return {
    async record(rejection: Rejection) {
      const { raw: _raw, ...shown } = rejection;
      writeLine(process.stderr, shown);
      await keep?.record(rejection);
    },
    close: async () => {
      await keep?.close();
    },
  };
}

/** `--emit text`: every frame's text, `---` between receipts; returns how many were rejected. */
async function emitText(source: ByteSource, framer: Framer): Promise<number> {
  const utf8 = new TextDecoder('utf-8');
  let emitted = 0;
  let rejected = 0;
  const print = (frames: readonly Frame[]): void => {
    for (const frame of frames) {
      if (frame.kind === 'rejected') {
        rejected++;
        writeLine(process.stderr, {
          code: frame.code,
          reason: frame.reason,
          captureRef: `${source.name}@${frame.byteOffset}+${frame.raw.length}`,
        });
        continue;
      }
      const text = frame.text ?? utf8.decode(frame.raw);
      process.stdout.write(
        `${emitted > 0 ? SEPARATOR : ''}${text === '' || text.endsWith('\n') ? text : `${text}\n`}`,
      );
      emitted++;
    }
  };
  for await (const chunk of source) print(framer.push(chunk, Date.now()));
  print(framer.end());
  return rejected;
}

/** The profile, undefined without --profile, or a usage error message. */
function loadProfile(
  file: string | undefined,
  format: FormatName,
): ReceiptProfile | string | undefined {
  if (file === undefined) return undefined;
  if (format !== 'escpos') return '--profile is only for --format escpos';
  try {
    return loadReceiptProfile(file);
  } catch (error) {
    if (error instanceof ProfileError) return `${error.code}: ${error.message}`;
    throw error;
  }
}

export function parseCommand(setExitCode: (code: number) => void) {
  return new Command('parse')
    .description(
      'Parse captured receipts or journal lines into Transactions (JSON lines), offline; rejected receipts go to stderr',
    )
    .argument('[file]', 'ESC/POS capture or journal; - or none for stdin')
    .addOption(
      new Option('--format <format>', 'input format')
        .choices(['escpos', 'jsonl', 'kv'] as const)
        .default('jsonl' as const),
    )
    .option('--profile <file>', 'receipt profile, YAML or JSON (required for --format escpos)')
    .addOption(
      new Option('--emit <what>', 'what to print')
        .choices(['transactions', 'text'] as const)
        .default('transactions' as const),
    )
    .option('--store <id>', 'store id for receipts that name none (others are rejected)')
    .option('--terminal <id>', 'terminal id for receipts that name none')
    .option('--rejects <dir>', 'also keep rejected receipts with their raw bytes here')
    .addHelpText(
      'after',
      [
        '',
        'Output: stdout holds one JSON Transaction per line (or, with --emit text, each',
        'receipt\'s decoded text, receipts separated by a line "---"). stderr holds one JSON object',
        'per line: {"code","reason",...} for each rejected receipt, {"warnings",...} for lines a',
        'profile did not understand. Exit code 1 when any receipt was rejected, 2 for a bad profile.',
        '',
        'Examples:',
        '  npx pos-ga4 parse --format escpos --profile profiles/examplemart.yaml fixtures/escpos/escpos-php/receipt-with-logo.bin',
        '  npx pos-ga4 parse --format escpos --emit text fixtures/escpos/escpos-php/demo.bin',
        '  npx pos-ga4 parse --format jsonl fixtures/receipts/demo-day.jsonl',
        '  cat journal.kv | npx pos-ga4 parse --format kv --store berlin-01 --terminal till-1 -',
      ].join('\n'),
    )
    .action(async (file, options) => {
      const profile = loadProfile(options.profile, options.format);
      if (typeof profile === 'string') {
        process.stderr.write(`${profile}\n`);
        setExitCode(2);
        return;
      }
      const source = sourceOf(file);
      if (options.emit === 'text') {
        const framer =
          options.format === 'escpos'
            ? escposRecordFramer(profile === undefined ? {} : escposOptionsOf(profile))
            : lineRecordFramer();
        const rejected = await emitText(source, framer);
        setExitCode(rejected > 0 ? 1 : 0);
        return;
      }
      if (options.format === 'escpos' && profile === undefined) {
        process.stderr.write(
          '--format escpos needs --profile FILE (e.g. profiles/examplemart.yaml); --emit text does not\n',
        );
        setExitCode(2);
        return;
      }
      const format =
        options.format === 'escpos' && profile !== undefined
          ? inputFormat({ format: 'escpos', profile })
          : inputFormat({ format: options.format === 'kv' ? 'kv' : 'jsonl' });
      const rejects = stderrRejects(
        options.rejects === undefined ? undefined : fileRejectLog(options.rejects),
      );
      try {
        const stats = await runPipeline({
          source,
          format,
          rejects,
          sink: {
            enqueue: (transactions) => {
              for (const transaction of transactions) writeLine(process.stdout, transaction);
              return Promise.resolve();
            },
            close: () => Promise.resolve(),
          },
          storeId: options.store,
          terminalId: options.terminal,
          onWarning: (warning) => {
            writeLine(process.stderr, warning);
          },
        });
        setExitCode(stats.rejected > 0 ? 1 : 0);
      } finally {
        await rejects.close();
        await source.close();
      }
    });
}
