/**
 * Drains a spool into the queue: strictly in spool order, in batches (default 500), one batch in
 * flight at a time, so nothing overtakes an older entry.
 * Inputs: the spool, `handOver(entries)` (resolves once the queue has them), a per-attempt
 * `timeoutMs` (BullMQ's `addBulk` can wait forever for a connection, taskforcesh/bullmq#995),
 * retry policy, `abandonAfterMs`.
 * Behaviour: after a success the batch is marked handed over and the next one goes at once;
 * after a failure or a timeout the drainer backs off (250 ms doubling to 30 s) and tries again.
 * A hand-over that timed out is not sent a second time while it is still pending: the next
 * attempt waits for it again (so an outage never piles up requests). Once it has been pending
 * for `abandonAfterMs` it is abandoned: `onStuck` is called (the owner may replace its queue
 * client) and the batch is sent anew; a late success of the old one is harmless, because job
 * ids are deterministic.
 * Outputs: `stats()`, `untilEmpty()`. Errors go to `onError` and `stats().lastError`, never thrown.
 * Lifecycle: starts at once; `wake()` after appends; `retryNow()` cuts a backoff short (e.g. on
 * the Redis connection's `ready`); `close()` stops the loop (entries stay spooled) and rejects
 * waiters with SPOOL_CLOSED. It does not close the spool.
 */
import { backoffDelay, DEFAULT_RETRY_POLICY } from './backoff.js';
import type { RetryPolicy } from './backoff.js';
import { isSpoolError, SpoolError } from './spool-error.js';
import type { Spool, SpoolEntry } from './spool.js';

export interface DrainerOptions {
  readonly spool: Spool;
  readonly handOver: (entries: readonly SpoolEntry[]) => Promise<void>;
  /**
   * How many of the peeked entries (a prefix) may go now; the rest wait (e.g. receipts held for
   * scans shortly after the cut). Default: all. When none may go, the drainer looks again after
   * `readyPollMs` (default 100 ms).
   */
  readonly readyCount?: (entries: readonly SpoolEntry[]) => number;
  readonly readyPollMs?: number;
  readonly batchSize?: number;
  readonly timeoutMs?: number;
  readonly abandonAfterMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly onError?: (error: unknown) => void;
  readonly onStuck?: () => void;
  readonly now?: () => number;
}

export interface DrainStats {
  /** Entries handed over by this drainer. */
  readonly handedOver: number;
  readonly batches: number;
  readonly consecutiveFailures: number;
  readonly lastError:
    | { readonly code: string | undefined; readonly message: string; readonly at: string }
    | undefined;
  readonly lastHandOverAt: string | undefined;
  readonly inFlight: boolean;
}

export interface SpoolDrainer {
  wake(): void;
  retryNow(): void;
  stats(): DrainStats;
  /** Resolves when the spool is empty; rejects with HANDOVER_TIMEOUT after `timeoutMs`, or SPOOL_CLOSED. */
  untilEmpty(options?: { timeoutMs?: number }): Promise<void>;
  close(): Promise<void>;
}

type Outcome = { ok: true } | { ok: false; error: unknown };

