import { describe, expect, it } from 'vitest';

import { heldItem } from '../../../test/held-items.js';

import type { HeldItem } from './held-item.js';
import { selectReady } from './select-ready.js';

let seq = 0;
function item(
  id: string,
  options: {
    terminal: string;
    client: string;
    state?: HeldItem['state'];
    blockedUntil?: number;
    waiting?: boolean;
    ordered?: boolean;
  },
): HeldItem {
  seq++;
  const { terminal, waiting = false, ...fields } = options;
  return heldItem(id, {
    ...fields,
    sequence: seq * 1000,
    terminalKey: terminal,
    seq,
    orderTs: seq,
    waitingForPurchase: waiting,
  });
}

function ids(groups: HeldItem[][]): string[][] {
  return groups.map((g) => g.map((i) => i.transaction.transactionId));
}

describe('selectReady', () => {
  it('sends an item outside the barrier (a pseudo client) alone, with no barrier head needed', () => {
    const a1 = item('a1', { terminal: 'A', client: 'p1', ordered: false });
    const a2 = item('a2', { terminal: 'A', client: 'p2', ordered: false });
    const b1 = item('b1', { terminal: 'B', client: 'p3', ordered: false, state: 'inflight' });
    const b2 = item('b2', { terminal: 'B', client: 'p4', ordered: false });
    const groups = selectReady({
      terminals: new Map([
        ['A', [a1, a2]],
        ['B', [b1, b2]],
      ]),
      heads: new Map(),
      now: 0,
    });
    // still one per terminal, in receipt order: a2 waits for a1, b2 for the in-flight b1
    expect(ids(groups)).toEqual([['a1']]);
  });

  it('sends the first receipt of each terminal whose client barrier it heads', () => {
    const a1 = item('a1', { terminal: 'A', client: 'x' });
    const a2 = item('a2', { terminal: 'A', client: 'y' });
    const b1 = item('b1', { terminal: 'B', client: 'y' });
    const groups = selectReady({
      terminals: new Map([
        ['A', [a1, a2]],
        ['B', [b1]],
      ]),
      heads: new Map([
        ['x', ['a1']],
        ['y', ['b1', 'a2']],
      ]),
      now: 0,
    });
    expect(ids(groups).sort()).toEqual([['a1'], ['b1']]);
  });

  it('lets consecutive receipts of one terminal and one client go in one request', () => {
    const a1 = item('a1', { terminal: 'A', client: 'x' });
    const a2 = item('a2', { terminal: 'A', client: 'x' });
    const a3 = item('a3', { terminal: 'A', client: 'y' });
    const groups = selectReady({
      terminals: new Map([['A', [a1, a2, a3]]]),
      heads: new Map([
        ['x', ['a1', 'a2']],
        ['y', ['a3']],
      ]),
      now: 0,
    });
    expect(ids(groups)).toEqual([['a1', 'a2']]);
  });

  it('blocks a terminal behind an in-flight, backing-off or waiting receipt, and nothing else', () => {
    for (const blocker of [
      item('a1', { terminal: 'A', client: 'x', state: 'inflight' }),
      item('a1', { terminal: 'A', client: 'x', blockedUntil: 100 }),
    ]) {
      const a2 = item('a2', { terminal: 'A', client: 'y' });
      const b1 = item('b1', { terminal: 'B', client: 'z' });
      const groups = selectReady({
        terminals: new Map([
          ['A', [blocker, a2]],
          ['B', [b1]],
        ]),
        heads: new Map([
          ['x', ['a1']],
          ['y', ['a2']],
          ['z', ['b1']],
        ]),
        now: 50,
      });
      expect(ids(groups)).toEqual([['b1']]);
    }
  });

  it('lets a terminal go past a refund parked until its purchase is sent', () => {
    const refund = item('a1', { terminal: 'A', client: 'x', waiting: true });
    const a2 = item('a2', { terminal: 'A', client: 'y' });
    const groups = selectReady({
      terminals: new Map([['A', [refund, a2]]]),
      heads: new Map([
        ['x', ['a1']],
        ['y', ['a2']],
      ]),
      now: 0,
    });
    expect(ids(groups)).toEqual([['a2']]);
  });

  it('holds a client whose earlier event is pending elsewhere (another partition)', () => {
    const a1 = item('a1', { terminal: 'A', client: 'x' });
    const groups = selectReady({
      terminals: new Map([['A', [a1]]]),
      heads: new Map([['x', ['other-partition-tx', 'a1']]]),
      now: 0,
    });
    expect(groups).toEqual([]);
  });

  it('orders a client across terminals by its barrier, stopping at the first head not ready here', () => {
    const a1 = item('a1', { terminal: 'A', client: 'x' });
    const b1 = item('b1', { terminal: 'B', client: 'x' });
    const c1 = item('c1', { terminal: 'C', client: 'x', state: 'inflight' });
    const groups = selectReady({
      terminals: new Map([
        ['A', [a1]],
        ['B', [b1]],
        ['C', [c1]],
      ]),
      heads: new Map([['x', ['b1', 'a1', 'c1']]]),
      now: 0,
    });
    expect(ids(groups)).toEqual([['b1', 'a1']]);
  });

  it('releases a backing-off receipt once its time has come', () => {
    const a1 = item('a1', { terminal: 'A', client: 'x', blockedUntil: 100 });
    expect(
      ids(
        selectReady({
          terminals: new Map([['A', [a1]]]),
          heads: new Map([['x', ['a1']]]),
          now: 100,
        }),
      ),
    ).toEqual([['a1']]);
  });
});
