/**
 * The starvation policy. Pure state.
 *
 * Nothing held can go and nothing is in flight: every terminal's first job waits for a client
 * event that is not held here (client order, docs/delivery.md). When the partition also holds
 * `batch.maxHeld` jobs, that event may be deeper in this queue, or in another partition that is
 * stuck the same way (a backlog after an outage comes in terminal by terminal, not in time
 * order): without more room nobody could fetch it and every partition would wait for ever. So
 * the consumer fetches on (`overflow`), up to `batch.maxHeldBlocked`; the event that is earliest
 * in time is always sendable once it is held somewhere. Only at that cap, and at least a lease
 * period after the partition was first found blocked, it gives up client order for the earliest
 * of its blocked events (reported). Backing-off and parked jobs do not count as blocked.
 */
import type { HeldItem } from './held-item.js';

export interface StarvationSettings {
  readonly maxHeld: number;
  readonly maxHeldBlocked: number;
  readonly leaseMs: number;
}

export interface StarvationVerdict {
  /** Overflow just started: fetching beyond `maxHeld` (worth a warning). */
  readonly overflowStarted: boolean;
  readonly blockedTerminals: number;
  /** The last resort: this event goes ahead of its client's earlier one, held elsewhere. */
  readonly giveUp?: { readonly item: HeldItem; readonly waitingFor: string | undefined };
}

export class StarvationPolicy {
  readonly #settings: StarvationSettings;
  #overflow = false;
  #blockedSince: number | undefined;

  constructor(settings: StarvationSettings) {
    this.#settings = settings;
  }

  /** Every held job is blocked by events held elsewhere: fetch up to `maxHeldBlocked`. */
  get overflow(): boolean {
    return this.#overflow;
  }

  /** The most jobs a fetch may hold now. */
  get maxHeld(): number {
    const { maxHeld, maxHeldBlocked } = this.#settings;
    return this.#overflow ? Math.max(maxHeld, maxHeldBlocked) : maxHeld;
  }

  /** Something was sendable: the partition is not starved. */
  progressed(): void {
    this.#overflow = false;
    this.#blockedSince = undefined;
  }

  /**
   * Nothing was sendable and nothing is in flight. `heads` are the barrier heads read this
   * round; `isHeld` says whether a transaction is held here.
   */
  stalled(input: {
    readonly terminalHeads: Iterable<HeldItem>;
    readonly heads: ReadonlyMap<string, readonly string[]>;
    readonly held: number;
    readonly isHeld: (transactionId: string) => boolean;
    readonly now: number;
  }): StarvationVerdict | undefined {
    const { maxHeld, maxHeldBlocked, leaseMs } = this.#settings;
    const { now, heads } = input;
    const blocked: HeldItem[] = [];
    for (const first of input.terminalHeads) {
      if (!first.ordered || first.state !== 'pending' || first.blockedUntil > now) continue;
      const head = heads.get(first.clientKey)?.[0];
      if (head !== undefined && head !== first.transaction.transactionId && !input.isHeld(head))
        blocked.push(first);
    }
    if (blocked.length === 0 || input.held < maxHeld) return undefined;
    const overflowStarted = !this.#overflow;
    this.#overflow = true;
    this.#blockedSince ??= now;
    const verdict = { overflowStarted, blockedTerminals: blocked.length };
    if (input.held < Math.max(maxHeld, maxHeldBlocked) || now - this.#blockedSince < leaseMs)
      return verdict;
    this.#blockedSince = undefined;
    const earliest = blocked.reduce((a, b) => (b.orderTs < a.orderTs ? b : a));
    return {
      ...verdict,
      giveUp: { item: earliest, waitingFor: heads.get(earliest.clientKey)?.[0] },
    };
  }
}
