/**
 * The receipt-profile parser behind the `RecordParser` port: decoded receipt text → draft.
 *
 * Inputs: a record frame (ESC/POS receipts carry `text` and `codes`; without `text` the raw bytes
 * are read as UTF-8, so plain-text receipts work too) and a receipt profile. Output: a draft for
 * assembly, with warnings for every non-blank line no pattern understood (`line 7 not understood
 * by profile "x": "…"`) and the framer's own warnings; or a coded rejection: the codes of
 * `build-draft.ts`, and `PROFILE_UNKNOWN_LINE` when the profile says `unknownLines: reject`.
 * Nothing is dropped silently: a line is used by a pattern, ignored by an explicit ignore pattern,
 * or reported. Errors: none thrown for any input. Lifecycle: compile once, parse many; pure.
 */
import type { RecordFrame } from '../../frame/framer.js';
import type { RecordParser, RecordParseResult } from '../record-parser.js';

import type { ReceiptCode } from './build-draft.js';
import { buildDraft } from './build-draft.js';
import { classifyLines } from './classify-lines.js';
import type { CompiledProfile } from './compile-profile.js';
import { compileProfile } from './compile-profile.js';
import type { ReceiptProfile } from './profile-schema.js';

/** Unknown lines listed in warnings and issues; the count says how many more there were. */
export const MAX_REPORTED_LINES = 50;

const utf8 = new TextDecoder('utf-8');

export function receiptLines(text: string): string[] {
  return text.split('\n').map((line) => line.replace(/\r$/, '').trimEnd());
}

export function parseReceiptText(
  text: string,
  options: { readonly profile: CompiledProfile; readonly codes?: readonly ReceiptCode[] },
): RecordParseResult {
  const { profile } = options;
  const name = profile.profile.name;
  const classified = classifyLines(receiptLines(text), profile);
  const unknown = classified.unknown;
  const described = unknown
    .slice(0, MAX_REPORTED_LINES)
    .map((u) => `line ${u.line} not understood by profile "${name}": ${JSON.stringify(u.text)}`);
  if (unknown.length > MAX_REPORTED_LINES)
    described.push(`${unknown.length - MAX_REPORTED_LINES} more lines not understood`);
  const built = buildDraft({
    classified,
    profile,
    ...(options.codes === undefined ? {} : { codes: options.codes }),
  });
  if (!built.ok) {
    const hint =
      unknown[0] === undefined
        ? ''
        : `; ${unknown.length} line(s) not understood, first: line ${unknown[0].line} ${JSON.stringify(unknown[0].text)}`;
    return { ok: false, code: built.code, reason: `${built.reason}${hint}` };
  }
  if (unknown.length > 0 && profile.profile.unknownLines === 'reject') {
    return {
      ok: false,
      code: 'PROFILE_UNKNOWN_LINE',
      reason: `${described[0] ?? ''}${unknown.length > 1 ? ` (and ${unknown.length - 1} more)` : ''}`,
      issues: unknown.slice(0, MAX_REPORTED_LINES).map((u) => ({
        path: `line ${u.line}`,
        message: `not understood: ${JSON.stringify(u.text)}`,
        code: 'PROFILE_UNKNOWN_LINE',
      })),
    };
  }
  return described.length === 0
    ? { ok: true, draft: built.draft }
    : { ok: true, draft: built.draft, warnings: described };
}

export function profileRecordParser(profile: ReceiptProfile | CompiledProfile): RecordParser {
  const compiled = 'patterns' in profile ? compileProfile(profile) : profile;
  return {
    parse(frame: RecordFrame): RecordParseResult {
      const result = parseReceiptText(frame.text ?? utf8.decode(frame.raw), {
        profile: compiled,
        ...(frame.codes === undefined ? {} : { codes: frame.codes }),
      });
      const framerWarnings = (frame.warnings ?? []).map((w) => `escpos: ${w}`);
      if (!result.ok || framerWarnings.length === 0) return result;
      return { ...result, warnings: [...(result.warnings ?? []), ...framerWarnings] };
    },
  };
}
