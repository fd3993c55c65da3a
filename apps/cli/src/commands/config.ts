import { Command, Option } from '@commander-js/extra-typings';
import { ConfigError, loadConfig } from '@pos-ga4/config';
import { TERMINAL_ENV_ALIASES, TerminalConfigSchema } from '@pos-ga4/terminal';
import { WORKER_ENV_ALIASES, WorkerConfigSchema } from '@pos-ga4/worker';

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
  return new Command('config').description('Config file tools').addCommand(check);
}
