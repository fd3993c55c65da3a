import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { buildCollector } from '../src/index.js';
import type { Collector } from '../src/index.js';

const valid = {
  client_id: '123.456',
  events: [
    {
      name: 'purchase',
      params: { transaction_id: 'T-1', value: 3, currency: 'EUR', items: [{ item_id: 'A' }] },
    },
  ],
};
let collector: Collector | undefined;

async function start(options: Parameters<typeof buildCollector>[0] = {}): Promise<string> {
  collector = buildCollector(options);
  return collector.app.listen({ port: 0, host: '127.0.0.1' });
}

afterEach(async () => {
  await collector?.app.close();
  collector = undefined;
});

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
}

describe('local GA4 collector over real HTTP', () => {
  it('answers /mp/collect with 204 whatever the payload, and records each request with its validation result', async () => {
    const base = await start();
    const ok = await post(`${base}/mp/collect?measurement_id=G-T&api_secret=sup3r-secret`, valid);
    const bad = await post(
      `${base}/mp/collect?measurement_id=G-T&api_secret=sup3r-secret`,
      '{"events":[{"name":"_x","params":[]}]}',
    );
    expect([ok.status, bad.status]).toEqual([204, 204]);
    expect(await ok.text()).toBe('');
    const requests = (await (await fetch(`${base}/api/requests`)).json()) as {
      validationMessages: unknown[];
      apiSecretPresent: boolean;
      measurementId: string;
    }[];
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({
      validationMessages: [],
      apiSecretPresent: true,
      measurementId: 'G-T',
    });
    expect(requests[1]?.validationMessages.length).toBeGreaterThan(0);
    expect(JSON.stringify(requests)).not.toContain('sup3r-secret');
  });

  it('answers /debug/mp/collect with validationMessages in the debug shape', async () => {
    const base = await start();
    const good = await post(`${base}/debug/mp/collect?measurement_id=G-T&api_secret=x`, valid);
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ validationMessages: [] });
    const bad = await post(`${base}/debug/mp/collect?measurement_id=G-T&api_secret=x`, {
      events: [{ name: '_badEventName', params: {} }],
    });
    expect(await bad.json()).toEqual({
      validationMessages: expect.arrayContaining([
        {
          fieldPath: 'client_id',
          description: expect.any(String) as unknown,
          validationCode: 'VALUE_REQUIRED',
        },
        {
          fieldPath: 'events[0].name',
          description: expect.any(String) as unknown,
          validationCode: 'NAME_RESERVED',
        },
      ]) as unknown,
    });
    // debug requests are not delivered events
    expect(await (await fetch(`${base}/api/events`)).json()).toEqual([]);
  });

  it('filters events and requests by client_id and transaction_id', async () => {
    const base = await start();
    await post(`${base}/mp/collect`, valid);
    await post(`${base}/mp/collect`, {
      ...valid,
      client_id: '999.1',
      events: [
        { ...valid.events[0], params: { ...valid.events[0]?.params, transaction_id: 'T-2' } },
      ],
    });
    const byClient = (await (await fetch(`${base}/api/events?client_id=999.1`)).json()) as {
      params: { transaction_id: string };
    }[];
    expect(byClient.map((e) => e.params.transaction_id)).toEqual(['T-2']);
    const byTx = (await (
      await fetch(`${base}/api/requests?transaction_id=T-1`)
    ).json()) as unknown[];
    expect(byTx).toHaveLength(1);
    const stats = (await (await fetch(`${base}/api/stats`)).json()) as {
      events: number;
      revenueByCurrency: Record<string, number>;
    };
    expect(stats).toMatchObject({ events: 2, revenueByCurrency: { EUR: 6 } });
  });

  it('nets refunds against their purchase per transaction in /api/transactions and /api/stats', async () => {
    const base = await start();
    const event = (name: string, params: object) => ({
      client_id: '123.456',
      events: [{ name, params: { currency: 'EUR', ...params } }],
    });
    await post(`${base}/mp/collect`, event('purchase', { transaction_id: 'T-1', value: 10.77 }));
    await post(`${base}/mp/collect`, event('purchase', { transaction_id: 'T-2', value: 4 }));
    await post(
      `${base}/mp/collect`,
      event('refund', { transaction_id: 'T-1', value: 3.78, pos_refund_id: 'T-9' }),
    );
    await post(`${base}/mp/collect`, event('refund', { transaction_id: 'T-0', value: 1 }));
    const all = (await (await fetch(`${base}/api/transactions`)).json()) as {
      transactionId: string;
      purchase: number | null;
      refunded: number;
      net: number;
      status: string;
    }[];
    expect(all.map((t) => [t.transactionId, t.purchase, t.refunded, t.net, t.status])).toEqual([
      ['T-1', 10.77, 3.78, 6.99, 'partially-refunded'],
      ['T-2', 4, 0, 4, 'purchased'],
      ['T-0', null, 1, -1, 'refund-without-purchase'],
    ]);
    const one = (await (
      await fetch(`${base}/api/transactions?transaction_id=T-1`)
    ).json()) as unknown[];
    expect(one).toEqual([expect.objectContaining({ refundIds: ['T-9'], clientId: '123.456' })]);
    expect(await (await fetch(`${base}/api/transactions?client_id=9.9`)).json()).toEqual([]);
    const stats = (await (await fetch(`${base}/api/stats`)).json()) as Record<string, unknown>;
    expect(stats).toMatchObject({
      revenueByCurrency: { EUR: 9.99 },
      revenueTotals: [{ currency: 'EUR', gross: 14.77, refunded: 4.78, net: 9.99 }],
      transactionCount: 3,
    });
  });

  it('injects 503, 429 with Retry-After, 400, resets and timeouts, set by API', async () => {
    const base = await start();
    const put = async (settings: object): Promise<void> => {
      const response = await fetch(`${base}/api/faults`, {
        method: 'PUT',
        body: JSON.stringify(settings),
      });
      expect(response.status).toBe(200);
    };
    await put({ errorRate: 1 });
    expect((await post(`${base}/mp/collect`, valid)).status).toBe(503);
    await put({ rateLimitRate: 1, retryAfterSeconds: 7 });
    const limited = await post(`${base}/mp/collect`, valid);
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
    await put({ badRequestRate: 1 });
    expect((await post(`${base}/mp/collect`, valid)).status).toBe(400);
    await put({ resetRate: 1 });
    await expect(post(`${base}/mp/collect`, valid)).rejects.toThrow();
    await put({ timeoutRate: 1, timeoutHoldMs: 200 });
    const t0 = Date.now();
    await expect(post(`${base}/mp/collect`, valid)).rejects.toThrow();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    await put({ latencyMs: 100 });
    const t1 = Date.now();
    expect((await post(`${base}/mp/collect`, valid)).status).toBe(204);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(90);
    const faults = (
      (await (await fetch(`${base}/api/requests`)).json()) as { fault: string }[]
    ).map((r) => r.fault);
    expect(faults).toEqual(['error', 'rate-limit', 'bad-request', 'reset', 'timeout', 'none']);
    expect(
      (await fetch(`${base}/api/faults`, { method: 'PUT', body: '{"errorRate":2}' })).status,
    ).toBe(400);
  });

  it('draws faults at the configured rate, reproducibly for a seed', async () => {
    const base = await start({ faults: { errorRate: 0.3, seed: 7 } });
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await post(`${base}/mp/collect`, valid)).status);
    const errors = statuses.filter((s) => s === 503).length;
    expect(errors).toBeGreaterThan(35);
    expect(errors).toBeLessThan(85);
    await collector?.app.close();
    const again = await start({ faults: { errorRate: 0.3, seed: 7 } });
    const replay: number[] = [];
    for (let i = 0; i < 200; i++) replay.push((await post(`${again}/mp/collect`, valid)).status);
    expect(replay).toEqual(statuses);
  });

  it('persists requests to a JSON-lines file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'collector-')), 'requests.jsonl');
    const base = await start({ persistTo: file });
    await post(`${base}/mp/collect?api_secret=never-on-disk`, valid);
    await collector?.app.close();
    collector = undefined;
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      endpoint: 'collect',
      status: 204,
      body: valid,
    });
    expect(lines[0]).not.toContain('never-on-disk');
  });

  it('serves the Realtime page', async () => {
    const base = await start();
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/api/stats');
  });
});
