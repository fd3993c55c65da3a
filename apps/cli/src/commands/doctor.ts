/**
 * `pos-ga4 doctor`: checks a terminal's or worker's set-up and prints ✓ / ! / ✗ / - per check,
 * with the fix under each failure or warning (or, with `--json`, one JSON array of
 * `{ name, status, detail, fix? }`). What is checked: Redis reachable and its version, its
 * maxmemory-policy, AOF and appendfsync, the configured ACL user's permissions (ACL DRYRUN, with
 * `--admin-redis-url`), GA4 through the debug endpoint (worker config; not with `--offline`),
 * device access, libusb and the spool (terminal config). See docs/doctor.md.
 * Exit code: 0 when nothing failed (warnings allowed), 1 otherwise.
 * Lifecycle: every connection and client is closed before the action returns.
 */
import { Command, Option } from '@commander-js/extra-typings';

import { doctorExitCode } from '../doctor/check-result.js';
import { formatReport } from '../doctor/report-format.js';
import { runDoctor } from '../doctor/run-doctor.js';

export interface DoctorCommandDeps {
  /** The environment config overrides come from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function doctorCommand(setExitCode: (code: number) => void, deps: DoctorCommandDeps = {}) {
  return new Command('doctor')
    .description(
      'Check Redis (version, noeviction, AOF, ACL), GA4 credentials, device access and the spool; prints the fix for each problem',
    )
    .option('--config <file>', 'terminal or worker config (YAML or JSON)')
    .addOption(
      new Option(
        '--kind <kind>',
        'terminal or worker (default: guessed from the file name)',
      ).choices(['terminal', 'worker'] as const),
    )
    .option(
      '--redis-url <url>',
      'check this Redis instead of the config’s (credentials in the URL)',
    )
    .option(
      '--admin-redis-url <url>',
      'an admin connection for CONFIG GET and ACL DRYRUN (to check the configured user’s permissions)',
    )
    .option('--offline', 'do not contact GA4')
    .option('--json', 'print one JSON array of { name, status, detail, fix? }')
    .addHelpText(
      'after',
      '\nExit code 0 when no check failed (warnings allowed), 1 otherwise.\n\nExamples:\n  npx pos-ga4 doctor --config /etc/pos-ga4/terminal.yaml\n  npx pos-ga4 doctor --config /etc/pos-ga4/worker.yaml --admin-redis-url redis://admin:PASSWORD@redis.example.com:6379\n  npx pos-ga4 doctor --config worker.yaml --offline --json\n  npx pos-ga4 doctor --redis-url redis://127.0.0.1:6379',
    )
    .action(async (options) => {
      const results = await runDoctor({
        configFile: options.config,
        kind: options.kind,
        redisUrl: options.redisUrl,
        adminRedisUrl: options.adminRedisUrl,
        offline: options.offline === true,
        env: deps.env,
      });
      process.stdout.write(
        options.json === true ? `${JSON.stringify(results)}\n` : formatReport(results),
      );
      setExitCode(doctorExitCode(results));
    });
}
