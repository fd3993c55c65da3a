/**
 * Local receipt time + IANA time zone → ISO 8601 with the zone's UTC offset, through `Intl`.
 *
 * Inputs: a local date-time as printed and a zone such as `Europe/Berlin`. Output:
 * `2026-11-26T14:03:00+01:00` (the printed wall time, with the offset in force then). A time that
 * occurs twice (the hour after DST ends) takes the earlier instant, i.e. the summer offset; a time
 * that does not exist (the hour skipped when DST starts) takes the offset in force before the
 * change. Errors: `isTimeZone` tells whether `Intl` knows a zone; `zonedIso` throws a RangeError
 * for an unknown zone (profiles are validated first). Lifecycle: pure; formatters are cached.
 */
import type { LocalDateTime } from './date-format.js';

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

/** Offset of `timeZone` from UTC at the instant `utcMs`, in minutes (east positive). */
function offsetMinutes(timeZone: string, utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(utcMs)))
    if (part.type !== 'literal') parts[part.type] = Number.parseInt(part.value, 10);
  const wall = Date.UTC(
    parts['year'] ?? 1970,
    (parts['month'] ?? 1) - 1,
    parts['day'] ?? 1,
    parts['hour'] ?? 0,
    parts['minute'] ?? 0,
    parts['second'] ?? 0,
  );
  return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function localIso(local: LocalDateTime): string {
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}T${pad(local.hour)}:${pad(local.minute)}:${pad(local.second)}`;
}

export function zonedIso(local: LocalDateTime, timeZone: string): string {
  const wallAsUtc = Date.UTC(
    local.year,
    local.month - 1,
    local.day,
    local.hour,
    local.minute,
    local.second,
  );
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
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${localIso(local)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
