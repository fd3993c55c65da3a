import { describe, expect, it } from 'vitest';

import { ClaimFence } from './claim-fence.js';

const GIVE_UP_MS = 1000;
const none = (): boolean => false;
const ownOf =
  (...ids: string[]) =>
  (id: string): boolean =>
    ids.includes(id);

function fence(): ClaimFence {
  return new ClaimFence({ giveUpAfterMs: GIVE_UP_MS });
}

describe('ClaimFence', () => {
  it('starts clear: nothing foreign, nothing queued, no check needed', () => {
    const f = fence();
    expect(f.needsCheck).toBe(false);
    expect(f.foreign).toBe(0);
    expect(f.queued).toBe(0);
    expect(f.sample(10)).toEqual([]);
  });

  it('takes over: every job active at takeover is foreign from the start', () => {
    const f = fence();
    f.takeOver(['a', 'b', 'c'], 0);
    expect(f.foreign).toBe(3);
    expect(f.needsCheck).toBe(true);
    expect(f.sample(2)).toEqual(['a', 'b']);
    // still active and not ours: nothing new, nothing to check, nothing given up
    expect(f.observe(['a', 'b', 'c'], 10, none)).toEqual({ added: 0, gaveUp: [], toCheck: [] });
    expect(f.foreign).toBe(3);
  });

  it('counts active jobs that are not own as foreign (added), and ignores own ones', () => {
    const f = fence();
    const seen = f.observe(['mine', 'theirs1', 'theirs2'], 0, ownOf('mine'));
    expect(seen).toEqual({ added: 2, gaveUp: [], toCheck: [] });
    expect(f.foreign).toBe(2);
    expect(f.sample(5)).toEqual(['theirs1', 'theirs2']);
    // found again: not added twice
    expect(f.observe(['mine', 'theirs1', 'theirs2'], 5, ownOf('mine')).added).toBe(0);
  });

  it('drops a foreign job once it is own (fetched and held here)', () => {
    const f = fence();
    f.takeOver(['a', 'b'], 0);
    const seen = f.observe(['a', 'b'], 10, ownOf('a'));
    expect(seen).toEqual({ added: 0, gaveUp: [], toCheck: [] });
    expect(f.foreign).toBe(1);
    expect(f.sample(5)).toEqual(['b']);
  });

  it('gives up on a job foreign for more than giveUpAfterMs, not at exactly giveUpAfterMs', () => {
    const f = fence();
    f.takeOver(['x'], 100);
    expect(f.observe(['x'], 100 + GIVE_UP_MS, none).gaveUp).toEqual([]);
    expect(f.foreign).toBe(1);
    const seen = f.observe(['x'], 100 + GIVE_UP_MS + 1, none);
    expect(seen).toEqual({
      added: 0,
      gaveUp: [{ jobId: 'x', waitedMs: GIVE_UP_MS + 1 }],
      toCheck: [],
    });
    expect(f.foreign).toBe(0);
    expect(f.needsCheck).toBe(false);
  });

  it('does not re-add a given-up job while it stays active, but does once it left and came back', () => {
    const f = fence();
    f.observe(['x'], 0, none);
    expect(f.observe(['x'], GIVE_UP_MS + 1, none).gaveUp).toHaveLength(1);
    // still claimed by the same stranger: not waited for again
    expect(f.observe(['x'], GIVE_UP_MS + 2, none)).toEqual({ added: 0, gaveUp: [], toCheck: [] });
    expect(f.observe(['x'], 10 * GIVE_UP_MS, none).added).toBe(0);
    expect(f.foreign).toBe(0);
    // it left the active list…
    expect(f.observe([], 10 * GIVE_UP_MS + 1, none)).toEqual({ added: 0, gaveUp: [], toCheck: [] });
    // …and is claimed elsewhere again: a new wait, from now
    expect(f.observe(['x'], 10 * GIVE_UP_MS + 2, none).added).toBe(1);
    expect(f.foreign).toBe(1);
    expect(f.observe(['x'], 11 * GIVE_UP_MS + 2, none).gaveUp).toEqual([]);
    expect(f.observe(['x'], 11 * GIVE_UP_MS + 3, none).gaveUp).toEqual([
      { jobId: 'x', waitedMs: GIVE_UP_MS + 1 },
    ]);
  });

  it('asks about foreign jobs that are no longer active (toCheck), every observation until resolved', () => {
    const f = fence();
    f.takeOver(['a', 'b', 'c'], 0);
    expect(f.observe(['b'], 10, none).toCheck).toEqual(['a', 'c']);
    expect(f.observe(['b'], 20, none).toCheck).toEqual(['a', 'c']);
  });

  it('resolve: settled jobs stop being foreign, queued ones are counted; true only when none is left', () => {
    const f = fence();
    f.takeOver(['a', 'b', 'c'], 0);
    f.observe([], 10, none);
    const clear = f.resolve(
      new Map<string, 'settled' | 'queued'>([
        ['a', 'settled'],
        ['b', 'queued'],
        ['c', 'queued'],
      ]),
    );
    expect(clear).toBe(false);
    expect(f.foreign).toBe(2);
    expect(f.queued).toBe(2);
    expect(f.sample(5)).toEqual(['b', 'c']);
    // the next observation starts the count afresh; fetched (own) ones leave the fence
    expect(f.observe([], 20, ownOf('b'))).toEqual({ added: 0, gaveUp: [], toCheck: ['c'] });
    expect(f.queued).toBe(0);
    expect(f.resolve(new Map([['c', 'settled' as const]]))).toBe(true);
    expect(f.foreign).toBe(0);
    expect(f.queued).toBe(0);
  });

  it('resolve with nothing foreign is clear', () => {
    expect(fence().resolve(new Map())).toBe(true);
  });

  it('needs a check after admitted(), cleared by the next observation', () => {
    const f = fence();
    f.admitted();
    expect(f.needsCheck).toBe(true);
    f.observe([], 0, none);
    expect(f.needsCheck).toBe(false);
    f.admitted();
    f.observe(['mine'], 1, ownOf('mine'));
    expect(f.needsCheck).toBe(false);
  });

  it('still needs a check after observing while a foreign job is left', () => {
    const f = fence();
    f.admitted();
    f.observe(['theirs'], 0, none);
    expect(f.needsCheck).toBe(true);
    f.observe([], 1, none);
    f.resolve(new Map([['theirs', 'settled' as const]]));
    expect(f.needsCheck).toBe(false);
  });
});
