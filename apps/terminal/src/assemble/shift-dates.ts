/**
 * Moves a draft's dates by whole days, for replaying old captures as if they happened recently
 * (GA4 accepts events up to 72 h old). Keeps each timestamp's own UTC offset and time of day;
 * rewrites `occurredAt`, identity `scannedAt`, and the business date inside a derived `refundOf`
 * id, so refunds still point at their (shifted) purchase. Pure.
 */
const DAY_MS = 86_400_000;
const ISO_WITH_OFFSET = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})$/;

export function shiftIsoDate(iso: string, days: number): string {
  const match = ISO_WITH_OFFSET.exec(iso);
  if (!match) return iso;
  const [, local = '', offset = 'Z'] = match;
  const shifted = new Date(Date.parse(`${local}Z`) + days * DAY_MS).toISOString();
  const fraction = local.includes('.') ? shifted.slice(19, 23) : '';
  return `${shifted.slice(0, 19)}${fraction}${offset}`;
}

function shiftBusinessDate(id: string, days: number): string {
  const match = /^([^_]+_[^_]+_)(\d{4})(\d{2})(\d{2})(_.+)$/.exec(id);
  if (!match) return id;
  const [, head = '', y = '', m = '', d = '', tail = ''] = match;
  const date = shiftIsoDate(`${y}-${m}-${d}T00:00:00Z`, days).slice(0, 10).replaceAll('-', '');
  return `${head}${date}${tail}`;
}

export function shiftDraftDates(
  draft: Record<string, unknown>,
  days: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...draft };
  if (typeof out['occurredAt'] === 'string')
    out['occurredAt'] = shiftIsoDate(out['occurredAt'], days);
  if (typeof out['refundOf'] === 'string')
    out['refundOf'] = shiftBusinessDate(out['refundOf'], days);
  if (Array.isArray(out['identities'])) {
    out['identities'] = (out['identities'] as unknown[]).map((token) => {
      if (typeof token !== 'object' || token === null) return token;
      const record = token as Record<string, unknown>;
      return typeof record['scannedAt'] === 'string'
        ? { ...record, scannedAt: shiftIsoDate(record['scannedAt'], days) }
        : record;
    });
  }
  return out;
}

/**
 * The whole-day shift that brings the newest of `occurredAt` values into the last 24 hours
 * before `now` (never into the future).
 */
export function daysToRecent(occurredAt: readonly string[], now: number): number {
  const times = occurredAt.map((s) => Date.parse(s)).filter((t) => !Number.isNaN(t));
  if (times.length === 0) return 0;
  const newest = Math.max(...times);
  return Math.floor((now - newest) / DAY_MS);
}
