/** The /metrics server over real HTTP on port 0: content, 404/405, and close(). */
import { request } from 'node:http';

import { Counter } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';

import { createMetricsRegistry, METRIC_PREFIX } from './metrics-registry.js';
import { startMetricsServer } from './metrics-server.js';
import type { MetricsServer } from './metrics-server.js';

const servers: MetricsServer[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function start(): Promise<MetricsServer> {
  const registry = createMetricsRegistry();
  new Counter({
    name: `${METRIC_PREFIX}test_things_total`,
    help: 'things',
    registers: [registry],
  }).inc(3);
  const server = await startMetricsServer({ registry, port: 0, host: '127.0.0.1' });
  servers.push(server);
  return server;
}

function call(
  url: string,
  method = 'GET',
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startMetricsServer', () => {
  it('answers GET /metrics with the registry in Prometheus text format', async () => {
    const server = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const res = await call(server.url);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain/);
    expect(res.body).toContain('# TYPE pos_ga4_test_things_total counter');
    expect(res.body).toContain('pos_ga4_test_things_total 3');
    // default Node process metrics
    expect(res.body).toContain('process_cpu_user_seconds_total');
    expect(res.body).toContain('nodejs_eventloop_lag_seconds');
  });

  it('answers 404 elsewhere and 405 for other methods', async () => {
    const server = await start();
    const base = server.url.replace(/\/metrics$/, '');
    expect((await call(`${base}/`)).status).toBe(404);
    expect((await call(`${base}/metrics/x`)).status).toBe(404);
    expect((await call(server.url, 'POST')).status).toBe(405);
    expect((await call(`${server.url}?x=1`)).status).toBe(200);
  });

  it('stops listening on close()', async () => {
    const server = await start();
    await call(server.url);
    await server.close();
    await server.close();
    await expect(call(server.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('rejects when the port is taken', async () => {
    const first = await start();
    const port = Number(new URL(first.url).port);
    await expect(
      startMetricsServer({ registry: createMetricsRegistry(), port, host: '127.0.0.1' }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
