/**
 * The jobs one partition consumer holds: by terminal in receipt order, by transaction id, and
 * the refunds still parked until their purchase is sent. Pure state, no I/O.
 */
import { compareReceiptOrder, isParked } from './held-item.js';
import type { HeldItem } from './held-item.js';

export class HeldSet {
  readonly #terminals = new Map<string, HeldItem[]>();
  readonly #byId = new Map<string, HeldItem>();
  readonly #parked = new Set<HeldItem>();

  get size(): number {
    return this.#byId.size;
  }

  /** Held items by terminal, each list in receipt order (selectReady's input). */
  get terminals(): ReadonlyMap<string, readonly HeldItem[]> {
    return this.#terminals;
  }

  get(transactionId: string): HeldItem | undefined {
    return this.#byId.get(transactionId);
  }

  has(transactionId: string): boolean {
    return this.#byId.has(transactionId);
  }

  /** Adds items (none already held) and keeps each touched terminal in receipt order. */
  add(items: readonly HeldItem[]): void {
    const touched = new Set<HeldItem[]>();
    for (const item of items) {
      let list = this.#terminals.get(item.terminalKey);
      if (!list) {
        list = [];
        this.#terminals.set(item.terminalKey, list);
      }
      list.push(item);
      touched.add(list);
      this.#byId.set(item.transaction.transactionId, item);
      if (item.waitingForPurchase) this.#parked.add(item);
    }
    for (const list of touched) list.sort(compareReceiptOrder);
  }

  /** Takes an item out (sent, dead-lettered); a no-op for one not held. */
  remove(item: HeldItem): void {
    const list = this.#terminals.get(item.terminalKey);
    if (!list) return;
    const index = list.indexOf(item);
    if (index < 0) return;
    list.splice(index, 1);
    this.#byId.delete(item.transaction.transactionId);
    this.#parked.delete(item);
    if (list.length === 0) this.#terminals.delete(item.terminalKey);
  }

  /** Refunds still waiting for their purchase. */
  parkedRefunds(): HeldItem[] {
    for (const item of this.#parked) if (!item.waitingForPurchase) this.#parked.delete(item);
    return [...this.#parked];
  }

  /** Each terminal's first item that is not a parked refund: the only one that could go next. */
  *terminalHeads(): Generator<HeldItem> {
    for (const list of this.#terminals.values()) {
      const first = list.find((item) => !isParked(item));
      if (first) yield first;
    }
  }

  /** Every held item, terminal by terminal. */
  all(): HeldItem[] {
    return [...this.#terminals.values()].flat();
  }

  /** Pending items in the order a hand-back must put them at the queue's head: last first. */
  handBackOrder(): HeldItem[] {
    return this.all()
      .filter((item) => item.state === 'pending')
      .sort((a, b) => compareReceiptOrder(b, a));
  }

  clear(): void {
    this.#terminals.clear();
    this.#byId.clear();
    this.#parked.clear();
  }
}
