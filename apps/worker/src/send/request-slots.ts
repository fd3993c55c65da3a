/**
 * The worker-wide cap on GA4 requests in flight (`concurrency`), shared by every partition
 * consumer of one process, and equal to the MP clients' socket pools: a request that gets a slot
 * also gets a socket, so no request waits in a pool queue with its timeout running.
 * Pure state, no I/O; not shared between processes.
 */
export class RequestSlots {
  readonly #limit: number;
  #used = 0;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`request slots: limit must be a positive integer, got ${limit}`);
    this.#limit = limit;
  }

  /** Takes a slot when one is free; the caller must `release()` it when the request settles. */
  tryAcquire(): boolean {
    if (this.#used >= this.#limit) return false;
    this.#used++;
    return true;
  }

  release(): void {
    if (this.#used > 0) this.#used--;
  }

  /** Slots free now. */
  get free(): number {
    return this.#limit - this.#used;
  }

  get inUse(): number {
    return this.#used;
  }

  get limit(): number {
    return this.#limit;
  }
}
