/** The fault suite's counts (accounting.ts): lost, duplicated, reordered by terminal and client, kept receipts, and duplicates a crash explains. */
import { describe, expect, it } from 'vitest';

import { account, attributeDuplicates } from './accounting.js';
import type { Delivery, ExpectedReceipt } from './accounting.js';

const receipt = (
  transactionId: string,
  terminal: string,
  index: number,
  extra: { clientId?: string; occurredAtMs?: number } = {},
): ExpectedReceipt => ({
  transactionId,
  terminal,
  index,
  occurredAtMs: extra.occurredAtMs ?? index * 1000,
  clientId: extra.clientId,
});

const at = (transactionId: string, receivedAtMs: number, clientId?: string): Delivery => ({
  transactionId,
  receivedAtMs,
  clientId,
});

describe('account', () => {
  it('counts a clean run as all delivered', () => {
    const expected = [receipt('a1', 'a', 0), receipt('a2', 'a', 1), receipt('b1', 'b', 0)];
    const result = account({
      expected,
      deliveries: [at('b1', 1), at('a1', 2), at('a2', 3)],
    });
    expect(result).toMatchObject({
      sent: 3,
      delivered: 3,
      lost: 0,
      duplicated: 0,
      reordered: 0,
      unexpected: 0,
    });
  });

  it('counts lost, duplicated and unexpected ids', () => {
    const expected = [receipt('a1', 'a', 0), receipt('a2', 'a', 1), receipt('a3', 'a', 2)];
    const result = account({
      expected,
      deliveries: [at('a1', 1), at('a1', 2), at('a1', 3), at('a3', 4), at('zz', 5)],
    });
    expect(result).toMatchObject({
      sent: 3,
      delivered: 2,
      lost: 1,
      duplicated: 2,
      unexpected: 1,
      lostSample: ['a2'],
    });
  });

  it('counts a receipt that arrives after a later one of its terminal as reordered, once', () => {
    const expected = [receipt('a1', 'a', 0), receipt('a2', 'a', 1), receipt('a3', 'a', 2)];
    // a3 first: a1 and a2 are both late; a duplicate of a3 does not count again
    const result = account({
      expected,
      deliveries: [at('a3', 1), at('a1', 2), at('a2', 3), at('a3', 4)],
    });
    expect(result.reorderedTerminal).toBe(2);
    expect(result.reordered).toBe(2);
    expect(result.duplicated).toBe(1);
  });

  it('does not count a resend of an earlier receipt as reordered (only first deliveries count)', () => {
    const expected = [receipt('a1', 'a', 0), receipt('a2', 'a', 1)];
    const result = account({ expected, deliveries: [at('a1', 1), at('a2', 2), at('a1', 3)] });
    expect(result).toMatchObject({ reordered: 0, duplicated: 1 });
  });

  it('checks client order across terminals when the earlier event was waiting long enough', () => {
    const expected = [
      receipt('a1', 'a', 0, { clientId: 'c', occurredAtMs: 1000 }),
      receipt('b1', 'b', 0, { clientId: 'c', occurredAtMs: 2000 }),
    ];
    const deliveries = [at('b1', 10_000, 'c'), at('a1', 10_100, 'c')];
    // a1 was in Redis since 5 s before b1 arrived: out of client order
    expect(account({ expected, deliveries, handedOverAt: new Map([['a1', 5_000]]) })).toMatchObject(
      { reorderedClient: 1, reorderedTerminal: 0, reordered: 1 },
    );
    // a1 reached Redis only after b1 had been sent: delivery.md allows that
    expect(account({ expected, deliveries, handedOverAt: new Map([['a1', 9_900]]) })).toMatchObject(
      { reorderedClient: 0, reordered: 0 },
    );
    // unknown hand-over time: strictest reading
    expect(account({ expected, deliveries }).reorderedClient).toBe(1);
  });

  it('counts a receipt out of both orders once in reordered', () => {
    const expected = [
      receipt('a1', 'a', 0, { clientId: 'c', occurredAtMs: 1000 }),
      receipt('a2', 'a', 1, { clientId: 'c', occurredAtMs: 2000 }),
    ];
    const result = account({ expected, deliveries: [at('a2', 1, 'c'), at('a1', 2, 'c')] });
    expect(result).toMatchObject({ reorderedTerminal: 1, reorderedClient: 1, reordered: 1 });
  });

  it('counts identified receipts delivered under another client id', () => {
    const expected = [receipt('a1', 'a', 0, { clientId: 'c' })];
    expect(account({ expected, deliveries: [at('a1', 1, 'pseudo')] }).clientMismatches).toBe(1);
  });

  it('accounts kept receipts (rejects, dead letters) as neither delivered nor lost', () => {
    const expected = [receipt('a1', 'a', 0), receipt('a2', 'a', 1), receipt('a3', 'a', 2)];
    const kept = new Map([
      ['a2', 'TOTALS_MISMATCH'],
      ['a3', 'PARSE_FAILED'],
    ]);
    const result = account({ expected, deliveries: [at('a1', 1), at('a3', 2)], kept });
    // a3 both delivered and rejected: one outcome too many
    expect(result).toMatchObject({ delivered: 2, kept: 1, lost: 0, duplicated: 1 });
  });
});

describe('attributeDuplicates', () => {
  const d = (transactionId: string, receivedAtMs: number): Delivery => ({
    transactionId,
    receivedAtMs,
  });

  it('explains a resend whose first delivery came just before a kill', () => {
    const deliveries = [d('a', 9_500), d('b', 9_900), d('a', 12_000), d('b', 12_100)];
    expect(attributeDuplicates(deliveries, [{ from: 10_000, to: 10_000 }])).toEqual({
      explained: 2,
      unexplained: 0,
      unexplainedSample: [],
    });
  });

  it('does not explain a resend long before or after any crash', () => {
    const deliveries = [d('a', 1_000), d('a', 1_500), d('b', 20_000), d('b', 21_000)];
    expect(attributeDuplicates(deliveries, [{ from: 10_000, to: 10_000 }])).toEqual({
      explained: 0,
      unexplained: 2,
      unexplainedSample: ['a', 'b'],
    });
  });

  it('explains resends of what was answered during an outage', () => {
    const deliveries = [d('a', 15_000), d('a', 31_000)];
    expect(attributeDuplicates(deliveries, [{ from: 10_000, to: 30_000 }]).explained).toBe(1);
  });
});
