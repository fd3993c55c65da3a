/**
 * Wall times and IANA time zones, through `Intl` (the one implementation: receipt profiles and
 * transaction completion both use it).
 *
 * - `zonedIso(local, zone)`: a local date-time as printed + a zone such as `Europe/Berlin` →
 *   `2026-11-26T14:03:00+01:00` (the printed wall time, with the offset in force then). A time
 *   that occurs twice (the hour after DST ends) takes the earlier instant, i.e. the summer offset;
 *   a time that does not exist (the hour skipped when DST starts) takes the offset in force before
 *   the change.
 * - `isoInZone(iso, zone)`: an ISO 8601 date-time with an offset (`Z` or `±HH:MM`) → the same
 *   instant written as the zone's wall time with the zone's offset then
 *   (`2026-11-25T23:30:00Z` in `Europe/Berlin` → `2026-11-26T00:30:00+01:00`). Fractional seconds
 *   are kept as written, so the instant never changes. Text that is not such a date-time gives
 *   `undefined` (the caller leaves it for the schema to reject).
 * Errors: `isTimeZone` tells whether `Intl` knows a zone; `zonedIso` and `isoInZone` throw a
 * RangeError for an unknown zone (configs and profiles are validated first).
 * Lifecycle: pure; formatters are cached per zone.
 */

/** A wall-clock date-time without a zone. */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Epoch ms of a UTC wall time; unlike `Date.UTC`, years 0–99 are not read as 1900–1999. */
function utcMs(local: LocalDateTime): number {
  const date = new Date(0);
  date.setUTCFullYear(local.year, local.month - 1, local.day);
  date.setUTCHours(local.hour, local.minute, local.second, 0);
  return date.getTime();
}

/** Offset of `timeZone` from UTC at the instant `at` (epoch ms), in minutes (east positive). */
function offsetMinutes(timeZone: string, at: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(at)))
    if (part.type !== 'literal') parts[part.type] = Number.parseInt(part.value, 10);
  const wall = utcMs({
    year: parts['year'] ?? 1970,
    month: parts['month'] ?? 1,
    day: parts['day'] ?? 1,
    hour: parts['hour'] ?? 0,
    minute: parts['minute'] ?? 0,
    second: parts['second'] ?? 0,
  });
  return Math.round((wall - Math.floor(at / 1000) * 1000) / 60_000);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export function localIso(local: LocalDateTime): string {
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}T${pad(local.hour)}:${pad(local.minute)}:${pad(local.second)}`;
}

export function zonedIso(local: LocalDateTime, timeZone: string): string {
  const wallAsUtc = utcMs(local);
  const day = 86_400_000;
  const candidates = [
    offsetMinutes(timeZone, wallAsUtc - day),
    offsetMinutes(timeZone, wallAsUtc + day),
  ];
  const valid = candidates.filter(
    (offset) => offsetMinutes(timeZone, wallAsUtc - offset * 60_000) === offset,
  );
  // Overlap: two valid offsets, the larger one is the earlier instant. Gap: none valid.
  const offset = valid.length > 0 ? Math.max(...valid) : (candidates[0] ?? 0);
  return `${localIso(local)}${offsetText(offset)}`;
}

/** The shape the Transaction contract accepts for `occurredAt` (seconds required). */
const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

export function isoInZone(iso: string, timeZone: string): string | undefined {
  const match = ISO_WITH_OFFSET.exec(iso);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const fraction = match[7] ?? '';
  const [sign, offsetHours, offsetMins] = [match[8], Number(match[9]), Number(match[10])];
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined ||
    offsetHours > 23 ||
    offsetMins > 59
  )
    return undefined;
  const wall = utcMs({ year, month, day, hour, minute, second });
  const check = new Date(wall);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute ||
    check.getUTCSeconds() !== second
  )
    return undefined;
  const written =
    sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  const instant = wall - written * 60_000;
  const offset = offsetMinutes(timeZone, instant);
  const local = new Date(instant + offset * 60_000);
  return `${localIso({
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  })}${fraction}${offsetText(offset)}`;
}
