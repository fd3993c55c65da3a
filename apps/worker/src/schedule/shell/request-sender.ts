/**
 * The request sender: the partition's way to GA4. It takes a request slot (the worker-wide cap
 * on requests in flight, shared by every consumer of the process), sends through the property's
 * MP client, and reports each request's outcome to `onRequest` (metrics).
 * Lifecycle: the MP clients and the slots belong to the worker.
 */
import type { MpClient, SendOutcome } from '@pos-ga4/ga4-mp';

import type { RequestSlots } from '../../send/request-slots.js';
import type { RequestInfo } from '../core/outcomes.js';

export class RequestSender {
  readonly #clients: ReadonlyMap<string, MpClient>;
  readonly #slots: RequestSlots;
  readonly #onRequest: ((info: RequestInfo) => void) | undefined;

  constructor(deps: {
    clients: ReadonlyMap<string, MpClient>;
    slots: RequestSlots;
    onRequest?: ((info: RequestInfo) => void) | undefined;
  }) {
    this.#clients = deps.clients;
    this.#slots = deps.slots;
    this.#onRequest = deps.onRequest;
  }

  /** Whether a request could start now (a free slot). */
  get canStart(): boolean {
    return this.#slots.free > 0;
  }

  /** Takes a slot for a delivery; `done()` must follow when it settles. */
  tryStart(): boolean {
    return this.#slots.tryAcquire();
  }

  done(): void {
    this.#slots.release();
  }

  hasProperty(property: string): boolean {
    return this.#clients.has(property);
  }

  async send(
    property: string,
    request: {
      readonly body: Parameters<MpClient['send']>[0];
      readonly events: number;
      readonly bytes: number;
    },
  ): Promise<SendOutcome> {
    const client = this.#clients.get(property);
    if (!client) throw new Error(`no client for property ${property}`);
    const startedAt = performance.now();
    const outcome = await client.send(request.body);
    this.#onRequest?.({
      events: request.events,
      bytes: request.bytes,
      durationMs: performance.now() - startedAt,
      outcome: outcome.kind,
      ...(outcome.kind === 'sent' ? {} : { reason: outcome.reason }),
    });
    return outcome;
  }
}
