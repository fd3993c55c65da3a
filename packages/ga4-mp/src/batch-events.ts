/**
 * Groups events into MP requests. Pure.
 *
 * Input: events, each with its request-level envelope (client_id, user_id, consent, user_data,
 * user_properties…) and a caller reference (e.g. the job it came from).
 * Output: `requests` (body, refs in body order, exact serialized byte size) and `oversized`
 * (events that alone exceed the body limit; they can never be sent and need a dead letter).
 *
 * Guarantees (property-tested):
 * - one envelope per request: events are grouped by the canonical JSON of their envelope;
 * - time order: within a group, events keep `timestamp_micros` order (ties keep input order);
 * - at most `maxEvents` (25) events and fewer than `maxBytes` (130,000) bytes per request body,
 *   measured on `JSON.stringify(body)` in UTF-8; an event is never split;
 * - the optimal request count: splitting an ordered sequence into contiguous chunks under two
 *   monotone caps is optimal when each chunk is filled greedily.
 */
import { MP_LIMITS } from './limits.js';
import type { MpEvent, MpRequest } from './wire-types.js';

export type RequestEnvelope = Omit<MpRequest, 'events'>;

export interface BatchInput<T> {
  readonly envelope: RequestEnvelope;
  readonly event: MpEvent;
  readonly ref: T;
}

export interface BatchedRequest<T> {
  readonly body: MpRequest;
  readonly refs: readonly T[];
  readonly bytes: number;
}

export interface BatchResult<T> {
  readonly requests: readonly BatchedRequest<T>[];
  readonly oversized: readonly BatchInput<T>[];
}

export interface BatchOptions {
  readonly maxEvents?: number;
  readonly maxBytes?: number;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The grouping key of an envelope: equal for envelopes GA4 would treat as the same request. Every
 * request-level key counts, `user_properties` and `consent` included (one customer's receipts
 * from two stores with `last_store` set are two requests); the order of keys does not.
 */
export function envelopeKey(envelope: RequestEnvelope): string {
  return canonical(envelope);
}

const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

export function batchEvents<T>(
  inputs: readonly BatchInput<T>[],
  options: BatchOptions = {},
): BatchResult<T> {
  const maxEvents = options.maxEvents ?? MP_LIMITS.eventsPerRequest;
  const maxBytes = options.maxBytes ?? MP_LIMITS.bodyBytes;
  const groups = new Map<string, BatchInput<T>[]>();
  for (const input of inputs) {
    const key = envelopeKey(input.envelope);
    const group = groups.get(key);
    if (group) group.push(input);
    else groups.set(key, [input]);
  }

  const requests: BatchedRequest<T>[] = [];
  const oversized: BatchInput<T>[] = [];
  for (const group of groups.values()) {
    const ordered = group
      .map((input, position) => ({ input, position }))
      .sort(
        (a, b) =>
          (a.input.event.timestamp_micros ?? 0) - (b.input.event.timestamp_micros ?? 0) ||
          a.position - b.position,
      )
      .map(({ input }) => input);
    const first = ordered[0];
    if (!first) continue;
    const envelope = first.envelope;
    // `{...envelope,"events":[]}` plus, per event, its JSON and a comma after the first.
    const emptyBytes = byteLength(JSON.stringify({ ...envelope, events: [] }));
    let events: MpEvent[] = [];
    let refs: T[] = [];
    let bytes = emptyBytes;
    const flush = (): void => {
      if (events.length === 0) return;
      requests.push({ body: { ...envelope, events }, refs, bytes });
      events = [];
      refs = [];
      bytes = emptyBytes;
    };
    for (const input of ordered) {
      const eventBytes = byteLength(JSON.stringify(input.event));
      if (emptyBytes + eventBytes >= maxBytes) {
        oversized.push(input);
        continue;
      }
      const added = eventBytes + (events.length > 0 ? 1 : 0);
      if (events.length >= maxEvents || bytes + added >= maxBytes) flush();
      bytes += eventBytes + (events.length > 0 ? 1 : 0);
      events.push(input.event);
      refs.push(input.ref);
    }
    flush();
  }
  return { requests, oversized };
}

/** The fewest requests any correct batching can use: Σ over envelopes of ⌈events / 25⌉. */
export function optimalRequestCount(
  inputs: readonly Pick<BatchInput<unknown>, 'envelope'>[],
  maxEvents: number = MP_LIMITS.eventsPerRequest,
): number {
  const counts = new Map<string, number>();
  for (const input of inputs) {
    const key = envelopeKey(input.envelope);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let total = 0;
  for (const count of counts.values()) total += Math.ceil(count / maxEvents);
  return total;
}
