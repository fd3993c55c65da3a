/**
 * Time for the HID scan source, injectable so that tests control it.
 *
 * `now()` is epoch milliseconds (scan times, app QR validity); `setTimer(ms, callback)` runs the
 * callback once after `ms` and returns a function that cancels it. `systemClock` uses Date.now
 * and the global timers, so vitest's fake timers drive it too.
 * Errors: none. Lifecycle: a timer that fired or was cancelled is gone; cancelling twice is fine.
 */
export interface HidClock {
  now(): number;
  setTimer(ms: number, callback: () => void): () => void;
}

export const systemClock: HidClock = {
  now: () => Date.now(),
  setTimer: (ms, callback) => {
    const timer = setTimeout(callback, ms);
    return () => {
      clearTimeout(timer);
    };
  },
};
