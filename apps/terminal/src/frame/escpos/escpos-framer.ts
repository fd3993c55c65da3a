/**
 * Convenience wrappers around the pure ESC/POS step functions: a stateful {@link EscposFramer}
 * for streams and {@link splitEscposReceipts} for a whole capture.
 *
 * Inputs: byte chunks of one printer stream with their arrival time (ms), idle checks, and the
 * end of the stream. Outputs: the receipt / rejected frames that each call completes (see
 * `escpos-step.ts` for the framing rules and `escpos-types.ts` for the frame shapes).
 * Errors: stream bytes never throw; invalid options throw a `RangeError` in the constructor.
 * Lifecycle: the owner (e.g. the serial pipeline) creates one framer per byte source, calls
 * `flushIdle(now)` from its own timer (nothing here starts timers or does I/O) and `end()` when the
 * source closes; after `end()` the framer starts over at stream offset 0.
 */
import { createEscposState, escposBufferedBytes } from './escpos-state.js';
import type { EscposFramerState } from './escpos-state.js';
import { endEscpos, flushEscposIdle, stepEscpos } from './escpos-step.js';
import type { EscposFrame, EscposFramerOptions } from './escpos-types.js';

export class EscposFramer {
  private current: EscposFramerState;

  constructor(options: EscposFramerOptions = {}) {
    this.current = createEscposState(options);
  }

  /** The current immutable state (e.g. for inspection or checkpointing). */
  get state(): EscposFramerState {
    return this.current;
  }

  /** Stream bytes held: at most `maxReceiptBytes` + a small constant. */
  get bufferedBytes(): number {
    return escposBufferedBytes(this.current);
  }

  push(chunk: Uint8Array, now: number): readonly EscposFrame[] {
    const { state, frames } = stepEscpos(this.current, chunk, now);
    this.current = state;
    return frames;
  }

  flushIdle(now: number): readonly EscposFrame[] {
    const { state, frames } = flushEscposIdle(this.current, now);
    this.current = state;
    return frames;
  }

  end(): readonly EscposFrame[] {
    const { state, frames } = endEscpos(this.current);
    this.current = state;
    return frames;
  }
}

/** Frames a complete capture (one chunk, no idle gaps) and ends it. */
export function splitEscposReceipts(
  bytes: Uint8Array,
  options: EscposFramerOptions = {},
): EscposFrame[] {
  const framer = new EscposFramer(options);
  return [...framer.push(bytes, 0), ...framer.end()];
}
