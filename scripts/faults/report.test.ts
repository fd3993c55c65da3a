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
  extra: { reconcileDifference: 0, wallSeconds: 312.4 },
};

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

  it('passes a clean run, duplicates up to the kills included', () => {
    expect(judge([clean, { ...clean, duplicated: 10 }])).toEqual({ failures: [], notes: [] });
  });

  it('accepts duplicates above kills only when a kill explains each one, and never with --strict', () => {
    const explained = {
      ...clean,
      duplicated: 14,
      extra: { duplicatesUnexplained: 0 },
    };
    expect(judge([explained]).failures).toEqual([]);
    expect(judge([explained]).notes).toEqual([
      'worker-kill: duplicated=14 is above kills=10, but every duplicate is a resend of a request in flight at a kill (crash window, docs/delivery.md); --strict fails this',
    ]);
    expect(judge([explained], { strict: true }).failures).toEqual([
      'worker-kill: duplicated=14 is above kills=10',
    ]);
    expect(judge([{ ...explained, extra: { duplicatesUnexplained: 2 } }]).failures).toEqual([
      'worker-kill: duplicated=14 is above kills=10 (2 not explained by any kill)',
    ]);
  });

  it('fails on lost, reordered, duplicated above kills, reconcile, joins and errors, naming the scenario', () => {
    expect(
      judge([
        { ...clean, lost: 3, delivered: 19_997 },
        { ...clean, scenario: 'three-workers', kills: 0, duplicated: 1, reordered: 2 },
        {
          ...clean,
          scenario: 'unplug',
          extra: { reconcileDifference: 1, scanJoinMismatches: 2 },
          error: 'socat missing',
        },
      ]).failures,
    ).toEqual([
      'worker-kill: lost=3 (must be 0) of sent=20000',
      'three-workers: reordered=2 (must be 0)',
      'three-workers: duplicated=1 is above kills=0',
      'unplug: did not finish: socat missing',
      'unplug: reconcileDifference=1 (must be 0)',
      'unplug: scanJoinMismatches=2 (must be 0)',
    ]);
  });
});
