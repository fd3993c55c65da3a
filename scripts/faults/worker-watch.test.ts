/** Tying sends and kills to worker ids (worker-watch.ts): lease holders at a moment, the id a SIGKILL killed. */
import { DEFAULT_PARTITIONS, partitionOf } from '@pos-ga4/queue-contract';
import { describe, expect, it } from 'vitest';

import {
  killedWorkerIds,
  LEASE_SAMPLE_MAX_GAP_MS,
  leaseHoldersAt,
  partitionOfTransaction,
  VICTIM_SILENCE_MS,
} from './worker-watch.js';
import type { Announcement, LeaseSample } from './worker-watch.js';

const sample = (at: number, ...owners: (string | null)[]): LeaseSample => ({ at, owners });

describe('leaseHoldersAt', () => {
  const samples = [
    sample(1_000, 'w1', 'w2'),
    sample(1_200, 'w1', 'w2'),
    sample(1_400, null, 'w2'),
    sample(1_600, 'w3', 'w2'),
    sample(5_000, 'w3', null),
  ];

  it('gives the holder seen just before and just after the moment', () => {
    expect(leaseHoldersAt(samples, 0, 1_100)).toEqual(new Set(['w1']));
    expect(leaseHoldersAt(samples, 1, 1_100)).toEqual(new Set(['w2']));
    // the lease changed hands between two samples: either may have sent then
    expect(leaseHoldersAt(samples, 0, 1_500)).toEqual(new Set(['w3']));
    expect(leaseHoldersAt(samples, 0, 1_300)).toEqual(new Set(['w1']));
    expect(leaseHoldersAt([sample(0, 'w1'), sample(200, 'w2')], 0, 100)).toEqual(
      new Set(['w1', 'w2']),
    );
    // a sample exactly at the moment
    expect(leaseHoldersAt(samples, 0, 1_600)).toEqual(new Set(['w3']));
  });

  it('says nothing across a gap in the sampling (more than 1 s away on both sides)', () => {
    expect(LEASE_SAMPLE_MAX_GAP_MS).toBe(1_000);
    expect(leaseHoldersAt(samples, 0, 2_600)).toEqual(new Set(['w3']));
    expect(leaseHoldersAt(samples, 0, 2_601)).toEqual(new Set());
    expect(leaseHoldersAt(samples, 0, 3_500)).toEqual(new Set());
    expect(leaseHoldersAt(samples, 0, 4_000)).toEqual(new Set(['w3']));
    expect(leaseHoldersAt(samples, 0, 99_000)).toEqual(new Set());
    expect(leaseHoldersAt([], 0, 1_000)).toEqual(new Set());
  });
});

describe('killedWorkerIds', () => {
  const seen = (entries: [string, number, number][]): Map<string, Announcement> =>
    new Map(entries.map(([id, first, last]) => [id, { first, last }]));

  it('names the worker that stopped announcing itself at the kill', () => {
    // w1 announced until 9.8 s and never after a kill at 10 s; w2 went on
    const announcements = seen([
      ['w1', 1_000, 9_800],
      ['w2', 1_000, 60_000],
    ]);
    expect(killedWorkerIds([10_000], announcements)).toEqual(['w1']);
  });

  it('gives each worker to one kill, in time order, and none to a kill of a silent process', () => {
    // w1 killed at 10 s; its restart w3 killed at 20 s; a kill at 30 s hit a process that had
    // not announced itself yet (w4 announced first after it)
    const announcements = seen([
      ['w1', 1_000, 9_900],
      ['w2', 1_000, 90_000],
      ['w3', 14_000, 19_700],
      ['w4', 31_000, 90_000],
    ]);
    expect(killedWorkerIds([30_000, 10_000, 20_000], announcements)).toEqual([
      undefined,
      'w1',
      'w3',
    ]);
  });

  it('does not name a worker silent for more than 6 s before the kill', () => {
    expect(VICTIM_SILENCE_MS).toBe(6_000);
    expect(killedWorkerIds([10_000], seen([['w1', 0, 4_000]]))).toEqual(['w1']);
    expect(killedWorkerIds([10_000], seen([['w1', 0, 3_999]]))).toEqual([undefined]);
  });
});

describe('partitionOfTransaction', () => {
  it('is the partition of the terminal named in the transaction id', () => {
    expect(partitionOfTransaction('wk-1_till-2_20260101_7')).toBe(
      partitionOf({ storeId: 'wk-1', terminalId: 'till-2' }, DEFAULT_PARTITIONS),
    );
    expect(partitionOfTransaction('nonsense')).toBeUndefined();
  });
});
