import { describe, expect, it } from 'vitest';

import { isTimeZone, zonedIso } from './zoned-time.js';

const at = (year: number, month: number, day: number, hour: number, minute = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second: 0,
});

describe('zonedIso', () => {
  it.each([
    [at(2026, 11, 26, 14, 3), 'Europe/Berlin', '2026-11-26T14:03:00+01:00'],
    [at(2026, 7, 1, 14, 3), 'Europe/Berlin', '2026-07-01T14:03:00+02:00'],
    [at(2026, 11, 26, 8, 45), 'America/New_York', '2026-11-26T08:45:00-05:00'],
    [at(2015, 4, 6, 14, 56), 'America/New_York', '2015-04-06T14:56:00-04:00'],
    [at(2026, 1, 1, 0, 0), 'UTC', '2026-01-01T00:00:00+00:00'],
    [at(2026, 1, 1, 12, 0), 'Asia/Kolkata', '2026-01-01T12:00:00+05:30'],
    [at(2026, 1, 1, 12, 0), 'America/St_Johns', '2026-01-01T12:00:00-03:30'],
  ])('%o in %s is %s', (local, zone, expected) => {
    expect(zonedIso(local, zone)).toBe(expected);
  });

  it('takes the summer offset for the repeated hour when DST ends', () => {
    expect(zonedIso(at(2026, 10, 25, 2, 30), 'Europe/Berlin')).toBe('2026-10-25T02:30:00+02:00');
  });

  it('takes the offset before the change for the skipped hour when DST starts', () => {
    expect(zonedIso(at(2026, 3, 29, 2, 30), 'Europe/Berlin')).toBe('2026-03-29T02:30:00+01:00');
  });

  it('knows IANA zones', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
