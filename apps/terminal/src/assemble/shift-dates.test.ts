import { describe, expect, it } from 'vitest';

import { daysToRecent, shiftDraftDates, shiftIsoDate } from './shift-dates.js';

describe('date shifting for replays', () => {
  it('keeps the offset and time of day', () => {
    expect(shiftIsoDate('2026-11-26T09:12:41+01:00', 3)).toBe('2026-11-29T09:12:41+01:00');
    expect(shiftIsoDate('2026-12-31T23:59:59.250Z', 1)).toBe('2027-01-01T23:59:59.250Z');
    expect(shiftIsoDate('2026-03-01T10:00:00-05:00', -1)).toBe('2026-02-28T10:00:00-05:00');
  });

  it('moves occurredAt, scannedAt and the business date of refundOf together', () => {
    const draft = {
      occurredAt: '2026-11-26T12:05:10+01:00',
      refundOf: 'berlin-01_till-1_20261126_000103',
      identities: [{ kind: 'ga-client-id', value: '1.2', scannedAt: '2026-11-26T12:05:00+01:00' }],
    };
    expect(shiftDraftDates(draft, 10)).toEqual({
      occurredAt: '2026-12-06T12:05:10+01:00',
      refundOf: 'berlin-01_till-1_20261206_000103',
      identities: [{ kind: 'ga-client-id', value: '1.2', scannedAt: '2026-12-06T12:05:00+01:00' }],
    });
  });

  it('brings the newest receipt into the last day, never into the future', () => {
    const now = Date.parse('2027-02-10T08:00:00Z');
    const days = daysToRecent(['2026-11-26T09:00:00Z', '2026-11-26T18:03:12+09:00'], now);
    const newest = Date.parse(shiftIsoDate('2026-11-26T18:03:12+09:00', days));
    expect(newest).toBeLessThanOrEqual(now);
    expect(now - newest).toBeLessThan(86_400_000);
    expect(daysToRecent(['2026-11-26T09:00:00Z'], Date.parse('2026-11-25T09:00:00Z'))).toBe(-1);
  });
});
