/** Registry defaults, the monotonic counter and the bounded cached read. */
import { describe, expect, it } from 'vitest';

import { MetricsConfigSchema } from './metrics-config.js';
import {
  cachedRead,
  createMetricsRegistry,
  METRIC_PREFIX,
  monotonicCounter,
} from './metrics-registry.js';

describe('createMetricsRegistry', () => {
  it('adds default labels and can leave out the process metrics', async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false, labels: { store_id: 's1' } });
    let total = 0;
    registry.registerMetric(
      monotonicCounter({ name: `${METRIC_PREFIX}x_total`, help: 'x', registers: [] }, () => total),
    );
    total = 4;
    const text = await registry.metrics();
    expect(text).toContain('pos_ga4_x_total{store_id="s1"} 4');
    expect(text).not.toContain('process_cpu');
  });
});

describe('monotonicCounter', () => {
  it('follows a cumulative count and never goes down', async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    let total: number | undefined;
    registry.registerMetric(
      monotonicCounter({ name: 'c_total', help: 'c', registers: [] }, () => total),
    );
    const value = async (): Promise<number | undefined> =>
      (await registry.getSingleMetric('c_total')?.get())?.values[0]?.value;
    expect(await value()).toBe(0);
    total = 5;
    expect(await value()).toBe(5);
    total = 7;
    expect(await value()).toBe(7);
    total = 2; // a new baseline (e.g. a restarted source), not a decrease
    expect(await value()).toBe(7);
    total = 3;
    expect(await value()).toBe(8);
  });
});

describe('cachedRead', () => {
  it('reuses a fresh value and shares one load between concurrent reads', async () => {
    let clock = 0;
    let loads = 0;
    const reader = cachedRead(
      () => {
        loads++;
        return Promise.resolve(loads);
      },
      { ttlMs: 100, now: () => clock },
    );
    const [a, b] = await Promise.all([reader.read(), reader.read()]);
    expect([a, b]).toEqual([
      { value: 1, stale: false },
      { value: 1, stale: false },
    ]);
    clock = 50;
    expect(await reader.read()).toEqual({ value: 1, stale: false });
    clock = 150;
    expect(await reader.read()).toEqual({ value: 2, stale: false });
  });

  it('answers the last good value, marked stale, when a load fails or hangs', async () => {
    let mode: 'ok' | 'fail' | 'hang' = 'ok';
    const reader = cachedRead(
      () =>
        mode === 'ok'
          ? Promise.resolve('good')
          : mode === 'fail'
            ? Promise.reject(new Error('down'))
            : new Promise<string>(() => undefined),
      { ttlMs: 0, timeoutMs: 20 },
    );
    expect(await reader.read()).toEqual({ value: 'good', stale: false });
    mode = 'fail';
    expect(await reader.read()).toEqual({ value: 'good', stale: true });
    mode = 'hang';
    expect(await reader.read()).toEqual({ value: 'good', stale: true });
  });
});

describe('MetricsConfigSchema', () => {
  it('is off by default and listens on loopback', () => {
    expect(MetricsConfigSchema.parse(undefined)).toEqual({ port: null, host: '127.0.0.1' });
    expect(MetricsConfigSchema.parse({ port: 9464 })).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(MetricsConfigSchema.safeParse({ port: 70_000 }).success).toBe(false);
  });
});
