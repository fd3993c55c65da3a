import { Command } from '@commander-js/extra-typings';
import { readRejects } from '@pos-ga4/terminal';

export function rejectsCommand() {
  return new Command('rejects')
    .description('List rejected receipts and records kept by a terminal (raw bytes, reason code)')
    .argument('<dir>', 'the rejects directory (dataDir/rejects on a terminal)')
    .option('--code <code>', 'only this reason code')
    .option('--json', 'one JSON object per line, with the raw bytes in base64')
    .addHelpText(
      'after',
      '\nExamples:\n  npx pos-ga4 rejects /var/lib/pos-ga4/rejects\n  npx pos-ga4 rejects /var/lib/pos-ga4/rejects --code TOTALS_MISMATCH --json',
    )
    .action((dir, options) => {
      const records = readRejects(dir).filter(
        (r) => options.code === undefined || r.code === options.code,
      );
      for (const record of records) {
        process.stdout.write(
          options.json === true
            ? `${JSON.stringify(record)}\n`
            : `${record.at}  ${record.code.padEnd(24)} ${record.captureRef}  ${record.reason}\n`,
        );
      }
      if (options.json !== true) process.stderr.write(`${records.length} rejected\n`);
    });
}
