import { existsSync, writeFileSync } from 'node:fs';

import { Argument, Command, Option } from '@commander-js/extra-typings';
import { ConfigError, loadConfig } from '@pos-ga4/config';
import { TERMINAL_ENV_ALIASES, TerminalConfigSchema } from '@pos-ga4/terminal';
import { WORKER_ENV_ALIASES, WorkerConfigSchema } from '@pos-ga4/worker';

import { TERMINAL_TEMPLATE } from '../config-templates/terminal-template.js';
import { WORKER_TEMPLATE } from '../config-templates/worker-template.js';

export function configCommand(setExitCode: (code: number) => void) {
  const check = new Command('check')
    .description(
      'Validate a config file (with POS_GA4_… overrides applied); errors name the field and the fix',
    )
    .argument('<file>', 'YAML or JSON config')
    .addOption(
      new Option('--kind <kind>', 'terminal or worker (default: guessed from the file)').choices([
        'terminal',
        'worker',
      ] as const),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  npx pos-ga4 config check /etc/pos-ga4/worker.yaml\n  npx pos-ga4 config check till-1.yaml --kind terminal',
    )
    .action((file, options) => {
      const kind = options.kind ?? (/terminal/i.test(file) ? 'terminal' : 'worker');
      try {
        if (kind === 'terminal')
          loadConfig({ schema: TerminalConfigSchema, file, aliases: TERMINAL_ENV_ALIASES });
        else loadConfig({ schema: WorkerConfigSchema, file, aliases: WORKER_ENV_ALIASES });
        process.stdout.write(`✓ ${file} is a valid ${kind} config\n`);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        process.stderr.write(`✗ ${error.message}\n`);
        setExitCode(1);
      }
    });
  const init = new Command('init')
    .description('Write a commented starter config (to stdout, or --out FILE)')
    .addArgument(new Argument('<kind>', 'which config').choices(['terminal', 'worker'] as const))
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--force', 'overwrite an existing file')
    .addHelpText(
      'after',
      '\nExamples:\n  npx pos-ga4 config init worker > worker.yaml\n  sudo npx pos-ga4 config init terminal --out /etc/pos-ga4/terminal.yaml',
    )
    .action((kind, options) => {
      const text = kind === 'terminal' ? TERMINAL_TEMPLATE : WORKER_TEMPLATE;
      if (options.out === undefined) {
        process.stdout.write(text);
        return;
      }
      if (existsSync(options.out) && options.force !== true) {
        process.stderr.write(`${options.out} exists; use --force to overwrite\n`);
        setExitCode(1);
        return;
      }
      writeFileSync(options.out, text);
      process.stderr.write(
        `wrote ${options.out}; check it with: npx pos-ga4 config check ${options.out} --kind ${kind}\n`,
      );
    });
  return new Command('config')
    .description('Config file tools: write a starter, check one')
    .addCommand(init)
    .addCommand(check);
}
