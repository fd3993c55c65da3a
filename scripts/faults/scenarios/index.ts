/**
 * The fault scenarios in run order (the numbering; `redeliver`, 8, came later). Each file says what it does; the
 * counts are defined in docs/reliability.md.
 */
import type { Scenario } from '../scenario.js';

import { collectorFaults } from './collector-faults.js';
import { fuzz } from './fuzz.js';
import { redisCut } from './redis-cut.js';
import { redeliver } from './redeliver.js';
import { redisKill } from './redis-kill.js';
import { threeWorkers } from './three-workers.js';
import { unplug } from './unplug.js';
import { workerKill } from './worker-kill.js';

export const SCENARIOS: readonly Scenario[] = [
  workerKill,
  redisKill,
  redisCut,
  collectorFaults,
  threeWorkers,
  unplug,
  fuzz,
  redeliver,
];
