/** The fault suite's counts (accounting.ts): lost, duplicated, reordered by terminal and client, kept receipts, and duplicates a crash of their sender explains. */
import { describe, expect, it } from 'vitest';

import {
  account,
  attributeDuplicates,
  CRASH_WINDOW_MS,
  DEFAULT_CLIENT_ORDER_MARGIN_MS,
  IN_TRANSIT_MS,
} from './accounting.js';
import type { CrashWindow, Delivery, ExpectedReceipt } from './accounting.js';

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

  it('applies the client-order margin of exactly 1 s by default', () => {
    expect(DEFAULT_CLIENT_ORDER_MARGIN_MS).toBe(1000);
    const expected = [
      receipt('a1', 'a', 0, { clientId: 'c', occurredAtMs: 1000 }),
      receipt('b1', 'b', 0, { clientId: 'c', occurredAtMs: 2000 }),
    ];
    const handedOverAt = new Map([['a1', 5_000]]);
    const overtakenAt = (ms: number) =>
      account({ expected, deliveries: [at('b1', ms, 'c'), at('a1', ms + 50, 'c')], handedOverAt });
    // a1 waited exactly 1 s when the later b1 arrived: out of client order
    expect(overtakenAt(6_000)).toMatchObject({ reorderedClient: 1, reordered: 1 });
    // 1 ms less: within the margin (a barrier check and its request's arrival)
    expect(overtakenAt(5_999)).toMatchObject({ reorderedClient: 0, reordered: 0 });
    // a 4 s wait is out of order too
    expect(overtakenAt(9_000).reorderedClient).toBe(1);
    // an explicit margin still applies (the default is only the default)
    expect(
      account({
        expected,
        deliveries: [at('b1', 6_000, 'c'), at('a1', 6_050, 'c')],
        handedOverAt,
        clientOrderMarginMs: 2_000,
      }).reorderedClient,
    ).toBe(0);
  });

  it('has no margin for terminal order: one receipt overtaken by one is one reordered', () => {
    const expected = [receipt('a1', 'a', 0), receipt('a2', 'a', 1)];
    expect(account({ expected, deliveries: [at('a2', 1_000), at('a1', 1_000)] })).toMatchObject({
      reorderedTerminal: 1,
      reordered: 1,
    });
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
    expect(account({ expected, deliveries: [at('a1', 1, 'c')] }).clientMismatches).toBe(0);
  });

  it('counts anonymous receipts delivered under a customer’s client id', () => {
    const expected = [receipt('a1', 'a', 0, { clientId: 'c' }), receipt('b1', 'b', 0)];
    expect(
      account({ expected, deliveries: [at('a1', 1, 'c'), at('b1', 2, 'c')] }).clientMismatches,
    ).toBe(1);
    // its own pseudo id is fine
    expect(
      account({ expected, deliveries: [at('a1', 1, 'c'), at('b1', 2, 'pseudo-b1')] })
        .clientMismatches,
    ).toBe(0);
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
  const KILL = 10_000;
  const killOf = (workerId: string | undefined): CrashWindow => ({
    from: KILL,
    to: KILL,
    senders: { workerId },
  });
  // worker w1 held every partition the whole time
  const heldBy = (workerId: string) => (): ReadonlySet<string> => new Set([workerId]);

  it('explains a resend whose first copy the killed worker sent just before its kill', () => {
    const deliveries = [d('a', 9_500), d('b', 9_900), d('a', 12_000), d('b', 12_100)];
    expect(attributeDuplicates(deliveries, [killOf('w1')], { sendersAt: heldBy('w1') })).toEqual({
      explained: 2,
      unexplained: 0,
      unexplainedSample: [],
    });
  });

  it('bounds the window: 2 s before the kill to 0.5 s after it, the repeat after the kill', () => {
    expect(CRASH_WINDOW_MS).toBe(2_000);
    expect(IN_TRANSIT_MS).toBe(500);
    const explained = (first: number, repeat: number): number =>
      attributeDuplicates([d('a', first), d('a', repeat)], [killOf('w1')], {
        sendersAt: heldBy('w1'),
      }).explained;
    expect(explained(KILL - 2_000, 13_000)).toBe(1);
    expect(explained(KILL - 2_001, 13_000)).toBe(0);
    expect(explained(KILL + 500, 13_000)).toBe(1);
    expect(explained(KILL + 501, 13_000)).toBe(0);
    // a repeat before the kill is no resend of it
    expect(explained(KILL - 1_000, KILL - 1)).toBe(0);
  });

  it('does not explain a resend long before or after any crash', () => {
    const deliveries = [d('a', 1_000), d('a', 1_500), d('b', 20_000), d('b', 21_000)];
    expect(attributeDuplicates(deliveries, [killOf('w1')], { sendersAt: heldBy('w1') })).toEqual({
      explained: 0,
      unexplained: 2,
      unexplainedSample: ['a', 'b'],
    });
  });

  it('ties a kill to the killed worker: a first copy another worker sent is not explained', () => {
    const deliveries = [d('a', 9_500), d('a', 12_000)];
    expect(
      attributeDuplicates(deliveries, [killOf('w1')], { sendersAt: heldBy('w2') }).unexplained,
    ).toBe(1);
    // the killed process had not announced itself: it sent nothing
    expect(
      attributeDuplicates(deliveries, [killOf(undefined)], { sendersAt: heldBy('w1') }).unexplained,
    ).toBe(1);
    // nothing known about senders: nothing is tied to the kill
    expect(attributeDuplicates(deliveries, [killOf('w1')]).unexplained).toBe(1);
    // the sender is asked about the first copy's transaction and arrival
    const asked: [string, number][] = [];
    attributeDuplicates(deliveries, [killOf('w1')], {
      sendersAt: (id, atMs) => {
        asked.push([id, atMs]);
        return new Set(['w1']);
      },
    });
    expect(asked).toEqual([['a', 9_500]]);
  });

  it('explains resends of what was answered during a Redis outage, whoever sent it', () => {
    const deliveries = [d('a', 15_000), d('a', 31_000)];
    const outage: CrashWindow = { from: 10_000, to: 30_000, senders: 'all' };
    expect(attributeDuplicates(deliveries, [outage]).explained).toBe(1);
    expect(attributeDuplicates([d('a', 30_501), d('a', 31_000)], [outage]).explained).toBe(0);
  });

  it('explains one resend per crash and transaction, looking at the copy before each', () => {
    // three copies around one kill: the second resend has no crash of its own
    expect(
      attributeDuplicates([d('a', 9_500), d('a', 12_000), d('a', 12_500)], [killOf('w1')], {
        sendersAt: heldBy('w1'),
      }),
    ).toEqual({ explained: 1, unexplained: 1, unexplainedSample: ['a'] });
    // the successor is killed too before its ledger write: each kill explains its own resend
    const second: CrashWindow = { from: 20_000, to: 20_000, senders: { workerId: 'w2' } };
    expect(
      attributeDuplicates([d('a', 9_500), d('a', 19_000), d('a', 22_000)], [killOf('w1'), second], {
        sendersAt: (_id, atMs) => new Set([atMs < KILL ? 'w1' : 'w2']),
      }),
    ).toEqual({ explained: 2, unexplained: 0, unexplainedSample: [] });
  });

  it('attributes only the given ids', () => {
    const deliveries = [d('a', 1_000), d('a', 1_500), d('zz', 2_000), d('zz', 2_500)];
    expect(attributeDuplicates(deliveries, [], { only: new Set(['a']) })).toEqual({
      explained: 0,
      unexplained: 1,
      unexplainedSample: ['a'],
    });
  });
});
