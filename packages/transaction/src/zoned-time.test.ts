import { describe, expect, it } from 'vitest';

import { isoInZone, isTimeZone, zonedIso } from './zoned-time.js';

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

describe('isoInZone', () => {
  it.each([
    ['2026-11-25T23:30:00Z', 'Europe/Berlin', '2026-11-26T00:30:00+01:00'],
    ['2026-11-26T00:30:00+01:00', 'Europe/Berlin', '2026-11-26T00:30:00+01:00'],
    ['2026-11-26T07:30:00+08:00', 'Europe/Berlin', '2026-11-26T00:30:00+01:00'],
    ['2026-11-26T00:30:00+01:00', 'America/New_York', '2026-11-25T18:30:00-05:00'],
    ['2026-11-26T00:30:00+01:00', 'UTC', '2026-11-25T23:30:00+00:00'],
    ['2026-11-26T00:30:00+01:00', 'Asia/Kolkata', '2026-11-26T05:00:00+05:30'],
    ['2026-07-01T12:00:00.250Z', 'Europe/Berlin', '2026-07-01T14:00:00.250+02:00'],
    ['2026-07-01T12:00:00.123456-00:00', 'Europe/Berlin', '2026-07-01T14:00:00.123456+02:00'],
    ['2024-02-29T23:59:59Z', 'Pacific/Kiritimati', '2024-03-01T13:59:59+14:00'],
    ['0099-11-26T00:30:00Z', 'UTC', '0099-11-26T00:30:00+00:00'],
  ])('%s in %s is %s', (iso, zone, expected) => {
    const rewritten = isoInZone(iso, zone);
    expect(rewritten).toBe(expected);
    // only the written offset changes, never the instant
    expect(Date.parse(rewritten ?? '')).toBe(Date.parse(iso));
  });

  it('writes the two instants of the repeated hour with their own offsets when DST ends', () => {
    expect(isoInZone('2026-10-25T00:30:00Z', 'Europe/Berlin')).toBe('2026-10-25T02:30:00+02:00');
    expect(isoInZone('2026-10-25T01:30:00Z', 'Europe/Berlin')).toBe('2026-10-25T02:30:00+01:00');
  });

  it('jumps over the hour skipped when DST starts', () => {
    expect(isoInZone('2026-03-29T00:59:59Z', 'Europe/Berlin')).toBe('2026-03-29T01:59:59+01:00');
    expect(isoInZone('2026-03-29T01:00:00Z', 'Europe/Berlin')).toBe('2026-03-29T03:00:00+02:00');
  });

  it('moves the date across midnight where DST changes at midnight', () => {
    // Chile (America/Santiago) moves its clocks at 24:00: 2026-09-06 starts at 01:00 (-03:00)
    expect(isoInZone('2026-09-06T03:59:59Z', 'America/Santiago')).toBe('2026-09-05T23:59:59-04:00');
    expect(isoInZone('2026-09-06T04:00:00Z', 'America/Santiago')).toBe('2026-09-06T01:00:00-03:00');
  });

  it.each([
    'yesterday',
    '2026-11-26',
    '2026-11-26T00:30:00',
    '2026-11-26T00:30+01:00',
    '2026-11-26 00:30:00+01:00',
    '2026-02-30T00:30:00Z',
    '2026-11-26T24:00:00Z',
    '2026-11-26T00:30:60Z',
    '2026-11-26T00:30:00+24:00',
  ])('leaves %s alone (not a date-time with an offset the contract accepts)', (text) => {
    expect(isoInZone(text, 'Europe/Berlin')).toBeUndefined();
  });
});
