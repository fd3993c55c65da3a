/**
 * A bounded queue between an event-driven producer (device reports) and one async-iterator
 * consumer.
 *
 * Inputs: `push(item)` from the producer, `end()` once nothing more will come.
 * Outputs: `next()` resolves the oldest item, waiting if none; after `end()` the remaining items
 * are still delivered, then `{ done: true }`. When more than `capacity` items wait unread, the
 * oldest is dropped and counted in `dropped` (a consumer that stopped reading must not grow memory
 * without bound).
 * Errors: none. Lifecycle: `end()` is final and idempotent; `push` after it is ignored.
 */
export class ScanQueue<T> {
  readonly #capacity: number;
  #items: T[] = [];
  #waiters: ((result: IteratorResult<T, undefined>) => void)[] = [];
  #ended = false;
  #dropped = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new TypeError('queue capacity must be a positive integer');
    }
    this.#capacity = capacity;
  }

  get dropped(): number {
    return this.#dropped;
  }

  get size(): number {
    return this.#items.length;
  }

  push(item: T): void {
    if (this.#ended) return;
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      waiter({ value: item, done: false });
      return;
    }
    this.#items.push(item);
    if (this.#items.length > this.#capacity) {
      this.#items.shift();
      this.#dropped++;
    }
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#items.length > 0) {
      const item = this.#items.shift() as T;
      return Promise.resolve({ value: item, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
    });
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const waiter of this.#waiters.splice(0)) waiter({ value: undefined, done: true });
  }
}
