/** The fault suite's receipts (workload.ts): deterministic, per-terminal order, shared customers. */
import { describe, expect, it } from 'vitest';

import { planReceipts } from './workload.js';

const terminals = [
  { storeId: 'wk-store-1', terminalId: 'till-1' },
  { storeId: 'wk-store-2', terminalId: 'till-1' },
  { storeId: 'wk-store-2', terminalId: 'till-2' },
];
const options = {
  count: 600,
  terminals,
  customers: 20,
  identifiedShare: 0.4,
  seed: 42,
  startMs: Date.parse('2026-11-26T08:00:00Z'),
  stepMs: 250,
};

describe('planReceipts', () => {
  it('is deterministic', () => {
    expect(planReceipts(options).map((r) => r.bytes.toString())).toEqual(
      planReceipts(options).map((r) => r.bytes.toString()),
    );
  });

  it('numbers each terminal’s receipts in order and derives unique transaction ids', () => {
    const receipts = planReceipts(options);
    const ids = new Set(receipts.map((r) => r.expected.transactionId));
    expect(ids.size).toBe(600);
    for (const [t, identity] of terminals.entries()) {
      const own = receipts.filter((r) => r.terminal === t);
      expect(own.length).toBeGreaterThan(100);
      expect(own.map((r) => r.expected.index)).toEqual(own.map((_, i) => i));
      expect(own[0]?.expected.transactionId).toBe(
        `${identity.storeId}_${identity.terminalId}_20261126_1`,
      );
    }
  });

  it('writes one JSON line per receipt, identified customers shared between terminals', () => {
    const receipts = planReceipts(options);
    const first = receipts[0];
    expect(first?.bytes.toString().endsWith('}\n')).toBe(true);
    expect(first?.bytes.toString().split('\n')).toHaveLength(2);
    const identified = receipts.filter((r) => r.expected.clientId !== undefined);
    expect(identified.length / receipts.length).toBeGreaterThan(0.3);
    expect(identified.length / receipts.length).toBeLessThan(0.5);
    const terminalsOf = new Map<string, Set<number>>();
    for (const r of identified) {
      const set = terminalsOf.get(r.expected.clientId ?? '') ?? new Set<number>();
      set.add(r.terminal);
      terminalsOf.set(r.expected.clientId ?? '', set);
    }
    expect([...terminalsOf.values()].some((set) => set.size === 3)).toBe(true);
    const parsed = JSON.parse(identified[0]?.bytes.toString() ?? '{}') as {
      identities: { value: string }[];
    };
    expect(parsed.identities[0]?.value).toBe(identified[0]?.expected.clientId);
  });
});
