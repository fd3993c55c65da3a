import { describe, expect, it } from 'vitest';

import type { DateFormatParser } from './date-format.js';
import { compileDateFormat } from './date-format.js';

function parser(format: string, locale?: string): DateFormatParser {
  const compiled = compileDateFormat(format, locale);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.parser;
}

describe('compileDateFormat', () => {
  it('reads the ExampleMart date line (weekday, ordinal, month name, 12-hour clock)', () => {
    expect(
      parser('dddd Do [of] MMMM YYYY hh:mm:ss A').parse('Monday 6th of April 2015 02:56:25 PM'),
    ).toEqual({ year: 2015, month: 4, day: 6, hour: 14, minute: 56, second: 25 });
  });

  it.each([
    ['DD.MM.YYYY HH:mm', '26.11.2026 14:03', [2026, 11, 26, 14, 3, 0]],
    ['DD.MM.YY HH:mm', '26.11.26 14:03', [2026, 11, 26, 14, 3, 0]],
    ['MM/DD/YYYY hh:mm A', '11/26/2026 08:45 AM', [2026, 11, 26, 8, 45, 0]],
    ['MM/DD/YYYY hh:mm A', '11/26/2026 12:05 AM', [2026, 11, 26, 0, 5, 0]],
    ['MM/DD/YYYY hh:mm A', '11/26/2026 12:05 PM', [2026, 11, 26, 12, 5, 0]],
    ['M/D/YYYY h:mm a', '1/2/2026 9:05 p.m.', [2026, 1, 2, 21, 5, 0]],
    ['YYYY-MM-DD HH:mm:ss', '2026-11-26 07:08:09', [2026, 11, 26, 7, 8, 9]],
    ['D MMM YYYY', '6 Apr 2015', [2015, 4, 6, 0, 0, 0]],
  ] as const)('%s reads %s', (format, text, [year, month, day, hour, minute, second]) => {
    expect(parser(format).parse(text)).toEqual({ year, month, day, hour, minute, second });
  });

  it('takes month and weekday names from the locale', () => {
    expect(
      parser('dddd, Do MMMM YYYY, HH:mm [Uhr]', 'de-DE').parse(
        'Donnerstag, 26. März 2026, 14:03 Uhr',
      ),
    ).toEqual({ year: 2026, month: 3, day: 26, hour: 14, minute: 3, second: 0 });
    expect(parser('D MMMM YYYY', 'fr-FR').parse('6 avril 2015')).toMatchObject({ month: 4 });
  });

  it('matches whitespace loosely and names case-insensitively', () => {
    expect(parser('D MMMM YYYY').parse('6   APRIL   2015')).toMatchObject({ day: 6, month: 4 });
  });

  it.each([
    ['31.02.2026 10:00'],
    ['26.13.2026 10:00'],
    ['26.11.2026 24:00'],
    ['26.11.2026'],
    ['x26.11.2026 10:00'],
  ])('gives undefined for %j', (text) => {
    expect(parser('DD.MM.YYYY HH:mm').parse(text)).toBeUndefined();
  });

  it.each([
    ['DD.MM.YYYY HH:mm Q', /unknown token "Q"/],
    ['DD.MM.YYYY hh:mm', /12-hour clock/],
    ['DD.MM HH:mm', /no year/],
    ['DD.YYYY', /no month/],
    ['DD.MM.YYYY [at', /unclosed \[/],
    ['DD.MM.YYYY DD', /sets day twice/],
  ])('rejects the format %j', (format, message) => {
    expect(compileDateFormat(format)).toEqual({
      ok: false,
      message: expect.stringMatching(message) as unknown,
    });
  });
});
