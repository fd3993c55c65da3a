import { describe, expect, it } from 'vitest';

import { heldItem } from '../../../test/held-items.js';

import type { HeldItem } from './held-item.js';
import { StarvationPolicy } from './starvation.js';

const SETTINGS = { maxHeld: 4, maxHeldBlocked: 6, leaseMs: 1000 };

function item(
  id: string,
  options: {
    client: string;
    orderTs: number;
    state?: HeldItem['state'];
    blockedUntil?: number;
    ordered?: boolean;
  },
): HeldItem {
  return heldItem(id, { ...options, sequence: options.orderTs, terminalKey: `terminal-of-${id}` });
}

/** a1 (client x) and b1 (client y): each client's head is an event held elsewhere. */
const a1 = item('a1', { client: 'x', orderTs: 20 });
const b1 = item('b1', { client: 'y', orderTs: 10 });
const HEADS = new Map([
  ['x', ['elsewhere-x', 'a1']],
  ['y', ['elsewhere-y', 'b1']],
]);

function stall(
  policy: StarvationPolicy,
  input: { held: number; now: number; heads?: HeldItem[]; isHeld?: (id: string) => boolean },
) {
  return policy.stalled({
    terminalHeads: input.heads ?? [a1, b1],
    heads: HEADS,
    held: input.held,
    isHeld: input.isHeld ?? (() => false),
    now: input.now,
  });
}

describe('StarvationPolicy', () => {
  it('does nothing below maxHeld, however blocked', () => {
    const policy = new StarvationPolicy(SETTINGS);
    expect(stall(policy, { held: 3, now: 0 })).toBeUndefined();
    expect(stall(policy, { held: 3, now: 100_000 })).toBeUndefined();
    expect(policy.overflow).toBe(false);
    expect(policy.maxHeld).toBe(4);
  });

  it('starts overflow at maxHeld: reported started once, then not again', () => {
    const policy = new StarvationPolicy(SETTINGS);
    expect(stall(policy, { held: 4, now: 0 })).toStrictEqual({
      overflowStarted: true,
      blockedTerminals: 2,
    });
    expect(policy.overflow).toBe(true);
    expect(policy.maxHeld).toBe(6);
    expect(stall(policy, { held: 5, now: 10 })).toStrictEqual({
      overflowStarted: false,
      blockedTerminals: 2,
    });
  });

  it('keeps the larger maxHeld when maxHeldBlocked is below it', () => {
    const policy = new StarvationPolicy({ maxHeld: 8, maxHeldBlocked: 5, leaseMs: 1000 });
    expect(stall(policy, { held: 8, now: 0 })?.overflowStarted).toBe(true);
    expect(policy.maxHeld).toBe(8);
  });

  it('gives up only at maxHeldBlocked, once a lease period has passed since the block began (overflow start)', () => {
    const policy = new StarvationPolicy(SETTINGS);
    stall(policy, { held: 4, now: 0 }); // blocked since 0
    // at the cap but not a lease period yet
    expect(stall(policy, { held: 6, now: 999 })?.giveUp).toBeUndefined();
    // a lease period on but below the cap
    expect(stall(policy, { held: 5, now: 1000 })?.giveUp).toBeUndefined();
    expect(stall(policy, { held: 6, now: 1000 })).toStrictEqual({
      overflowStarted: false,
      blockedTerminals: 2,
      giveUp: { item: b1, waitingFor: 'elsewhere-y' },
    });
  });

  it('gives up on the earliest blocked event (orderTs), not the first terminal', () => {
    const policy = new StarvationPolicy(SETTINGS);
    const late = item('late', { client: 'x', orderTs: 30 });
    const early = item('early', { client: 'y', orderTs: 5 });
    stall(policy, { held: 6, now: 0, heads: [late, early] });
    const verdict = stall(policy, { held: 6, now: 1000, heads: [late, early] });
    expect(verdict?.giveUp?.item).toBe(early);
    expect(verdict?.giveUp?.waitingFor).toBe('elsewhere-y');
  });

  it('waits another lease period before giving up again', () => {
    const policy = new StarvationPolicy(SETTINGS);
    stall(policy, { held: 6, now: 0 });
    expect(stall(policy, { held: 6, now: 1000 })?.giveUp).toBeDefined();
    expect(stall(policy, { held: 6, now: 1001 })?.giveUp).toBeUndefined();
    expect(stall(policy, { held: 6, now: 2000 })?.giveUp).toBeUndefined();
    expect(stall(policy, { held: 6, now: 2001 })?.giveUp?.item).toBe(b1);
  });

  it.each([
    ['backing off', item('c1', { client: 'x', orderTs: 1, blockedUntil: 101 })],
    ['outside the barrier (unordered)', item('c1', { client: 'x', orderTs: 1, ordered: false })],
    ['in flight', item('c1', { client: 'x', orderTs: 1, state: 'inflight' })],
  ])('does not count a terminal head %s as blocked', (_what, head) => {
    const policy = new StarvationPolicy(SETTINGS);
    expect(stall(policy, { held: 6, now: 100, heads: [head] })).toBeUndefined();
    expect(policy.overflow).toBe(false);
  });

  it('counts a head whose backoff ends exactly now as blocked', () => {
    const policy = new StarvationPolicy(SETTINGS);
    const head = item('c1', { client: 'x', orderTs: 1, blockedUntil: 100 });
    expect(stall(policy, { held: 4, now: 100, heads: [head] })?.blockedTerminals).toBe(1);
  });

  it('does not count a client whose barrier head is held here, or is the item itself, or is unknown', () => {
    const policy = new StarvationPolicy(SETTINGS);
    const heldHere = (id: string) => id === 'elsewhere-x';
    expect(stall(policy, { held: 6, now: 0, heads: [a1], isHeld: heldHere })).toBeUndefined();
    const own = item('elsewhere-y', { client: 'y', orderTs: 1 });
    expect(stall(policy, { held: 6, now: 0, heads: [own] })).toBeUndefined();
    const unread = item('z1', { client: 'z', orderTs: 1 });
    expect(stall(policy, { held: 6, now: 0, heads: [unread] })).toBeUndefined();
    expect(policy.overflow).toBe(false);
    // only the blocked one is counted alongside them
    expect(stall(policy, { held: 6, now: 0, heads: [own, unread, b1] })?.blockedTerminals).toBe(1);
  });

  it('progressed() ends overflow and restarts the lease-period wait', () => {
    const policy = new StarvationPolicy(SETTINGS);
    stall(policy, { held: 6, now: 0 });
    policy.progressed();
    expect(policy.overflow).toBe(false);
    expect(policy.maxHeld).toBe(4);
    expect(stall(policy, { held: 6, now: 1000 })).toStrictEqual({
      overflowStarted: true,
      blockedTerminals: 2,
    });
    expect(stall(policy, { held: 6, now: 1999 })?.giveUp).toBeUndefined();
    expect(stall(policy, { held: 6, now: 2000 })?.giveUp?.item).toBe(b1);
  });
});
