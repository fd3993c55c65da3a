/**
 * Receipt text lines → what each line is, by the profile's patterns. Pure.
 *
 * Input: the lines of one receipt (trailing spaces already removed) and a compiled profile.
 * Output: events in receipt order (fields, amounts, payments, items with their captured groups),
 * the lines carrying a refund or void marker, and every non-blank line that nothing claimed.
 * Each line is tried in this order, first match wins:
 *   ignore → fields → total → subtotal → tax → rounding → payments → change → discount → items.
 * Refund and void markers are tried on every line as well; a line that only carries a marker is
 * accounted for. Item layouts spanning several lines consume all of them, or none.
 * Errors: none; unknown lines are returned for the caller to report. Lifecycle: none.
 */
import type { CompiledProfile, Matcher, PaymentMethod } from './compile-profile.js';

export type AmountRole = 'total' | 'subtotal' | 'tax' | 'rounding' | 'change' | 'discount';

interface Located {
  /** 1-based number of the (first) receipt line. */
  readonly line: number;
  /** The line as printed (lines of a layout joined with " / "). */
  readonly text: string;
  /** The pattern that matched, e.g. `patterns.items.1.0`. */
  readonly path: string;
  readonly groups: Readonly<Record<string, string>>;
}

export type LineEvent =
  | (Located & { readonly type: 'field' })
  | (Located & { readonly type: 'amount'; readonly role: AmountRole })
  | (Located & { readonly type: 'payment'; readonly method: PaymentMethod })
  | (Located & { readonly type: 'item' });

export interface ClassifiedReceipt {
  readonly events: readonly LineEvent[];
  readonly refundLines: readonly number[];
  readonly voidLines: readonly number[];
  readonly unknown: readonly { readonly line: number; readonly text: string }[];
}

/** Captured groups that took part in the match, without the ignored `_…` ones. */
function capturedGroups(match: RegExpExecArray): Record<string, string> {
  const out: Record<string, string> = {};
  // Groups that did not take part in the match are present with the value undefined.
  const groups = Object.entries(match.groups ?? {}) as [string, string | undefined][];
  for (const [name, value] of groups)
    if (value !== undefined && !name.startsWith('_')) out[name] = value;
  return out;
}

function firstMatch(
  matchers: readonly Matcher[],
  text: string,
): { path: string; groups: Record<string, string> } | undefined {
  for (const matcher of matchers) {
    const match = matcher.regex.exec(text);
    if (match !== null) return { path: matcher.path, groups: capturedGroups(match) };
  }
  return undefined;
}

const AMOUNT_ROLES: readonly AmountRole[] = [
  'total',
  'subtotal',
  'tax',
  'rounding',
  'change',
  'discount',
];

function matchItem(
  profile: CompiledProfile,
  lines: readonly string[],
  start: number,
): { event: LineEvent; consumed: number } | undefined {
  for (const layout of profile.items) {
    const groups: Record<string, string> = {};
    const matched = layout.every((matcher, offset) => {
      const text = lines[start + offset];
      if (text === undefined || text.trim() === '') return false;
      const match = matcher.regex.exec(text);
      if (match === null) return false;
      Object.assign(groups, capturedGroups(match));
      return true;
    });
    const path = layout[0]?.path.replace(/\.0$/, '') ?? 'patterns.items';
    if (matched)
      return {
        event: {
          type: 'item',
          line: start + 1,
          text: lines.slice(start, start + layout.length).join(' / '),
          path: layout.length > 1 ? path : (layout[0]?.path ?? path),
          groups,
        },
        consumed: layout.length,
      };
  }
  return undefined;
}

function matchOne(profile: CompiledProfile, text: string, line: number): LineEvent | undefined {
  const field = firstMatch(profile.fields, text);
  if (field !== undefined) return { type: 'field', line, text, ...field };
  for (const role of AMOUNT_ROLES.slice(0, 4)) {
    const hit = firstMatch(profile[role], text);
    if (hit !== undefined) return { type: 'amount', role, line, text, ...hit };
  }
  for (const payment of profile.payments) {
    const hit = firstMatch(payment.matchers, text);
    if (hit !== undefined) return { type: 'payment', method: payment.method, line, text, ...hit };
  }
  for (const role of AMOUNT_ROLES.slice(4)) {
    const hit = firstMatch(profile[role], text);
    if (hit !== undefined) return { type: 'amount', role, line, text, ...hit };
  }
  return undefined;
}

export function classifyLines(
  lines: readonly string[],
  profile: CompiledProfile,
): ClassifiedReceipt {
  const events: LineEvent[] = [];
  const refundLines: number[] = [];
  const voidLines: number[] = [];
  const unknown: { line: number; text: string }[] = [];
  const marked = (matchers: readonly Matcher[], text: string): boolean =>
    matchers.some((m) => m.regex.test(text));
  let index = 0;
  while (index < lines.length) {
    const text = lines[index] ?? '';
    const line = index + 1;
    if (text.trim() === '') {
      index++;
      continue;
    }
    const refund = marked(profile.refund, text);
    const voided = marked(profile.void, text);
    if (refund) refundLines.push(line);
    if (voided) voidLines.push(line);
    if (marked(profile.ignore, text)) {
      index++;
      continue;
    }
    const one = matchOne(profile, text, line);
    if (one !== undefined) {
      events.push(one);
      index++;
      continue;
    }
    const item = matchItem(profile, lines, index);
    if (item !== undefined) {
      events.push(item.event);
      index += item.consumed;
      continue;
    }
    if (!refund && !voided) unknown.push({ line, text });
    index++;
  }
  return { events, refundLines, voidLines, unknown };
}
