/**
 * Date formats of receipt profiles (a small subset of moment's tokens) compiled to parsers.
 *
 * Inputs: a format such as `dddd Do [of] MMMM YYYY hh:mm:ss A` or `DD.MM.YYYY HH:mm`, and a BCP 47
 * locale for month and weekday names (taken from `Intl`, e.g. `de-DE` gives "März"). Outputs: a
 * parser from printed text to a local date-time (no zone). Tokens: `YYYY` `YY` (2000–2099), `MMMM`
 * `MMM` (names) `MM` `M`, `DD` `D` `Do` (6th, 6.), `dddd` `ddd` (weekday names, read and not
 * checked), `HH` `H` (24 h), `hh` `h` with `A`/`a` (12 h, AM/PM), `mm` `m`, `ss` `s`; `[text]` is
 * literal; any whitespace matches one or more spaces; other characters are literal. Matching
 * ignores case and must cover the whole text.
 * Errors: an unknown letter token or a 12-hour clock without `A` gives `{ ok: false, message }`; a
 * text that does not match, or an impossible date (31.02.), parses to `undefined`.
 * Lifecycle: pure; the name tables are built once per compiled format.
 */
import type { LocalDateTime } from '@pos-ga4/transaction';

export type { LocalDateTime };

export interface DateFormatParser {
  readonly format: string;
  parse(text: string): LocalDateTime | undefined;
}

export type CompiledDateFormat =
  | { readonly ok: true; readonly parser: DateFormatParser }
  | { readonly ok: false; readonly message: string };

