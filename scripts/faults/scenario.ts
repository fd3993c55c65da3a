/**
 * What a fault scenario is and how one is run.
 *
 * A `Scenario` has a name (printed in its result line), a one-line summary and
 * `run(context) → ScenarioResult`. `runScenario` gives it a `ScenarioContext`: its own temp dir,
 * the shared Redis URL, the run's collector, a seed, the quiet period before the collector's
 * final read (`quietMs`, see `quietPeriod`), `log` (stderr, never secrets) and `defer`,
 * a cleanup stack. Whatever happens — the scenario returns, throws, or the runner is interrupted
 * (`runCleanups` from the signal handler) — the deferred steps run in reverse order (each one's
 * failure is logged, the others still run) and the temp dir is removed last.
 * A scenario that throws becomes a result with `error` set and zero counts: the run fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { CollectorHandle } from './collector-process.js';
import type { ScenarioResult } from './report.js';

export interface ScenarioContext {
  readonly name: string;
  readonly short: boolean;
  readonly dir: string;
  /** The shared Redis (REDIS_URL, default 127.0.0.1:6379); scenarios use their own key prefix. */
  readonly redisUrl: string;
  readonly collector: CollectorHandle;
  readonly seed: number;
  /** How long to listen for late copies after the last first delivery (`--quiet-seconds`). */
  readonly quietMs: number;
  /** The measurement id this scenario's workers send under (collector traffic is split by it). */
  readonly measurementId: string;
  readonly log: (message: string) => void;
  readonly defer: (step: () => Promise<unknown> | undefined) => void;
}

export interface Scenario {
  readonly name: string;
  readonly summary: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}

type Step = () => Promise<unknown> | undefined;
const pending: Step[][] = [];

async function unwind(steps: Step[], log: (message: string) => void): Promise<void> {
  for (const step of steps.splice(0).reverse()) {
    try {
      await step();
    } catch (error) {
      log(`cleanup step failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** For the runner's signal handler: runs every pending cleanup stack now. */
export async function runCleanups(log: (message: string) => void): Promise<void> {
  for (const steps of pending.splice(0).reverse()) await unwind(steps, log);
}

export function measurementIdOf(name: string): string {
  return `G-FAULTS${name.replace(/[^a-z0-9]/gi, '').toUpperCase()}`;
}

export async function runScenario(
  scenario: Scenario,
  base: {
    short: boolean;
    redisUrl: string;
    collector: CollectorHandle;
    seed: number;
    quietMs: number;
    log: (message: string) => void;
  },
): Promise<ScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), `pos-ga4-faults-${scenario.name}-`));
  const steps: Step[] = [
    () => {
      rmSync(dir, { recursive: true, force: true });
      return undefined;
    },
  ];
  pending.push(steps);
  const log = (message: string): void => {
    base.log(`[${scenario.name}] ${message}`);
  };
  const context: ScenarioContext = {
    name: scenario.name,
    short: base.short,
    dir,
    redisUrl: base.redisUrl,
    collector: base.collector,
    seed: base.seed,
    quietMs: base.quietMs,
    measurementId: measurementIdOf(scenario.name),
    log,
    defer: (step) => {
      steps.push(step);
    },
  };
  try {
    return await scenario.run(context);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`failed: ${message}`);
    return {
      scenario: scenario.name,
      sent: 0,
      delivered: 0,
      lost: 0,
      duplicated: 0,
      reordered: 0,
      kills: 0,
      extra: {},
      error: message.split('\n')[0] ?? message,
    };
  } finally {
    const cleaning = Date.now();
    await unwind(steps, log);
    log(`cleaned up in ${((Date.now() - cleaning) / 1000).toFixed(1)} s`);
    const at = pending.indexOf(steps);
    if (at >= 0) pending.splice(at, 1);
  }
}
