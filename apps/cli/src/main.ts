/**
 * The `pos-ga4` command line. `main(argv)` builds the commander program, runs the command and
 * returns the exit code (it never calls process.exit itself, so tests can run it in-process).
 * The one exception, for every command: when the reader of stdout goes away (`… | head -1`),
 * the process ends quietly with exit code 0 instead of an EPIPE stack trace (closed-stdout.ts).
 * Every command has --help with examples.
 */
import { Command, CommanderError } from '@commander-js/extra-typings';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { ConfigError } from '@pos-ga4/config';

import { exitQuietlyOnEpipe } from './closed-stdout.js';

type SetExitCode = (code: number) => void;
type CommandLoader = (setExitCode: SetExitCode) => Promise<CommandUnknownOpts>;

/**
 * Every command, loaded on demand: a long-running `terminal` or `worker` process imports only its
 * own command's modules (the full set costs ~45 MB of RSS more). Listed in help order.
 */
const COMMANDS: Readonly<Record<string, CommandLoader>> = {
  demo: async (set) => (await import('./commands/demo.js')).demoCommand(set),
  replay: async (set) => (await import('./commands/replay.js')).replayCommand(set),
  parse: async (set) => (await import('./commands/parse.js')).parseCommand(set),
  terminal: async (set) => (await import('./commands/terminal.js')).terminalCommand(set),
  worker: async () => (await import('./commands/worker.js')).workerCommand(),
  collector: async () => (await import('./commands/collector.js')).collectorCommand(),
  ga4: async (set) => (await import('./commands/ga4.js')).ga4Command(set),
  config: async (set) => (await import('./commands/config.js')).configCommand(set),
  redrive: async (set) => (await import('./commands/redrive.js')).redriveCommand(set),
  reconcile: async (set) => (await import('./commands/reconcile.js')).reconcileCommand(set),
  identities: async (set) => (await import('./commands/identities.js')).identitiesCommand(set),
  rejects: async () => (await import('./commands/rejects.js')).rejectsCommand(),
  schemas: async (set) => (await import('./commands/schemas.js')).schemasCommand(set),
  hid: async (set) => (await import('./commands/hid.js')).hidCommand(set),
  status: async (set) => (await import('./commands/status.js')).statusCommand(set),
  doctor: async (set) => (await import('./commands/doctor.js')).doctorCommand(set),
  devices: async (set) => (await import('./commands/devices.js')).devicesCommand(set),
  dashboard: async (set) => (await import('./commands/dashboard.js')).dashboardCommand(set),
};

/** The command named on the command line, or every command (help, version, unknown names). */
async function loadCommands(
  argv: readonly string[],
  set: SetExitCode,
): Promise<CommandUnknownOpts[]> {
  const name = argv.slice(2).find((arg) => !arg.startsWith('-')); // argv: node, script, …
  const only = name === undefined ? undefined : COMMANDS[name];
  const loaders = only ? [only] : Object.values(COMMANDS);
  return Promise.all(loaders.map((load) => load(set)));
}

export async function main(argv: readonly string[]): Promise<number> {
  exitQuietlyOnEpipe(process.stdout);
  let exitCode = 0;
  const setExitCode = (code: number): void => {
    exitCode = Math.max(exitCode, code);
  };
  const program = new Command('pos-ga4')
    .description('In-store POS sales into Google Analytics 4 through the Measurement Protocol')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  for (const command of await loadCommands(argv, setExitCode)) program.addCommand(command);
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    process.stderr.write(
      `pos-ga4: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}
