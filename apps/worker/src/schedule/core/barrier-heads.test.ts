import { describe, expect, it } from 'vitest';

import { HeadsCache, StaleHeads } from './barrier-heads.js';

const heldHere =
  (...ids: string[]) =>
  (id: string): boolean =>
    ids.includes(id);

describe('HeadsCache', () => {
  it('reads every client at first', () => {
    const cache = new HeadsCache();
    expect(cache.split(['x', 'y'], { now: 0, freshMs: 100 })).toEqual({
      cached: new Map(),
      toRead: ['x', 'y'],
    });
  });

  it('keeps only blocked heads (first not held here), for freshMs', () => {
    const cache = new HeadsCache();
    cache.store(
      new Map([
        ['x', ['elsewhere', 'a1']],
        ['y', ['h1', 'a2']],
        ['z', []],
      ]),
      { now: 1000, isHeld: heldHere('h1', 'a1', 'a2') },
    );
    expect(cache.split(['x', 'y', 'z'], { now: 1099, freshMs: 100 })).toEqual({
      cached: new Map([['x', ['elsewhere', 'a1']]]),
      toRead: ['y', 'z'],
    });
    // exactly freshMs old: read again
    expect(cache.split(['x', 'y', 'z'], { now: 1100, freshMs: 100 })).toEqual({
      cached: new Map(),
      toRead: ['x', 'y', 'z'],
    });
  });

  it('drops a cached client when a new read finds its head held here', () => {
    const cache = new HeadsCache();
    cache.store(new Map([['x', ['t1']]]), { now: 0, isHeld: () => false });
    cache.store(new Map([['x', ['t1']]]), { now: 10, isHeld: heldHere('t1') });
    expect(cache.split(['x'], { now: 11, freshMs: 100 }).toRead).toEqual(['x']);
  });

  it('restarts freshness when a blocked client is read again', () => {
    const cache = new HeadsCache();
    cache.store(new Map([['x', ['t1']]]), { now: 0, isHeld: () => false });
    cache.store(new Map([['x', ['t2']]]), { now: 50, isHeld: () => false });
    expect(cache.split(['x'], { now: 149, freshMs: 100 }).cached).toEqual(new Map([['x', ['t2']]]));
  });

  it('invalidate drops the named clients only', () => {
    const cache = new HeadsCache();
    cache.store(
      new Map([
        ['x', ['t1']],
        ['y', ['t2']],
      ]),
      { now: 0, isHeld: () => false },
    );
    cache.invalidate(['x', 'unknown']);
    expect(cache.split(['x', 'y'], { now: 1, freshMs: 100 })).toEqual({
      cached: new Map([['y', ['t2']]]),
      toRead: ['x'],
    });
  });
});

describe('StaleHeads', () => {
  const LEASE_MS = 1000;

  it('names heads held elsewhere as due; never heads held here or empty barriers', () => {
    const stale = new StaleHeads({ leaseMs: LEASE_MS });
    const due = stale.due(
      new Map([
        ['x', ['elsewhere', 'a1']],
        ['y', ['h1']],
        ['z', []],
      ]),
      { now: 0, isHeld: heldHere('h1', 'a1') },
    );
    expect(due).toEqual([{ clientKey: 'x', transactionId: 'elsewhere' }]);
  });

  it('checks a head at most once per 1000 ms', () => {
    const stale = new StaleHeads({ leaseMs: LEASE_MS });
    const heads = new Map([['x', ['t1']]]);
    const dueAt = (now: number) => stale.due(heads, { now, isHeld: () => false });
    expect(dueAt(5000)).toHaveLength(1);
    // a due head that was not checked stays due
    expect(dueAt(5001)).toHaveLength(1);
    expect(stale.isStale('t1', 'pending', 5000)).toBe(false);
    expect(dueAt(5999)).toEqual([]);
    expect(dueAt(6000)).toEqual([{ clientKey: 'x', transactionId: 't1' }]);
  });

  it('never names a head held here as due, even when it was checked long ago', () => {
    const stale = new StaleHeads({ leaseMs: LEASE_MS });
    stale.isStale('t1', 'pending', 0);
    expect(stale.due(new Map([['x', ['t1']]]), { now: 60_000, isHeld: heldHere('t1') })).toEqual(
      [],
    );
  });

  it('removes sent and dead-lettered heads at once', () => {
    const stale = new StaleHeads({ leaseMs: LEASE_MS });
    expect(stale.isStale('t1', 'sent', 0)).toBe(true);
    expect(stale.isStale('t2', 'failed', 0)).toBe(true);
  });

  it('leaves pending heads to their partition, however long', () => {
    const stale = new StaleHeads({ leaseMs: LEASE_MS });
    expect(stale.isStale('t1', 'pending', 0)).toBe(false);
    expect(stale.isStale('t1', 'pending', 100 * LEASE_MS)).toBe(false);
  });

  it('removes a head whose job does not exist only after more than two lease periods', () => {
    const stale = new StaleHeads({ leaseMs: LEASE_MS });
    expect(stale.isStale('t1', 'unknown', 10_000)).toBe(false);
    expect(stale.isStale('t1', 'unknown', 10_000 + 2 * LEASE_MS)).toBe(false);
    expect(stale.isStale('t1', 'unknown', 10_000 + 2 * LEASE_MS + 1)).toBe(true);
  });

  it('restarts the missing time when the head is seen pending in between', () => {
    const stale = new StaleHeads({ leaseMs: LEASE_MS });
    expect(stale.isStale('t1', 'unknown', 0)).toBe(false);
    expect(stale.isStale('t1', 'pending', 1500)).toBe(false);
    expect(stale.isStale('t1', 'unknown', 2500)).toBe(false);
    expect(stale.isStale('t1', 'unknown', 2500 + 2 * LEASE_MS)).toBe(false);
    expect(stale.isStale('t1', 'unknown', 2500 + 2 * LEASE_MS + 1)).toBe(true);
  });

  it('tracks the missing time per head', () => {
    const stale = new StaleHeads({ leaseMs: LEASE_MS });
    expect(stale.isStale('t1', 'unknown', 0)).toBe(false);
    expect(stale.isStale('t2', 'unknown', 1000)).toBe(false);
    expect(stale.isStale('t1', 'unknown', 2001)).toBe(true);
    expect(stale.isStale('t2', 'unknown', 2001)).toBe(false);
    expect(stale.isStale('t2', 'unknown', 3001)).toBe(true);
  });
});
