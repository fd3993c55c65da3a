/** The fault suite's result line, JSON records and pass rule (report.ts). */
import { describe, expect, it } from 'vitest';

import { formatDetails, formatLine, judge, toJson } from './report.js';
import type { ScenarioResult } from './report.js';

const clean: ScenarioResult = {
  scenario: 'worker-kill',
  sent: 20_000,
  delivered: 20_000,
  lost: 0,
  duplicated: 2,
  reordered: 0,
  kills: 10,
  extra: {
    reconcileDifference: 0,
    unexpected: 0,
    clientMismatches: 0,
    withoutTransactionId: 0,
    duplicatesExplained: 2,
    wallSeconds: 312.4,
  },
};

const failuresOf = (result: ScenarioResult, strict = false): string[] =>
  judge([result], { strict }).failures;

describe('report', () => {
  it('prints the issue’s line, keys in order', () => {
    expect(formatLine(clean)).toBe(
      'worker-kill sent=20000 delivered=20000 lost=0 duplicated=2 reordered=0 kills=10',
    );
  });

  it('prints the extra figures on a detail line', () => {
    expect(formatDetails({ ...clean, extra: { rejected: { A: 1 }, n: 2 } })).toBe(
      '  worker-kill: rejected={"A":1} n=2',
    );
  });

  it('gives one JSON record with the keys and the scenario, extras after', () => {
    expect(toJson(clean)).toEqual({
      scenario: 'worker-kill',
      sent: 20_000,
      delivered: 20_000,
      lost: 0,
      duplicated: 2,
      reordered: 0,
      kills: 10,
      reconcileDifference: 0,
      unexpected: 0,
      clientMismatches: 0,
      withoutTransactionId: 0,
      duplicatesExplained: 2,
      wallSeconds: 312.4,
    });
    expect(Object.keys(toJson(clean)).slice(0, 7)).toEqual([
      'scenario',
      'sent',
      'delivered',
      'lost',
      'duplicated',
      'reordered',
      'kills',
    ]);
  });

  it('passes a clean run, and explained duplicates up to the kills, in strict mode too', () => {
    const upToKills = {
      ...clean,
      duplicated: 10,
      extra: { ...clean.extra, duplicatesExplained: 10 },
    };
    expect(judge([clean, upToKills])).toEqual({ failures: [], notes: [] });
    expect(judge([clean, upToKills], { strict: true })).toEqual({ failures: [], notes: [] });
    expect(failuresOf({ ...clean, duplicated: 0, kills: 0, extra: { ...clean.extra } })).toEqual(
      [],
    );
  });

  it('fails on a single lost receipt and a single reordered one: the rules are zero', () => {
    expect(failuresOf({ ...clean, lost: 1, delivered: 19_999 })).toEqual([
      'worker-kill: lost=1 (must be 0) of sent=20000',
    ]);
    expect(failuresOf({ ...clean, reordered: 1 })).toEqual([
      'worker-kill: reordered=1 (must be 0)',
    ]);
  });

  it('fails on one duplicate no crash window explains, even with duplicated ≤ kills', () => {
    const one = { ...clean, duplicated: 1, extra: { ...clean.extra, duplicatesExplained: 0 } };
    const breach =
      'worker-kill: duplicated=1 with 1 not explained by a crash window (must be 0; kills=10)';
    expect(failuresOf(one)).toEqual([breach]);
    expect(failuresOf(one, true)).toEqual([breach]);
    // not attributed at all: every duplicate counts as unexplained
    const { duplicatesExplained: _dropped, ...unattributed } = clean.extra;
    expect(failuresOf({ ...clean, extra: unattributed })).toEqual([
      'worker-kill: duplicated=2 with 2 not explained by a crash window (must be 0; kills=10)',
    ]);
    // some explained, one not
    expect(
      failuresOf({ ...clean, duplicated: 3, extra: { ...clean.extra, duplicatesExplained: 2 } }),
    ).toEqual([
      'worker-kill: duplicated=3 with 1 not explained by a crash window (must be 0; kills=10)',
    ]);
  });

  it('accepts duplicates above kills only when a crash explains each one, and never with --strict', () => {
    const explained = {
      ...clean,
      duplicated: 14,
      extra: { ...clean.extra, duplicatesExplained: 14 },
    };
    expect(judge([explained]).failures).toEqual([]);
    expect(judge([explained]).notes).toEqual([
      'worker-kill: duplicated=14 is above kills=10, but every duplicate is a resend of a request in flight at a kill (crash window, docs/delivery.md); --strict fails this',
    ]);
    expect(judge([explained], { strict: true }).failures).toEqual([
      'worker-kill: duplicated=14 is above kills=10',
    ]);
    expect(
      judge([{ ...explained, extra: { ...explained.extra, duplicatesExplained: 12 } }]).failures,
    ).toEqual([
      'worker-kill: duplicated=14 with 2 not explained by a crash window (must be 0; kills=10)',
    ]);
  });

  it('fails on one unexpected id, one client mismatch, one event without a transaction id', () => {
    expect(failuresOf({ ...clean, extra: { ...clean.extra, unexpected: 1 } })).toEqual([
      'worker-kill: unexpected=1 (must be 0): delivered transaction ids nobody sent',
    ]);
    expect(failuresOf({ ...clean, extra: { ...clean.extra, clientMismatches: 1 } })).toEqual([
      'worker-kill: clientMismatches=1 (must be 0): identified receipts delivered under another client id',
    ]);
    expect(failuresOf({ ...clean, extra: { ...clean.extra, withoutTransactionId: 1 } })).toEqual([
      'worker-kill: withoutTransactionId=1 (must be 0): delivered events without a string transaction_id',
    ]);
  });

  it('fails a scenario that does not report a judged figure, unless it did not finish', () => {
    const { unexpected: _u, ...withoutUnexpected } = clean.extra;
    expect(failuresOf({ ...clean, extra: withoutUnexpected })).toEqual([
      'worker-kill: unexpected not reported (a judged figure)',
    ]);
    expect(failuresOf({ ...clean, duplicated: 0, extra: {}, error: 'socat missing' })).toEqual([
      'worker-kill: did not finish: socat missing',
    ]);
  });

  it('fails on re-added jobs that were not finished or not completed as deduplicated', () => {
    const redeliver = {
      ...clean,
      scenario: 'redeliver',
      duplicated: 0,
      kills: 0,
      extra: { ...clean.extra, readdedUnsettled: 0, readdedNotDeduplicated: 0 },
    };
    expect(failuresOf(redeliver)).toEqual([]);
    expect(
      failuresOf({
        ...redeliver,
        extra: { ...redeliver.extra, readdedUnsettled: 1, readdedNotDeduplicated: 1 },
      }),
    ).toEqual([
      'redeliver: readdedUnsettled=1 (must be 0): re-added jobs the workers did not finish',
      'redeliver: readdedNotDeduplicated=1 (must be 0): re-added jobs of delivered transactions not completed as deduplicated',
    ]);
  });

  it('fails on lost, reordered, duplicates, reconcile, joins and errors, naming the scenario', () => {
    expect(
      judge([
        { ...clean, lost: 3, delivered: 19_997 },
        {
          ...clean,
          scenario: 'three-workers',
          kills: 0,
          duplicated: 1,
          reordered: 2,
          extra: { ...clean.extra, duplicatesExplained: 0 },
        },
        {
          ...clean,
          scenario: 'unplug',
          duplicated: 0,
          extra: { ...clean.extra, reconcileDifference: 1, scanJoinMismatches: 2 },
          error: 'socat missing',
        },
      ]).failures,
    ).toEqual([
      'worker-kill: lost=3 (must be 0) of sent=20000',
      'three-workers: reordered=2 (must be 0)',
      'three-workers: duplicated=1 with 1 not explained by a crash window (must be 0; kills=0)',
      'unplug: did not finish: socat missing',
      'unplug: reconcileDifference=1 (must be 0)',
      'unplug: scanJoinMismatches=2 (must be 0)',
    ]);
  });
});
