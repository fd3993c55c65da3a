/**
 * What the loop knows about client barrier heads. Pure state.
 *
 * `HeadsCache`: heads read for clients blocked by an event held elsewhere are reused for one
 * poll interval (blocked stays blocked until re-read: only a head held here lets anything go,
 * and those are never taken from the cache). Dropped when this consumer changes the client's
 * barrier.
 *
 * `StaleHeads`: a barrier head that no live consumer holds blocks its client. Heads held
 * elsewhere are checked at most once a second: sent or dead-lettered ones (a replay
 * re-registered them) are removed; ones whose job does not exist (a producer that crashed
 * between registering and adding) are removed after two lease periods; pending ones are left to
 * their partition.
 */
import type { TransactionState } from './outcomes.js';

const MAX_ENTRIES = 10_000;

export class HeadsCache {
  readonly #blocked = new Map<string, { heads: readonly string[]; readAt: number }>();

  /** Which clients' heads are cached (still fresh) and which must be read. */
  split(
    clients: Iterable<string>,
    context: { readonly now: number; readonly freshMs: number },
  ): { cached: Map<string, readonly string[]>; toRead: string[] } {
    const cached = new Map<string, readonly string[]>();
    const toRead: string[] = [];
    for (const clientKey of clients) {
      const entry = this.#blocked.get(clientKey);
      if (entry && context.now - entry.readAt < context.freshMs) cached.set(clientKey, entry.heads);
      else toRead.push(clientKey);
    }
    return { cached, toRead };
  }

  /** Heads just read: blocked ones (the first is not held here) are kept. */
  store(
    read: ReadonlyMap<string, readonly string[]>,
    context: { readonly now: number; readonly isHeld: (transactionId: string) => boolean },
  ): void {
    for (const [clientKey, heads] of read) {
      const head = heads[0];
      if (head !== undefined && !context.isHeld(head))
        this.#blocked.set(clientKey, { heads, readAt: context.now });
      else this.#blocked.delete(clientKey);
    }
    if (this.#blocked.size > MAX_ENTRIES) this.#blocked.clear();
  }

  /** This consumer changed these clients' barriers: their cached heads are stale. */
  invalidate(clientKeys: Iterable<string>): void {
    for (const clientKey of clientKeys) this.#blocked.delete(clientKey);
  }
}

export class StaleHeads {
  readonly #leaseMs: number;
  readonly #seen = new Map<string, { checkedAt: number; missingSince?: number | undefined }>();

  constructor(options: { leaseMs: number }) {
    this.#leaseMs = options.leaseMs;
  }

  /** Heads held elsewhere that are due for a check. */
  due(
    heads: ReadonlyMap<string, readonly string[]>,
    context: { readonly now: number; readonly isHeld: (transactionId: string) => boolean },
  ): { clientKey: string; transactionId: string }[] {
    const due: { clientKey: string; transactionId: string }[] = [];
    for (const [clientKey, list] of heads) {
      const head = list[0];
      if (head === undefined || context.isHeld(head)) continue;
      const seen = this.#seen.get(head);
      if (seen && context.now - seen.checkedAt < 1000) continue;
      due.push({ clientKey, transactionId: head });
    }
    return due;
  }

  /** Where a due head's transaction stands; true when its barrier entry is to be removed. */
  isStale(transactionId: string, state: TransactionState, now: number): boolean {
    const seen = this.#seen.get(transactionId) ?? { checkedAt: 0 };
    seen.checkedAt = now;
    if (state === 'pending') seen.missingSince = undefined;
    else if (state === 'unknown') seen.missingSince ??= now;
    const expired =
      state === 'unknown' &&
      seen.missingSince !== undefined &&
      now - seen.missingSince > 2 * this.#leaseMs;
    if (state === 'sent' || state === 'failed' || expired) {
      this.#seen.delete(transactionId);
      return true;
    }
    this.#seen.set(transactionId, seen);
    if (this.#seen.size > MAX_ENTRIES) this.#seen.clear();
    return false;
  }
}
