/**
 * Scenario 1, `worker-kill`: worker processes killed with SIGKILL at random moments while
 * receipts stream in (full: 20,000 receipts, 10 kills; `--short`: 1,000 and 3).
 *
 * Two supervised workers; the kill moments are random points of the delivery (a seeded draw of
 * delivered counts between 5 % and 90 % of the receipts, plus 0–500 ms), at least 1 s apart; each
 * kill hits a random running worker, which is restarted 2 s later like under systemd. `kills`
 * counts the SIGKILLs sent. Each kill's crash window explains only resends of what the killed
 * worker itself sent: its worker id is the one that stopped announcing itself at the kill
 * (worker-watch.ts `killedWorkerIds`), and a duplicate's first copy must have been sent while
 * that id held the transaction's partition lease (accounting.ts `attributeDuplicates`).
 * Everything else is the shared streaming run (stream-run.ts).
 */
import type { CrashWindow } from '../accounting.js';
import type { Scenario } from '../scenario.js';
import { runStream } from '../stream-run.js';
import type { StreamSystem } from '../stream-run.js';
import { killedWorkerIds } from '../worker-watch.js';
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
      (system) => {
        let windows: CrashWindow[] | undefined;
        const crashes = (): CrashWindow[] => {
          if (windows !== undefined) return windows;
          const victims = killedWorkerIds(kills, system.watch.announcements());
          windows = kills.map((at, i) => ({ from: at, to: at, senders: { workerId: victims[i] } }));
          for (const window of windows) {
            const id = window.senders === 'all' ? undefined : window.senders.workerId;
            const held = system.watch
              .leaseSamples()
              .filter((sample) => sample.at <= window.from)
              .at(-1)
              ?.owners.flatMap((owner, partition) => (owner === id ? [partition] : []));
            context.log(
              `kill at ${new Date(window.from).toISOString()}: worker ${id ?? 'not identified (had not announced itself)'}${id === undefined ? '' : `, held partitions ${JSON.stringify(held ?? [])}`}`,
            );
          }
          return windows;
        };
        return {
          alongside: () =>
            killLoop(system, killsWanted, (at) => {
              kills.push(at);
            }),
          kills: () => kills.length,
          crashes,
          extra: () => ({
            killsIdentified: crashes().filter(
              (c) => c.senders !== 'all' && c.senders.workerId !== undefined,
            ).length,
          }),
        };
      },
    );
  },
};
