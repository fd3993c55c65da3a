/**
 * Small helpers for the benchmark (scripts/bench, `npm run bench`): percentiles, bounded waits,
 * ratios and rounding. Pure apart from timers. Not a test; never run in CI.
 */

/** The p-th percentile (0…100) of `values` by nearest rank; undefined when empty. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const round = (value: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `done` every `everyMs` until it is true; throws with `what` after `timeoutMs`. */
export async function waitUntil(
  done: () => boolean,
  limits: { timeoutMs: number; everyMs?: number },
  what: () => string,
): Promise<void> {
  const deadline = Date.now() + limits.timeoutMs;
  while (!done()) {
    if (Date.now() > deadline)
      throw new Error(`bench phase timed out after ${limits.timeoutMs} ms: ${what()}`);
    await sleep(limits.everyMs ?? 50);
  }
}

/**
 * `promise`, or a rejection naming `what()` after `timeoutMs` (the timer is cleared either way;
 * `promise` itself is not cancelled: the caller closes what it runs).
 */
export async function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
  what: () => string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`bench phase timed out after ${timeoutMs} ms: ${what()}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** a ÷ b rounded to 3 digits; undefined when either is missing or b is 0. */
export const ratio = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined || b === undefined || b === 0 ? undefined : round(a / b, 3);

/** A unique Redis key prefix for one phase (hash-tag free; deleted afterwards). */
export const benchPrefix = (phase: string): string =>
  `bench-${phase}-${process.pid}-${Date.now().toString(36)}`;
