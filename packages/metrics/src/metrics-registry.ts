/**
 * A prom-client Registry per process role, with Node's default process metrics (CPU, memory,
 * event loop lag, GC, handles; standard unprefixed names) and optional default labels. Every
 * pos-ga4 metric is named `METRIC_PREFIX` + name. Helpers for gauges read on scrape:
 * `monotonicCounter` turns a cumulative count owned elsewhere into a counter, and
 * `cachedRead` bounds an async read (e.g. Redis) in time and shares it between close scrapes.
 * Pure apart from the registry; nothing here holds timers or sockets.
 */
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import type { CounterConfiguration } from 'prom-client';

export const METRIC_PREFIX = 'pos_ga4_';

export interface MetricsRegistryOptions {
  /** Node process metrics (default true). */
  readonly defaultMetrics?: boolean;
  /** Labels added to every series, e.g. `{ store_id, terminal_id }`. */
  readonly labels?: Readonly<Record<string, string>>;
}

export function createMetricsRegistry(options: MetricsRegistryOptions = {}): Registry {
  const registry = new Registry();
  if (options.labels !== undefined) registry.setDefaultLabels({ ...options.labels });
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * A counter whose value is a cumulative count kept elsewhere (read on scrape): it goes up by the
 * difference since the last read, and never down (a smaller count is taken as a new baseline).
 */
export function monotonicCounter(
  config: Omit<CounterConfiguration<string>, 'collect' | 'labelNames'>,
  read: () => number | undefined,
): Counter {
  let last = 0;
  return new Counter({
    ...config,
    collect() {
      const value = read();
      if (value === undefined) return;
      if (value > last) this.inc(value - last);
      last = value;
    },
  });
}

export interface CachedReadOptions {
  /** Results younger than this are reused (default 5 s). */
  readonly ttlMs?: number;
  /**
   * A read that takes longer counts as failed (default 2 s); it is not started again meanwhile,
   * unless it is still pending after ten times this long (then it is abandoned).
   */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

export interface CachedRead<T> {
  /** The fresh value, or the last good one (`stale: true`) when the read failed or timed out. */
  read(): Promise<{ readonly value: T | undefined; readonly stale: boolean }>;
}

export function cachedRead<T>(
  load: () => Promise<T>,
  options: CachedReadOptions = {},
): CachedRead<T> {
  const ttlMs = options.ttlMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const now = options.now ?? Date.now;
  let cached: { value: T; at: number } | undefined;
  let inflight: { promise: Promise<T>; since: number } | undefined;
  return {
    async read() {
      if (cached !== undefined && now() - cached.at < ttlMs)
        return { value: cached.value, stale: false };
      if (inflight === undefined || now() - inflight.since > 10 * timeoutMs) {
        const started: { promise: Promise<T>; since: number } = {
          promise: load().finally(() => {
            if (inflight === started) inflight = undefined;
          }),
          since: now(),
        };
        inflight = started;
      }
      const pending = inflight.promise;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`read took longer than ${timeoutMs} ms`));
        }, timeoutMs);
      });
      try {
        const value = await Promise.race([pending, timeout]);
        cached = { value, at: now() };
        return { value, stale: false };
      } catch {
        return { value: cached?.value, stale: true };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
