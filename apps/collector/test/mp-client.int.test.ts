import { createMpClient } from '@pos-ga4/ga4-mp';
import type { MpClient, MpRequest } from '@pos-ga4/ga4-mp';
import { afterEach, describe, expect, it } from 'vitest';

import { buildCollector } from '../src/index.js';
import type { Collector } from '../src/index.js';

const SECRET = 'client-test-secret-123';
const body: MpRequest = {
  client_id: '1.2',
  events: [
    {
      name: 'purchase',
      params: { transaction_id: 'T', value: 1, currency: 'EUR', items: [{ item_id: 'A' }] },
    },
  ],
};
let collector: Collector | undefined;
let client: MpClient | undefined;

async function setup(timeoutMs = 2000): Promise<{ collector: Collector; client: MpClient }> {
  collector = buildCollector();
  const baseUrl = await collector.app.listen({ port: 0, host: '127.0.0.1' });
  client = createMpClient({
    destination: { baseUrl, stream: { measurementId: 'G-CLIENT' }, apiSecret: SECRET },
    timeoutMs,
  });
  return { collector, client };
}

afterEach(async () => {
  await client?.close();
  await collector?.app.close();
});

describe('MP client against a real HTTP server', () => {
  it('sends to /mp/collect with measurement_id and api_secret, and reports sent', async () => {
    const { collector, client } = await setup();
    expect(await client.send(body)).toEqual({ kind: 'sent', status: 204 });
    const [recorded] = collector.store.requests();
    expect(recorded).toMatchObject({
      endpoint: 'collect',
      measurementId: 'G-CLIENT',
      apiSecretPresent: true,
      body,
    });
  });

  it('validates through /debug/mp/collect', async () => {
    const { client } = await setup();
    expect(await client.validate(body)).toEqual({ kind: 'validated', validationMessages: [] });
    const outcome = await client.validate({ events: [] });
    expect(
      outcome.kind === 'validated' && outcome.validationMessages.map((m) => m.validationCode),
    ).toEqual(['VALUE_REQUIRED', 'VALUE_REQUIRED']);
  });

  it('types every failure, never leaking the secret', async () => {
    const { collector, client } = await setup(300);
    const outcomes = [];
    for (const faults of [
      { errorRate: 1 },
      { rateLimitRate: 1, retryAfterSeconds: 3 },
      { badRequestRate: 1 },
      { resetRate: 1 },
      { timeoutRate: 1, timeoutHoldMs: 2000 },
    ]) {
      collector.setFaults(faults);
      outcomes.push(await client.send(body));
    }
    expect(outcomes).toMatchObject([
      { kind: 'retryable', reason: 'HTTP_5XX', status: 503 },
      { kind: 'retryable', reason: 'HTTP_429', retryAfterMs: 3000 },
      { kind: 'rejected', reason: 'HTTP_4XX', status: 400 },
      { kind: 'retryable', reason: 'NETWORK' },
      { kind: 'retryable', reason: 'TIMEOUT' },
    ]);
    expect(JSON.stringify(outcomes)).not.toContain(SECRET);
    expect(client.describe()).not.toContain(SECRET);
  });

  it('reports a refused connection as retryable', async () => {
    const { collector, client } = await setup();
    await collector.app.close();
    expect(await client.send(body)).toMatchObject({ kind: 'retryable', reason: 'NETWORK' });
  });
});
