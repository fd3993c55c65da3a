/**
 * Command line of `npm run test:faults`. Pure.
 *
 * Input: the arguments after the script (`process.argv.slice(2)`) and the known scenario names.
 * Output: `{ json, short, strict, scenarios, help, seed, quietMs }`; `scenarios` keeps the known order and is every
 * scenario when `--scenario` is not given. `--scenario` may repeat and takes comma lists
 * (`--scenario a,b --scenario=c`). `seed` (workloads, kill moments, fuzz) is undefined unless
 * `--seed N` is given (the runner then draws one and prints it). `quietMs`: the quiet period
 * before the collector's final read (`--quiet-seconds S`, a number ≥ 0; default
 * `DEFAULT_QUIET_MS`).
 * Errors: `ArgsError` for an unknown option, a missing or bad value or an unknown scenario name
 * (the message lists the known ones).
 */

export interface FaultArgs {
  readonly json: boolean;
  readonly short: boolean;
  readonly strict: boolean;
  readonly help: boolean;
  readonly scenarios: readonly string[];
  readonly seed: number | undefined;
  readonly quietMs: number;
}

/** After the last first delivery, how long the harness still listens for late copies. */
export const DEFAULT_QUIET_MS = 5_000;

export class ArgsError extends Error {
  override readonly name = 'ArgsError';
}

export const USAGE = `Usage: npm run test:faults -- [--short] [--json] [--strict] [--seed N] [--quiet-seconds S] [--scenario NAME[,NAME…]]…

Runs the fault scenarios against real processes (terminal adapters, workers, Redis, the local
collector) and accounts for every receipt. Prints one line per scenario:
  <scenario> sent=N delivered=N lost=N duplicated=N reordered=N kills=N
Exit code 1 when any lost, reordered, unexpected id, client mismatch or event without a
transaction_id is above 0, or a duplicate is not a resend of a request in flight at a crash of
its sender (details: docs/reliability.md).

Options:
  --short            small counts, as run in CI (about 3 minutes)
  --json             print one JSON array of result objects on stdout (progress stays on stderr)
  --scenario NAMES   run only these scenarios (repeatable, comma-separated)
  --strict           duplicated above kills fails even when each duplicate is a resend of a
                     request in flight at a kill (the issue's rule, literally)
  --seed N           seed of the workloads, kill moments and fuzz (default: random, printed)
  --quiet-seconds S  after the last first delivery, listen S seconds more for late duplicates
                     before the final read (default ${DEFAULT_QUIET_MS / 1000})
  -h, --help         this text`;

export function parseArgs(argv: readonly string[], known: readonly string[]): FaultArgs {
  let json = false;
  let short = false;
  let strict = false;
  let help = false;
  let seed: number | undefined;
  let quietMs = DEFAULT_QUIET_MS;
  const wanted = new Set<string>();
  const take = (value: string | undefined): void => {
    if (value === undefined || value === '' || value.startsWith('--'))
      throw new ArgsError('--scenario needs a name');
    for (const name of value.split(',').map((s) => s.trim())) {
      if (name === '') continue;
      if (!known.includes(name))
        throw new ArgsError(`unknown scenario "${name}" (known: ${known.join(', ')})`);
      wanted.add(name);
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--json') json = true;
    else if (arg === '--short') short = true;
    else if (arg === '--strict') strict = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--scenario') take(argv[++i]);
    else if (arg.startsWith('--scenario=')) take(arg.slice('--scenario='.length));
    else if (arg === '--seed') {
      const value = Number(argv[++i]);
      if (!Number.isSafeInteger(value) || value < 1)
        throw new ArgsError('--seed needs a positive integer');
      seed = value;
    } else if (arg === '--quiet-seconds') {
      const text = argv[++i] ?? '';
      const value = Number(text);
      if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 600)
        throw new ArgsError('--quiet-seconds needs a number of seconds from 0 to 600');
      quietMs = Math.round(value * 1000);
    } else throw new ArgsError(`unknown option "${arg}"\n\n${USAGE}`);
  }
  return {
    json,
    short,
    strict,
    help,
    seed,
    quietMs,
    scenarios: wanted.size === 0 ? [...known] : known.filter((name) => wanted.has(name)),
  };
}
