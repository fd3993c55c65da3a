/**
 * Time for the serial adapter, injectable so tests control backoff waits and the watchdog.
 * `sleep` resolves after `ms` or as soon as `signal` aborts (it never rejects).
 * `startTimer` calls `onExpire` once after `ms` unless the returned cancel function runs first.
 * `systemClock` uses the real timers; its timers do not keep the process alive.
 */
export interface SerialClock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  startTimer(ms: number, onExpire: () => void): () => void;
}

export const systemClock: SerialClock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve();
        return;
      }
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  },
  startTimer(ms, onExpire) {
    const timer = setTimeout(onExpire, ms);
    timer.unref();
    return () => {
      clearTimeout(timer);
    };
  },
};
