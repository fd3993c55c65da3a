/**
 * Capacity arithmetic of a spool (pure): how full it is, whether a batch still fits, and the
 * alarm with hysteresis (raised at `alarmRatio`, cleared below `alarmRatio - 0.1`, so a spool
 * hovering at the threshold does not flap).
 * Errors: `checkCapacity` throws RangeError on limits that are not positive.
 */
import type { SpoolCapacity } from './spool.js';

export const DEFAULT_SPOOL_CAPACITY: SpoolCapacity = {
  maxBytes: 256 * 1024 * 1024,
  maxEntries: 200_000,
  alarmRatio: 0.8,
};

export const ALARM_HYSTERESIS = 0.1;
const EPSILON = 1e-9;

export function checkCapacity(capacity: SpoolCapacity): SpoolCapacity {
  const { maxBytes, maxEntries, alarmRatio } = capacity;
  if (!(maxBytes > 0 && maxEntries > 0 && alarmRatio > 0 && alarmRatio <= 1)) {
    throw new RangeError(
      `spool capacity needs maxBytes > 0, maxEntries > 0, 0 < alarmRatio ≤ 1 (got ${JSON.stringify(capacity)})`,
    );
  }
  return capacity;
}

export interface Usage {
  readonly depth: number;
  readonly bytes: number;
}

export function fillOf(capacity: SpoolCapacity, usage: Usage): number {
  return Math.min(1, Math.max(usage.depth / capacity.maxEntries, usage.bytes / capacity.maxBytes));
}

export function fits(capacity: SpoolCapacity, usage: Usage, added: Usage): boolean {
  return (
    usage.depth + added.depth <= capacity.maxEntries &&
    usage.bytes + added.bytes <= capacity.maxBytes
  );
}

export function nextAlarm(
  capacity: SpoolCapacity,
  state: { alarm: boolean; fill: number },
): boolean {
  // the epsilon keeps 7/10 from counting as below 0.8 - 0.1 = 0.7000000000000001
  if (state.fill >= capacity.alarmRatio - EPSILON) return true;
  if (state.fill < capacity.alarmRatio - ALARM_HYSTERESIS - EPSILON) return false;
  return state.alarm;
}