const TOKEN =
  /\[([^\]]*)\]|YYYY|YY|MMMM|MMM|MM|M|Do|DD|D|dddd|ddd|HH|H|hh|h|mm|m|ss|s|A|a|\s+|[A-Za-z]+|[^A-Za-z\s[]+|\[/gu;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function alternation(names: readonly string[]): string {
  const unique = [...new Set(names.map((n) => n.replace(/\.$/, '')))].sort(
    (a, b) => b.length - a.length,
  );
  return `(?:${unique.map(escapeRegex).join('|')})\\.?`;
}

interface NameTables {
  readonly monthsLong: readonly string[][];
  readonly monthsShort: readonly string[][];
  readonly weekdays: readonly string[];
}

function nameTables(locale: string): NameTables {
  const part = (options: Intl.DateTimeFormatOptions, date: Date, type: string): string =>
    new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' })
      .formatToParts(date)
      .find((p) => p.type === type)?.value ?? '';
  const months = (style: 'long' | 'short'): string[][] =>
    Array.from({ length: 12 }, (_, i) => {
      const date = new Date(Date.UTC(2001, i, 15));
      // Stand-alone and in-date forms differ in some languages (Russian, Polish, ...).
      return [
        part({ month: style }, date, 'month'),
        part({ month: style, day: 'numeric' }, date, 'month'),
      ];
    });
  const weekdays = Array.from({ length: 7 }, (_, i) => {
    const date = new Date(Date.UTC(2001, 0, 7 + i));
    return [
      part({ weekday: 'long' }, date, 'weekday'),
      part({ weekday: 'short' }, date, 'weekday'),
    ];
  }).flat();
  return { monthsLong: months('long'), monthsShort: months('short'), weekdays };
}

type Field =
  | 'year'
  | 'year2'
  | 'month'
  | 'monthName'
  | 'day'
  | 'hour'
  | 'hour12'
  | 'minute'
  | 'second'
  | 'ampm';

function tokenPattern(
  token: string,
  tables: NameTables,
): { pattern: string; field?: Field } | undefined {
  switch (token) {
    case 'YYYY':
      return { pattern: '\\d{4}', field: 'year' };
    case 'YY':
      return { pattern: '\\d{2}', field: 'year2' };
    case 'MMMM':
      return { pattern: alternation(tables.monthsLong.flat()), field: 'monthName' };
    case 'MMM':
      return {
        pattern: alternation([...tables.monthsShort.flat(), ...tables.monthsLong.flat()]),
        field: 'monthName',
      };
    case 'MM':
      return { pattern: '\\d{2}', field: 'month' };
    case 'M':
      return { pattern: '\\d{1,2}', field: 'month' };
    case 'Do':
      return { pattern: '\\d{1,2}(?:st|nd|rd|th|\\.)', field: 'day' };
    case 'DD':
      return { pattern: '\\d{2}', field: 'day' };
    case 'D':
      return { pattern: '\\d{1,2}', field: 'day' };
    case 'dddd':
    case 'ddd':
      return { pattern: alternation(tables.weekdays) };
    case 'HH':
      return { pattern: '\\d{2}', field: 'hour' };
    case 'H':
      return { pattern: '\\d{1,2}', field: 'hour' };
    case 'hh':
      return { pattern: '\\d{2}', field: 'hour12' };
    case 'h':
      return { pattern: '\\d{1,2}', field: 'hour12' };
    case 'mm':
      return { pattern: '\\d{2}', field: 'minute' };
    case 'm':
      return { pattern: '\\d{1,2}', field: 'minute' };
    case 'ss':
      return { pattern: '\\d{2}', field: 'second' };
    case 's':
      return { pattern: '\\d{1,2}', field: 'second' };
    case 'A':
    case 'a':
      return { pattern: '[ap]\\.?m\\.?', field: 'ampm' };
    default:
      return undefined;
  }
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function monthOfName(name: string, tables: NameTables): number | undefined {
  const key = name.replace(/\.$/, '').toLowerCase();
  const index = [tables.monthsLong, tables.monthsShort]
    .map((table) =>
      table.findIndex((forms) => forms.some((f) => f.replace(/\.$/, '').toLowerCase() === key)),
    )
    .find((i) => i >= 0);
  return index === undefined ? undefined : index + 1;
}

export function compileDateFormat(format: string, locale = 'en-US'): CompiledDateFormat {
  let tables: NameTables;
  try {
    tables = nameTables(locale);
  } catch (error) {
    return { ok: false, message: `locale ${locale}: ${(error as Error).message}` };
  }
  const fields: Field[] = [];
  let source = '';
  for (const match of format.matchAll(TOKEN)) {
    const [token, literal] = match;
    if (literal !== undefined) {
      source += escapeRegex(literal);
    } else if (/^\s+$/.test(token)) {
      source += '\\s+';
    } else if (/^[A-Za-z]/.test(token)) {
      const known = tokenPattern(token, tables);
      if (known === undefined)
        return {
          ok: false,
          message: `unknown token "${token}" in "${format}" (put literal text in [brackets])`,
        };
      if (known.field !== undefined) {
        if (fields.includes(known.field))
          return { ok: false, message: `"${format}" sets ${known.field} twice` };
        fields.push(known.field);
        source += `(?<${known.field}>${known.pattern})`;
      } else {
        source += known.pattern;
      }
    } else if (token === '[') {
      return { ok: false, message: `unclosed [ in "${format}"` };
    } else {
      source += escapeRegex(token);
    }
  }
  if (!fields.includes('year') && !fields.includes('year2'))
    return { ok: false, message: `"${format}" has no year (YYYY or YY)` };
  if (!fields.includes('month') && !fields.includes('monthName'))
    return { ok: false, message: `"${format}" has no month (MM, M, MMM or MMMM)` };
  if (!fields.includes('day'))
    return { ok: false, message: `"${format}" has no day (DD, D or Do)` };
  if (fields.includes('hour12') !== fields.includes('ampm'))
    return {
      ok: false,
      message: `"${format}": a 12-hour clock (hh, h) needs AM/PM (A) and A needs hh or h`,
    };
  const regex = new RegExp(`^${source}$`, 'iu');
  const parse = (text: string): LocalDateTime | undefined => {
    const groups = regex.exec(text.trim())?.groups;
    if (groups === undefined) return undefined;
    const num = (field: Field): number | undefined => {
      const value = groups[field];
      return value === undefined ? undefined : Number.parseInt(value, 10);
    };
    const year = num('year') ?? 2000 + (num('year2') ?? 0);
    const monthName = groups['monthName'];
    const month = monthName === undefined ? num('month') : monthOfName(monthName, tables);
    const day = num('day');
    let hour = num('hour') ?? 0;
    const hour12 = num('hour12');
    if (hour12 !== undefined) {
      if (hour12 < 1 || hour12 > 12) return undefined;
      const pm = (groups['ampm'] ?? '').toLowerCase().startsWith('p');
      hour = (hour12 % 12) + (pm ? 12 : 0);
    }
    const minute = num('minute') ?? 0;
    const second = num('second') ?? 0;
    if (month === undefined || month < 1 || month > 12) return undefined;
    if (day === undefined || day < 1 || day > daysInMonth(year, month)) return undefined;
    if (hour > 23 || minute > 59 || second > 59) return undefined;
    return { year, month, day, hour, minute, second };
  };
  return { ok: true, parser: { format, parse } };
}
