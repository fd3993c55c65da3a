/**
 * Scenario 3, `redis-cut`: the terminals' connection to Redis cut for 60 s (5 s with `--short`)
 * while receipts keep coming.
 *
 * The terminals reach the shared Redis through a TCP proxy (tcp-proxy.ts); the workers keep their
 * direct connection, so they go on delivering what was handed over before the cut. At the cut
 * every open connection is destroyed and new ones are refused; the terminals spool; after the cut
 * the proxy listens again and the spools drain. Full: 6,000 receipts at 50/s, cut after 1,000;
 * `--short`: 600 at 80/s, cut after 120. `kills` = 0: nothing dies, so no duplicate is allowed.
 */
import type { Scenario } from '../scenario.js';
import { runStream } from '../stream-run.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const redisCut: Scenario = {
  name: 'redis-cut',
  summary: 'terminal ↔ Redis cut (TCP proxy) while receipts keep coming',
  run(context) {
    const receipts = context.short ? 600 : 6_000;
    const cutMs = context.short ? 5_000 : 60_000;
    let restored: Promise<void> = Promise.resolve();
    let deliveredDuringCut = 0;
    return runStream(
      context,
      {
        receipts,
        terminals: context.short ? 4 : 8,
        workers: 2,
        ratePerSecond: context.short ? 80 : 50,
        redis: 'proxy',
      },
      (system) => ({
        atSent: [
          {
            sent: context.short ? 120 : 1_000,
            action: async () => {
              const proxy = system.proxy;
              if (proxy === undefined) throw new Error('redis-cut needs the proxy');
              await proxy.cut();
              const cutAt = Date.now();
              const deliveredAtCut = system.delivered();
              context.log(
                `cut terminals ↔ Redis for ${cutMs / 1000} s at ${deliveredAtCut} delivered`,
              );
              restored = (async () => {
                await sleep(cutMs);
                deliveredDuringCut = system.delivered() - deliveredAtCut;
                await proxy.restore();
                context.log(
                  `restored after ${Date.now() - cutAt} ms (${deliveredDuringCut} delivered during the cut)`,
                );
              })();
            },
          },
        ],
        afterFeed: () => restored,
        kills: () => 0,
        crashes: () => [],
        extra: () => ({ cutSeconds: cutMs / 1000, deliveredDuringCut }),
      }),
    );
  },
};
