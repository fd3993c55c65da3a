/**
 * A single-consumer FIFO of byte chunks between a push-based device and a pull-based iterator.
 * `push` never blocks; the producer reads `bufferedBytes` to decide when to pause, and
 * `onDrained` runs after every `take` that leaves at most `lowWaterBytes` (resume there).
 * `take()` resolves with the next chunk, or `undefined` once `end()` was called and the queue is
 * empty: chunks pushed before `end()` are still delivered. Chunks pushed after `end()` are
 * dropped. One pending `take` at a time. No timers, no I/O; nothing to close.
 */
export interface ChunkQueueOptions {
  readonly lowWaterBytes: number;
  readonly onDrained?: () => void;
}

export class ChunkQueue {
  readonly #options: ChunkQueueOptions;
  #chunks: Uint8Array[] = [];
  #bytes = 0;
  #ended = false;
  #waiter: ((chunk: Uint8Array | undefined) => void) | undefined;

  constructor(options: ChunkQueueOptions) {
    this.#options = options;
  }

  get bufferedBytes(): number {
    return this.#bytes;
  }

  get ended(): boolean {
    return this.#ended;
  }

  push(chunk: Uint8Array): void {
    if (this.#ended || chunk.length === 0) return;
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      waiter(chunk);
      return;
    }
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
  }

  end(): void {
    this.#ended = true;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.(undefined);
  }

  take(): Promise<Uint8Array | undefined> {
    if (this.#waiter !== undefined) throw new Error('ChunkQueue has one consumer');
    const chunk = this.#chunks.shift();
    if (chunk !== undefined) {
      this.#bytes -= chunk.length;
      if (this.#bytes <= this.#options.lowWaterBytes) this.#options.onDrained?.();
      return Promise.resolve(chunk);
    }
    if (this.#ended) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }
}
