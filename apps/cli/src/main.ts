/**
 * The `pos-ga4` command line. `main(argv)` builds the commander program, runs the command and
 * returns the exit code (it never calls process.exit itself, so tests can run it in-process).
 * Every command has --help with examples.
 */
import { Command, CommanderError } from '@commander-js/extra-typings';
import { ConfigError } from '@pos-ga4/config';

import { collectorCommand } from './commands/collector.js';
import { configCommand } from './commands/config.js';
import { dashboardCommand } from './commands/dashboard.js';
import { demoCommand } from './commands/demo.js';
import { devicesCommand } from './commands/devices.js';
import { doctorCommand } from './commands/doctor.js';
import { ga4Command } from './commands/ga4.js';
import { hidCommand } from './commands/hid.js';
import { identitiesCommand } from './commands/identities.js';
import { parseCommand } from './commands/parse.js';
import { reconcileCommand } from './commands/reconcile.js';
import { redriveCommand } from './commands/redrive.js';
import { rejectsCommand } from './commands/rejects.js';
import { replayCommand } from './commands/replay.js';
import { schemasCommand } from './commands/schemas.js';
import { statusCommand } from './commands/status.js';
import { terminalCommand } from './commands/terminal.js';
import { workerCommand } from './commands/worker.js';

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const setExitCode = (code: number): void => {
    exitCode = Math.max(exitCode, code);
  };
  const program = new Command('pos-ga4')
    .description('In-store POS sales into Google Analytics 4 through the Measurement Protocol')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride()
    .addCommand(demoCommand(setExitCode))
    .addCommand(replayCommand(setExitCode))
    .addCommand(parseCommand(setExitCode))
    .addCommand(terminalCommand(setExitCode))
    .addCommand(workerCommand())
    .addCommand(collectorCommand())
    .addCommand(ga4Command(setExitCode))
    .addCommand(configCommand(setExitCode))
    .addCommand(redriveCommand(setExitCode))
    .addCommand(reconcileCommand(setExitCode))
    .addCommand(identitiesCommand(setExitCode))
    .addCommand(rejectsCommand())
    .addCommand(schemasCommand(setExitCode))
    .addCommand(hidCommand(setExitCode))
    .addCommand(statusCommand(setExitCode))
    .addCommand(doctorCommand(setExitCode))
    .addCommand(devicesCommand(setExitCode))
    .addCommand(dashboardCommand(setExitCode));
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
