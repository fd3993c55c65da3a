/**
 * GS1 element strings (Application Identifier + value, concatenated) → elements.
 *
 * Inputs: either the raw form as a scanner transmits it after a GS1 AIM id (`]C1`, `]d2`, `]Q3`,
 * `]e0`, `]J1`; AIM id already removed): AIs of predefined length (00, 01, 02, 11-17, 20, 31xx-36xx,
 * 41x) are followed directly by the next AI, every other AI's value ends at GS (0x1D, the
 * transmitted FNC1) or at the end; a leading GS and redundant GS after predefined-length values
 * are tolerated. Or the human-readable form `(01)09521234543213(17)251231(10)ABC`.
 * Outputs: `{ ok: true, elements: [{ ai, title, value }], problems }` where `problems` lists
 * content faults that still allow parsing (wrong check digit, characters outside the AI's
 * character set); or `{ ok: false, error }` when the structure is wrong (unknown AI, value too
 * short or too long, empty value).
 * Errors: never throws. Lifecycle: pure.
 * Limits: in keyboard-wedge mode the GS is usually lost, so a variable-length value swallows the
 * AIs after it; that cannot be recovered here.
 */
import {
  findApplicationIdentifier,
  getApplicationIdentifier,
} from './gs1-application-identifiers.js';
import type { Gs1ApplicationIdentifier, Gs1CharacterSet } from './gs1-application-identifiers.js';
import { hasValidGs1CheckDigit } from './gtin.js';

export const GS = '\u001d';

export interface Gs1Element {
  readonly ai: string;
  readonly title: string;
  readonly value: string;
}

export type Gs1ParseResult =
  | {
      readonly ok: true;
      readonly elements: readonly Gs1Element[];
      readonly problems: readonly string[];
    }
  | { readonly ok: false; readonly error: string };

const CHARSETS: Readonly<Record<Gs1CharacterSet, RegExp>> = {
  N: /^\d*$/,
  X: /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/,
  Y: /^[#\-/0-9A-Z]*$/,
  Z: /^[A-Za-z0-9_-]*=*$/,
};

/** Content checks per component: character set and GS1 check digits. */
function checkValue(definition: Gs1ApplicationIdentifier, value: string): string[] {
  const problems: string[] = [];
  let position = 0;
  definition.components.forEach((component, index) => {
    const last = index === definition.components.length - 1;
    const remaining = value.length - position;
    const take =
      last || component.min !== component.max ? Math.min(remaining, component.max) : component.min;
    const part = value.slice(position, position + take);
    position += take;
    if (part === '') return;
    if (!CHARSETS[component.charset].test(part)) {
      problems.push(`(${definition.ai}) has characters outside set ${component.charset}`);
    } else if (component.checkDigit && !hasValidGs1CheckDigit(part)) {
      problems.push(`(${definition.ai}) check digit is wrong`);
    }
  });
  return problems;
}

function lengthError(definition: Gs1ApplicationIdentifier, value: string): string | undefined {
  if (value === '') return `(${definition.ai}) has no value`;
  if (value.length < definition.minLength) {
    return `(${definition.ai}) value has ${value.length} characters, needs ${definition.minLength}`;
  }
  if (value.length > definition.maxLength) {
    return `(${definition.ai}) value has ${value.length} characters, at most ${definition.maxLength}`;
  }
  return undefined;
}

function build(pairs: readonly (readonly [Gs1ApplicationIdentifier, string])[]): Gs1ParseResult {
  const elements: Gs1Element[] = [];
  const problems: string[] = [];
  for (const [definition, value] of pairs) {
    const error = lengthError(definition, value);
    if (error !== undefined) return { ok: false, error };
    problems.push(...checkValue(definition, value));
    elements.push({ ai: definition.ai, title: definition.title, value });
  }
  if (elements.length === 0) return { ok: false, error: 'no element' };
  return { ok: true, elements, problems };
}

/** Parses the raw (FNC1/GS-separated) form. */
export function parseGs1ElementString(raw: string): Gs1ParseResult {
  const pairs: (readonly [Gs1ApplicationIdentifier, string])[] = [];
  let position = 0;
  while (position < raw.length) {
    if (raw.charAt(position) === GS) {
      position += 1;
      continue;
    }
    const definition = findApplicationIdentifier(raw, position);
    if (definition === undefined) {
      return { ok: false, error: `no known AI at position ${position}` };
    }
    const start = position + definition.ai.length;
    let end: number;
    if (definition.predefinedLength) {
      end = start + definition.maxLength;
      if (end > raw.length || raw.slice(start, end).includes(GS)) {
        return { ok: false, error: `(${definition.ai}) needs ${definition.maxLength} characters` };
      }
    } else {
      const gs = raw.indexOf(GS, start);
      end = gs === -1 ? raw.length : gs;
    }
    pairs.push([definition, raw.slice(start, end)]);
    position = end;
  }
  return build(pairs);
}

const BRACKETED_AI = /\((\d{2,4})\)/g;

/** Parses the human-readable form `(01)…(17)…`. Values run to the next `(AI)` of a known AI. */
export function parseBracketedGs1(text: string): Gs1ParseResult {
  const marks: {
    readonly definition: Gs1ApplicationIdentifier;
    readonly at: number;
    readonly end: number;
  }[] = [];
  for (const match of text.matchAll(BRACKETED_AI)) {
    const definition = getApplicationIdentifier(match[1] ?? '');
    if (definition !== undefined) {
      marks.push({ definition, at: match.index, end: match.index + match[0].length });
    }
  }
  if (marks[0]?.at !== 0) return { ok: false, error: 'does not start with a bracketed AI' };
  const pairs = marks.map((mark, i) => {
    const next = marks[i + 1];
    return [
      mark.definition,
      text.slice(mark.end, next === undefined ? text.length : next.at),
    ] as const;
  });
  return build(pairs);
}
