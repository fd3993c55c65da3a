/**
 * Scenario 1, `worker-kill`: worker processes killed with SIGKILL at random moments while
 * receipts stream in (full: 20,000 receipts, 10 kills; `--short`: 1,000 and 3).
 *
 * Two supervised workers; the kill moments are random points of the delivery (a seeded draw of
 * delivered counts between 5 % and 90 % of the receipts, plus 0–500 ms), at least 1 s apart; each
 * kill hits a random running worker, which is restarted 2 s later like under systemd. `kills`
 * counts the SIGKILLs sent. Everything else is the shared streaming run (stream-run.ts).
 */
import type { Scenario } from '../scenario.js';
import { runStream } from '../stream-run.js';
import type { StreamSystem } from '../stream-run.js';
import { lcg } from '../workload.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function killLoop(system: StreamSystem, count: number, onKill: (at: number) => void) {
  const random = lcg(system.context.seed + 1);
  const thresholds = Array.from({ length: count }, () =>
    Math.floor(system.expected * (0.05 + random() * 0.85)),
  ).sort((a, b) => a - b);
  const state = { running: true };
  const done = (async () => {
    let lastKill = 0;
    while (state.running && thresholds.length > 0) {
      const next = thresholds[0] ?? Infinity;
      if (system.delivered() >= next && Date.now() - lastKill >= 1000) {
        thresholds.shift();
        await sleep(Math.floor(random() * 500));
        const alive = system.workers.filter((w) => w.current()?.running() === true);
        const victim = alive[Math.floor(random() * alive.length)];
        if (victim?.kill9() === true) {
          lastKill = Date.now();
          onKill(lastKill);
          system.context.log(`SIGKILL ${victim.name} at ${system.delivered()} delivered`);
        }
        continue;
      }
      await sleep(100);
    }
    if (thresholds.length > 0)
      system.context.log(`${thresholds.length} kills not done (deliveries stopped first)`);
  })();
  return {
    stop: async () => {
      state.running = false;
      await done;
    },
  };
}

export const workerKill: Scenario = {
  name: 'worker-kill',
  summary: 'worker SIGKILL at random moments while receipts stream in',
  run(context) {
    const killsWanted = context.short ? 3 : 10;
    const kills: number[] = [];
    return runStream(
      context,
      {
        receipts: context.short ? 1_000 : 20_000,
        terminals: context.short ? 4 : 8,
        workers: 2,
        ratePerSecond: 150,
        redis: 'shared',
      },
      (system) => ({
        alongside: () =>
          killLoop(system, killsWanted, (at) => {
            kills.push(at);
          }),
        kills: () => kills.length,
        crashes: () => kills.map((at) => ({ from: at, to: at })),
      }),
    );
  },
};