interface InFlight {
  readonly settled: Promise<Outcome>;
  readonly lastSeq: number;
  readonly count: number;
  readonly startedAt: number;
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function startSpoolDrainer(options: DrainerOptions): SpoolDrainer {
  const { spool } = options;
  const batchSize = options.batchSize ?? 500;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const abandonAfterMs = options.abandonAfterMs ?? 120_000;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const now = options.now ?? Date.now;

  let closed = false;
  let inflight: InFlight | undefined;
  let handedOver = 0;
  let batches = 0;
  let consecutiveFailures = 0;
  let lastError: DrainStats['lastError'];
  let lastHandOverAt: string | undefined;
  const idleWakers = new Set<() => void>();
  const backoffWakers = new Set<() => void>();
  const closeWakers = new Set<() => void>();
  const waiters = new Set<Waiter>();

  const pause = (wakers: Set<() => void>, until?: { ms?: number; settled?: Promise<unknown> }) =>
    new Promise<void>((resolve) => {
      if (closed) {
        resolve();
        return;
      }
      const done = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = until?.ms === undefined ? undefined : setTimeout(done, until.ms);
      wakers.add(done);
      until?.settled?.then(done, done);
    });
  const wakeAll = (wakers: Set<() => void>): void => {
    for (const wake of [...wakers]) wake();
  };

  const settleWaiters = (): void => {
    if (spool.level().depth > 0) return;
    for (const waiter of [...waiters]) waiter.resolve();
  };

  const fail = async (error: unknown): Promise<void> => {
    consecutiveFailures++;
    lastError = {
      code: codeOf(error),
      message: error instanceof Error ? error.message : String(error),
      at: new Date(now()).toISOString(),
    };
    try {
      options.onError?.(error);
    } catch {
      // a reporting callback must not stop the drain
    }
    await pause(backoffWakers, {
      ms: backoffDelay(consecutiveFailures, policy),
      ...(inflight === undefined ? {} : { settled: inflight.settled }),
    });
  };

  const attempt = async (): Promise<void> => {
    if (inflight === undefined) {
      const peeked = await spool.peek(batchSize);
      const ready = options.readyCount === undefined ? peeked.length : options.readyCount(peeked);
      const entries = peeked.slice(0, ready);
      const last = entries.at(-1);
      if (last === undefined) {
        if (peeked.length > 0) await pause(idleWakers, { ms: options.readyPollMs ?? 100 });
        return;
      }
      const settled = options.handOver(entries).then(
        (): Outcome => ({ ok: true }),
        (error: unknown): Outcome => ({ ok: false, error }),
      );
      inflight = { settled, lastSeq: last.seq, count: entries.length, startedAt: now() };
    }
    const current = inflight;
    const outcome = await new Promise<Outcome | 'timeout' | 'closed'>((resolve) => {
      const done = (value: Outcome | 'timeout' | 'closed'): void => {
        clearTimeout(timer);
        closeWakers.delete(onClose);
        resolve(value);
      };
      const onClose = (): void => {
        done('closed');
      };
      const timer = setTimeout(() => {
        done('timeout');
      }, timeoutMs);
      closeWakers.add(onClose);
      void current.settled.then(done);
    });
    if (outcome === 'closed') return;
    if (outcome === 'timeout') {
      if (now() - current.startedAt >= abandonAfterMs) {
        inflight = undefined;
        options.onStuck?.();
      }
      await fail(
        new SpoolError(
          'HANDOVER_TIMEOUT',
          `the queue did not take ${current.count} entries within ${timeoutMs} ms`,
        ),
      );
      return;
    }
    inflight = undefined;
    if (!outcome.ok) {
      await fail(outcome.error);
      return;
    }
    await spool.markHandedOver(current.lastSeq);
    handedOver += current.count;
    batches++;
    consecutiveFailures = 0;
    lastHandOverAt = new Date(now()).toISOString();
    settleWaiters();
  };

  const loop = async (): Promise<void> => {
    while (!closed) {
      if (inflight === undefined && spool.level().depth === 0) {
        settleWaiters();
        await pause(idleWakers);
        continue;
      }
      try {
        await attempt();
      } catch (error) {
        if (isSpoolError(error, 'SPOOL_CLOSED')) break;
        await fail(error);
      }
    }
  };
  const running = loop();

  return {
    wake() {
      wakeAll(idleWakers);
    },
    retryNow() {
      wakeAll(backoffWakers);
      wakeAll(idleWakers);
    },
    stats() {
      return {
        handedOver,
        batches,
        consecutiveFailures,
        lastError,
        lastHandOverAt,
        inFlight: inflight !== undefined,
      };
    },
    untilEmpty(waitOptions = {}) {
      if (closed) return Promise.reject(new SpoolError('SPOOL_CLOSED', 'the drainer is closed'));
      if (spool.level().depth === 0 && inflight === undefined) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const waiter: Waiter = {
          resolve() {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve();
          },
          reject(error) {
            clearTimeout(timer);
            waiters.delete(waiter);
            reject(error);
          },
        };
        if (waitOptions.timeoutMs !== undefined) {
          const ms = waitOptions.timeoutMs;
          timer = setTimeout(() => {
            waiter.reject(
              new SpoolError('HANDOVER_TIMEOUT', `the spool was not emptied within ${ms} ms`),
            );
          }, ms);
        }
        waiters.add(waiter);
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      wakeAll(idleWakers);
      wakeAll(backoffWakers);
      wakeAll(closeWakers);
      await running;
      for (const waiter of [...waiters]) {
        waiter.reject(
          new SpoolError('SPOOL_CLOSED', 'the drainer was closed before the spool emptied'),
        );
      }
    },
  };
}
