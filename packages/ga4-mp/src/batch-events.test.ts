import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  batchEvents,
  envelopeKey,
  MP_LIMITS,
  optimalRequestCount,
  validateRequest,
} from './index.js';
import type { BatchInput, MpEvent, MpRequest, RequestEnvelope } from './index.js';

function purchase(id: number, time: number, padding = 0): MpEvent {
  return {
    name: 'purchase',
    params: {
      transaction_id: `T-${id}`,
      value: 1,
      currency: 'EUR',
      items: Array.from({ length: 1 + padding }, (_, i) => ({
        item_id: `SKU-${i}`,
        item_name: 'n'.repeat(80),
      })),
    },
    timestamp_micros: 1_795_000_000_000_000 + time,
  };
}

const envelopes: RequestEnvelope[] = [
  { client_id: '1.1' },
  { client_id: '2.2' },
  { client_id: '2.2', user_id: 'u2' },
  { client_id: '3.3', consent: { ad_user_data: 'GRANTED' } },
  // one customer at two stores: `last_store` differs, so the requests must not mix
  { client_id: '4.4', user_properties: { last_store: { value: 'berlin-01' } } },
  { client_id: '4.4', user_properties: { last_store: { value: 'hamburg-02' } } },
];

function envelopeOf(body: MpRequest): string {
  const { events: _events, ...envelope } = body;
  return envelopeKey(envelope);
}

const inputArb = fc.array(
  fc.record({
    envelope: fc.integer({ min: 0, max: envelopes.length - 1 }),
    time: fc.integer({ min: 0, max: 1_000_000 }),
    padding: fc.integer({ min: 0, max: 40 }),
  }),
  { maxLength: 400 },
);

function toInputs(
  raw: { envelope: number; time: number; padding: number }[],
): BatchInput<number>[] {
  return raw.map((r, i) => ({
    envelope: envelopes[r.envelope] ?? {},
    event: purchase(i, r.time, r.padding),
    ref: i,
  }));
}

describe('batchEvents (property-based)', () => {
  it('never more than 25 events, never 130 kB or more, one envelope per request, order kept, nothing lost', () => {
    fc.assert(
      fc.property(inputArb, (raw) => {
        const inputs = toInputs(raw);
        const { requests, oversized } = batchEvents(inputs);
        expect(oversized).toEqual([]);
        const seen: number[] = [];
        for (const request of requests) {
          const text = JSON.stringify(request.body);
          expect(request.body.events.length).toBeLessThanOrEqual(MP_LIMITS.eventsPerRequest);
          expect(Buffer.byteLength(text)).toBe(request.bytes);
          expect(request.bytes).toBeLessThan(MP_LIMITS.bodyBytes);
          expect(validateRequest(request.body)).toEqual([]);
          const keys = new Set(request.refs.map((ref) => envelopeKey(inputs[ref]?.envelope ?? {})));
          expect(keys.size).toBe(1);
          seen.push(...request.refs);
        }
        expect([...seen].sort((a, b) => a - b)).toEqual(inputs.map((i) => i.ref));
        // per envelope, the concatenated requests are in time order (stable for ties)
        for (const envelope of envelopes) {
          const key = envelopeKey(envelope);
          const order = requests.filter((r) => envelopeOf(r.body) === key).flatMap((r) => r.refs);
          const expected = inputs
            .filter((i) => envelopeKey(i.envelope) === key)
            .sort(
              (a, b) =>
                (a.event.timestamp_micros ?? 0) - (b.event.timestamp_micros ?? 0) || a.ref - b.ref,
            )
            .map((i) => i.ref);
          expect(order).toEqual(expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('reaches the optimal request count when events are small', () => {
    fc.assert(
      fc.property(inputArb, (raw) => {
        const inputs = toInputs(raw.map((r) => ({ ...r, padding: 0 })));
        expect(batchEvents(inputs).requests.length).toBe(optimalRequestCount(inputs));
      }),
      { numRuns: 150 },
    );
  });

  it('is optimal under the byte limit too: no two neighbouring requests of a client could merge', () => {
    fc.assert(
      fc.property(inputArb, (raw) => {
        const { requests } = batchEvents(toInputs(raw));
        for (let i = 1; i < requests.length; i++) {
          const a = requests[i - 1];
          const b = requests[i];
          if (!a || !b || envelopeOf(a.body) !== envelopeOf(b.body)) continue;
          const first = b.body.events[0];
          const merged =
            a.body.events.length + 1 <= MP_LIMITS.eventsPerRequest &&
            a.bytes + 1 + Buffer.byteLength(JSON.stringify(first)) < MP_LIMITS.bodyBytes;
          expect(merged).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('keeps requests with different user_properties apart, and joins equal ones in any key order', () => {
    const home = (store: string, tier = 'gold'): RequestEnvelope => ({
      client_id: '4.4',
      user_properties: { last_store: { value: store }, tier: { value: tier } },
    });
    const reordered: RequestEnvelope = {
      user_properties: { tier: { value: 'gold' }, last_store: { value: 'berlin-01' } },
      client_id: '4.4',
    };
    expect(envelopeKey(home('berlin-01'))).not.toBe(envelopeKey(home('hamburg-02')));
    expect(envelopeKey(home('berlin-01'))).not.toBe(envelopeKey(home('berlin-01', 'silver')));
    expect(envelopeKey(reordered)).toBe(envelopeKey(home('berlin-01')));
    expect(envelopeKey({ client_id: '4.4' })).not.toBe(envelopeKey(home('berlin-01')));
    const { requests } = batchEvents([
      { envelope: home('berlin-01'), event: purchase(1, 1), ref: 'b1' },
      { envelope: home('hamburg-02'), event: purchase(2, 2), ref: 'h' },
      { envelope: reordered, event: purchase(3, 3), ref: 'b2' },
    ]);
    expect(requests.map((r) => [r.refs, r.body.user_properties?.['last_store']])).toEqual([
      [['b1', 'b2'], { value: 'berlin-01' }],
      [['h'], { value: 'hamburg-02' }],
    ]);
  });

  it('sets aside an event that alone exceeds the body limit', () => {
    const huge = purchase(1, 1, 2000);
    const { requests, oversized } = batchEvents([
      { envelope: { client_id: '1.1' }, event: huge, ref: 'huge' },
      { envelope: { client_id: '1.1' }, event: purchase(2, 2), ref: 'small' },
    ]);
    expect(oversized.map((o) => o.ref)).toEqual(['huge']);
    expect(requests.map((r) => r.refs)).toEqual([['small']]);
  });
});
