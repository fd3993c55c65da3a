/**
 * `npm run test:faults [-- --short] [--json] [--strict] [--scenario NAME]… [--seed N] [--quiet-seconds S]`: the fault suite
 * (docs/reliability.md). Runs the scenarios one after another against real processes — terminal
 * adapters, workers, Redis, the local collector (one collector process for the run; each
 * scenario's workers send under their own measurement id) — and accounts for every receipt.
 *
 * Output: per scenario `<scenario> sent=N delivered=N lost=N duplicated=N reordered=N kills=N` on
 * stdout (details and progress on stderr), or with `--json` one JSON array of result objects on
 * stdout. Exit code 0 when every scenario passes, 1 when any breaks the rule (report.ts `judge`:
 * lost, reordered, unexplained duplicates, unexpected ids, client mismatches, events without a
 * transaction_id above 0; duplicated above kills with `--strict`; or a documented extra check) —
 * each breach is printed naming
 * the scenario and its numbers — 2 for bad arguments or a missing prerequisite (Redis at REDIS_URL,
 * redis-server, socat).
 * `FAULTS_KEEP=1` keeps the collector's persisted requests (the run dir) for a post-mortem;
 * `FAULTS_DEBUG=1` echoes the children's output.
 * Lifecycle: SIGINT/SIGTERM kill every child with SIGKILL and run the pending cleanups (key
 * prefixes, private redis-servers, ptys, temp dirs) before exiting with 130.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

import { pingRedis } from '@pos-ga4/redis';

import { ArgsError, parseArgs, USAGE } from './args.js';
import { startCollector } from './collector-process.js';
import type { CollectorHandle } from './collector-process.js';
import { killAllChildren } from './processes.js';
import { formatDetails, formatLine, judge, toJson } from './report.js';
import type { ScenarioResult } from './report.js';
import { runCleanups, runScenario } from './scenario.js';
import { SCENARIOS } from './scenarios/index.js';

const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

function missingPrerequisites(): string[] {
  return ['redis-server', 'socat'].filter(
    (binary) => spawnSync('sh', ['-c', `command -v ${binary}`]).status !== 0,
  );
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(
      process.argv.slice(2),
      SCENARIOS.map((s) => s.name),
    );
  } catch (error) {
    if (error instanceof ArgsError) {
      log(error.message);
      return 2;
    }
    throw error;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n\nScenarios:\n`);
    for (const s of SCENARIOS) process.stdout.write(`  ${s.name.padEnd(18)} ${s.summary}\n`);
    return 0;
  }
  const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const missing = missingPrerequisites();
  if (missing.length > 0) {
    log(`missing: ${missing.join(', ')} (apt-get install redis-server socat)`);
    return 2;
  }
  const ping = await pingRedis(redisUrl, 2_000);
  if (!ping.ok) {
    log(`no Redis at ${redisUrl}: start one (redis-server) or set REDIS_URL`);
    return 2;
  }
  const seed = args.seed ?? 1 + Math.floor(Math.random() * 1_000_000);
  const started = Date.now();
  log(
    `fault suite: ${args.short ? 'short' : 'full'} run, seed ${seed}, quiet period ${args.quietMs / 1000} s, ${availableParallelism()} cores, Node ${process.version}`,
  );
  const runDir = mkdtempSync(join(tmpdir(), 'pos-ga4-faults-'));
  let collector: CollectorHandle | undefined;
  // Ctrl-C reaches this process several times (from the terminal, relayed by tsx and npm): the
  // first signal starts the cleanup, later ones are ignored; the cleanup gets 30 s at most.
  const run = { interrupted: false };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (run.interrupted) return;
    run.interrupted = true;
    log(`${signal}: stopping every child process and cleaning up`);
    killAllChildren();
    setTimeout(() => process.exit(130), 30_000).unref();
    void runCleanups(log).finally(() => {
      killAllChildren();
      rmSync(runDir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const results: ScenarioResult[] = [];
  try {
    collector = await startCollector(runDir);
    for (const scenario of SCENARIOS.filter((s) => args.scenarios.includes(s.name))) {
      if (run.interrupted) break;
      if (!collector.running()) throw new Error('the collector process died');
      log(`\n== ${scenario.name}: ${scenario.summary}`);
      const result = await runScenario(scenario, {
        short: args.short,
        redisUrl,
        collector,
        seed,
        quietMs: args.quietMs,
        log,
      });
      results.push(result);
      if (!args.json) process.stdout.write(`${formatLine(result)}\n`);
      log(formatDetails(result));
    }
  } finally {
    await collector?.stop();
    if (process.env['FAULTS_KEEP'] === '1') log(`kept the collector's requests in ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true });
  }
  if (run.interrupted) {
    log('interrupted: no verdict');
    return 130;
  }
  if (args.json) process.stdout.write(`${JSON.stringify(results.map(toJson), null, 2)}\n`);
  const { failures, notes } = judge(results, { strict: args.strict });
  for (const note of notes) log(`NOTE: ${note}`);
  const wall = Math.round((Date.now() - started) / 1000);
  log(`\nwall time ${Math.floor(wall / 60)} min ${wall % 60} s (seed ${seed})`);
  if (failures.length === 0) {
    log(`PASS: ${results.length} scenarios`);
    return 0;
  }
  log(`FAIL:\n${failures.map((f) => `  ${f}`).join('\n')}`);
  return 1;
}

process.exitCode = await main();
