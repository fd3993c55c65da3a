/**
 * The spool port: a crash-safe FIFO of payloads on local disk, between capture and the queue.
 * - `append(payloads)`: durable (written and fsync'd) before it resolves; all of the batch or
 *   none of it. Rejects with SpoolError `SPOOL_FULL` (nothing written) when the batch would pass
 *   the capacity, `SPOOL_CLOSED` after close.
 * - `peek(max)`: the oldest entries not yet handed over, in append order.
 * - `markHandedOver(seq)`: every entry numbered ≤ seq is handed over and may be compacted away.
 * - `level()`: depth, bytes, fill ratio, alarm and full flags, synchronously.
 * Lifecycle: opened by a factory (e.g. `openFileSpool`), closed by `close()`; one owner at a time.
 */
export interface SpoolEntry {
  readonly seq: number;
  readonly payload: string;
}

export interface SpoolLevel {
  /** Entries not yet handed over. */
  readonly depth: number;
  /** Their size on disk, in bytes. */
  readonly bytes: number;
  /** max(depth / maxEntries, bytes / maxBytes), 0…1. */
  readonly fill: number;
  /** Raised when fill reaches the alarm ratio; cleared when it falls 0.1 below. */
  readonly alarm: boolean;
  /** True from an append refused for capacity until an append succeeds. */
  readonly full: boolean;
}

export interface SpoolCapacity {
  readonly maxBytes: number;
  readonly maxEntries: number;
  /** Fill ratio at which the alarm is raised (0 < ratio ≤ 1). */
  readonly alarmRatio: number;
}

export interface Spool {
  append(payloads: readonly string[]): Promise<readonly number[]>;
  peek(max: number): Promise<SpoolEntry[]>;
  markHandedOver(seq: number): Promise<void>;
  level(): SpoolLevel;
  close(): Promise<void>;
}
