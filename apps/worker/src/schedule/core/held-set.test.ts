import { describe, expect, it } from 'vitest';

import { heldItem } from '../../../test/held-items.js';

import type { HeldItem } from './held-item.js';
import { HeldSet } from './held-set.js';

function item(
  id: string,
  options: {
    terminal?: string;
    sequence: number;
    orderTs?: number;
    seq?: number;
    state?: HeldItem['state'];
    waiting?: boolean;
  },
): HeldItem {
  const { terminal = 'A', waiting = false, ...fields } = options;
  return heldItem(id, {
    ...fields,
    jobId: `job-${id}`,
    terminalKey: terminal,
    waitingForPurchase: waiting,
  });
}

const idsOf = (items: Iterable<HeldItem>): string[] =>
  [...items].map((i) => i.transaction.transactionId);

describe('HeldSet', () => {
  it('keeps each terminal in receipt order: sequence, then orderTs, then fetch order', () => {
    const set = new HeldSet();
    set.add([
      item('bySeq2', { sequence: 5, orderTs: 1, seq: 2 }),
      item('bySeq1', { sequence: 5, orderTs: 1, seq: 1 }),
      item('byTs', { sequence: 5, orderTs: 0, seq: 9 }),
      item('late', { sequence: 9, orderTs: 0, seq: 0 }),
      item('first', { sequence: 1, orderTs: 99, seq: 99 }),
    ]);
    expect(idsOf(set.terminals.get('A') ?? [])).toEqual([
      'first',
      'byTs',
      'bySeq1',
      'bySeq2',
      'late',
    ]);
  });

  it('sorts later additions into a terminal and keeps terminals apart', () => {
    const set = new HeldSet();
    set.add([item('a3', { sequence: 3 }), item('b1', { terminal: 'B', sequence: 1 })]);
    set.add([item('a1', { sequence: 1 }), item('a4', { sequence: 4 })]);
    expect(idsOf(set.terminals.get('A') ?? [])).toEqual(['a1', 'a3', 'a4']);
    expect(idsOf(set.terminals.get('B') ?? [])).toEqual(['b1']);
    expect(set.size).toBe(4);
    expect(set.has('b1')).toBe(true);
    expect(set.get('a3')?.jobId).toBe('job-a3');
    expect(set.get('zz')).toBeUndefined();
    expect(idsOf(set.all())).toEqual(['a1', 'a3', 'a4', 'b1']);
  });

  it('removes an item, and its terminal when it was the last', () => {
    const set = new HeldSet();
    const a1 = item('a1', { sequence: 1 });
    const b1 = item('b1', { terminal: 'B', sequence: 1, waiting: true });
    set.add([a1, b1, item('a2', { sequence: 2 })]);
    set.remove(a1);
    set.remove(b1);
    expect(set.size).toBe(1);
    expect(set.has('a1')).toBe(false);
    expect(set.terminals.has('B')).toBe(false);
    expect(set.parkedRefunds()).toEqual([]);
    expect(idsOf(set.all())).toEqual(['a2']);
  });

  it('ignores removing an item it does not hold', () => {
    const set = new HeldSet();
    const a1 = item('a1', { sequence: 1 });
    set.add([a1]);
    set.remove(item('x', { terminal: 'nowhere', sequence: 1 }));
    // same terminal and id, but not the held object
    set.remove(item('a1', { sequence: 1 }));
    expect(set.size).toBe(1);
    expect(set.get('a1')).toBe(a1);
    expect(idsOf(set.all())).toEqual(['a1']);
  });

  it('lists parked refunds, dropping those no longer waiting for their purchase', () => {
    const set = new HeldSet();
    const r1 = item('r1', { sequence: 1, waiting: true });
    const r2 = item('r2', { terminal: 'B', sequence: 1, waiting: true });
    set.add([r1, r2, item('s1', { sequence: 2 })]);
    expect(set.parkedRefunds()).toEqual([r1, r2]);
    r1.waitingForPurchase = false;
    expect(set.parkedRefunds()).toEqual([r2]);
    // dropped for good: it is still held, just not parked
    expect(set.has('r1')).toBe(true);
  });

  it("yields each terminal's first item that is not a parked refund", () => {
    const set = new HeldSet();
    set.add([
      item('a1', { sequence: 1, waiting: true }),
      item('a2', { sequence: 2 }),
      item('b1', { terminal: 'B', sequence: 1, waiting: true, state: 'inflight' }),
      item('b2', { terminal: 'B', sequence: 2 }),
      item('c1', { terminal: 'C', sequence: 1, waiting: true }),
    ]);
    // a refund in flight is not parked: it heads its terminal; C has only a parked refund
    expect(idsOf(set.terminalHeads())).toEqual(['a2', 'b1']);
  });

  it('hands back pending items last first, skipping in-flight ones', () => {
    const set = new HeldSet();
    set.add([
      item('a1', { sequence: 1 }),
      item('a2', { sequence: 3, state: 'inflight' }),
      item('a3', { sequence: 5 }),
      item('b1', { terminal: 'B', sequence: 2 }),
      item('b2', { terminal: 'B', sequence: 4 }),
    ]);
    expect(idsOf(set.handBackOrder())).toEqual(['a3', 'b2', 'b1', 'a1']);
  });

  it('clear empties everything', () => {
    const set = new HeldSet();
    set.add([item('a1', { sequence: 1, waiting: true })]);
    set.clear();
    expect(set.size).toBe(0);
    expect(set.terminals.size).toBe(0);
    expect(set.parkedRefunds()).toEqual([]);
    expect(set.has('a1')).toBe(false);
  });
});
