/**
 * Scenario 5, `three-workers`: three worker processes started at once share the partitions
 * (leases, rebalancing) while receipts stream in; the collector adds 10 ms to every answer so
 * requests of different workers overlap. Full: 10,000 receipts; `--short`: 600. `kills` = 0.
 */
import type { Scenario } from '../scenario.js';
import { runStream } from '../stream-run.js';

export const threeWorkers: Scenario = {
  name: 'three-workers',
  summary: 'three workers at once',
  run(context) {
    return runStream(
      context,
      {
        receipts: context.short ? 600 : 10_000,
        terminals: context.short ? 4 : 8,
        workers: 3,
        ratePerSecond: 150,
        redis: 'shared',
        faults: { latencyMs: 10 },
      },
      () => ({ kills: () => 0, crashes: () => [] }),
    );
  },
};
