/**
 * What the collector received: every request with its validation result, kept in memory
 * (bounded: the oldest are dropped past `maxRequests`) and optionally appended to a JSON-lines
 * file. The api_secret is never stored: only whether one was present.
 * Lifecycle: owned by the collector; `close()` flushes the file.
 */
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';

import type { ValidationMessage } from '@pos-ga4/ga4-mp';

export interface RecordedRequest {
  readonly id: number;
  readonly receivedAt: string;
  readonly endpoint: 'collect' | 'debug';
  readonly measurementId?: string;
  readonly firebaseAppId?: string;
  readonly apiSecretPresent: boolean;
  readonly status: number;
  readonly fault: string;
  readonly bytes: number;
  readonly body: unknown;
  readonly validationMessages: readonly ValidationMessage[];
}

export interface RecordedEvent {
  readonly requestId: number;
  readonly receivedAt: string;
  readonly client_id?: string;
  readonly user_id?: string;
  readonly name: string;
  readonly params: Record<string, unknown>;
  readonly timestamp_micros?: number;
}

export interface RequestFilter {
  readonly clientId?: string | undefined;
  readonly transactionId?: string | undefined;
  readonly name?: string | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Events of a delivered request (collect endpoint, answered 2xx; a timeout or reset delivered nothing). */
export function eventsOf(request: RecordedRequest): RecordedEvent[] {
  const delivered = request.status >= 200 && request.status < 300;
  if (request.endpoint !== 'collect' || !delivered || !isRecord(request.body)) return [];
  const body = request.body;
  const events = Array.isArray(body['events']) ? (body['events'] as unknown[]) : [];
  return events.filter(isRecord).map((event) => ({
    requestId: request.id,
    receivedAt: request.receivedAt,
    ...(typeof body['client_id'] === 'string' ? { client_id: body['client_id'] } : {}),
    ...(typeof body['user_id'] === 'string' ? { user_id: body['user_id'] } : {}),
    name: typeof event['name'] === 'string' ? event['name'] : '',
    params: isRecord(event['params']) ? event['params'] : {},
    ...(typeof event['timestamp_micros'] === 'number'
      ? { timestamp_micros: event['timestamp_micros'] }
      : {}),
  }));
}

function matches(event: RecordedEvent, filter: RequestFilter): boolean {
  if (filter.clientId !== undefined && event.client_id !== filter.clientId) return false;
  if (filter.name !== undefined && event.name !== filter.name) return false;
  if (filter.transactionId !== undefined && event.params['transaction_id'] !== filter.transactionId)
    return false;
  return true;
}

export class RequestStore {
  readonly #requests: RecordedRequest[] = [];
  readonly #maxRequests: number;
  readonly #file: WriteStream | undefined;
  #nextId = 1;
  #total = 0;

  constructor(options: { maxRequests?: number | undefined; persistTo?: string | undefined } = {}) {
    this.#maxRequests = options.maxRequests ?? 200_000;
    this.#file =
      options.persistTo === undefined
        ? undefined
        : createWriteStream(options.persistTo, { flags: 'a' });
  }

  add(request: Omit<RecordedRequest, 'id'>): RecordedRequest {
    const recorded = { id: this.#nextId++, ...request };
    this.#requests.push(recorded);
    this.#total++;
    if (this.#requests.length > this.#maxRequests) this.#requests.shift();
    this.#file?.write(`${JSON.stringify(recorded)}\n`);
    return recorded;
  }

  get total(): number {
    return this.#total;
  }

  requests(filter: RequestFilter = {}): RecordedRequest[] {
    if (
      filter.clientId === undefined &&
      filter.transactionId === undefined &&
      filter.name === undefined
    )
      return [...this.#requests];
    return this.#requests.filter((request) =>
      eventsOf(request).some((event) => matches(event, filter)),
    );
  }

  events(filter: RequestFilter = {}): RecordedEvent[] {
    return this.#requests.flatMap(eventsOf).filter((event) => matches(event, filter));
  }

  clear(): void {
    this.#requests.length = 0;
  }

  async close(): Promise<void> {
    const file = this.#file;
    if (!file) return;
    await new Promise<void>((resolve) => file.end(resolve));
  }
}
